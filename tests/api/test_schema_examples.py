"""The schema's examples are real: requests and answers recorded from the API (api/examples.json,
written by `manage.py api_examples`; docs/API.md, "Examples"). Each fits its operation's schema, and
every operation has one."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator, validators

from api.schema import example_key, recorded_examples

RECORDED = recorded_examples()
HOW_TO_ADD = "Add a step for each to devtools/api_tour.py, then run `manage.py api_examples` (docs/API.md, Examples)."
# `?fields=a,b` narrows the answer's objects (docs/API.md): the fields it leaves out are not missing.
NarrowedValidator = validators.extend(Draft202012Validator, {"required": lambda *arguments: None})


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    return {
        f"{method.upper()} {path}": operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }


def fits(value, schema, document, *, narrowed=False):
    """Validation errors of `value` against `schema`, whose $refs point into the document's components."""
    validator_class = NarrowedValidator if narrowed else Draft202012Validator
    validator = validator_class({**schema, "components": document["components"]})
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(value)]


def cases():
    return [
        pytest.param(
            operation,
            example,
            id=f"{operation} {example['summary']}",
        )
        for operation, examples in sorted(RECORDED.items())
        for example in examples
    ]


@pytest.mark.parametrize(("operation", "example"), cases())
def test_every_example_fits_its_operations_schema(schema, operation, example):
    found = operations(schema).get(operation)
    assert found is not None, f"{operation} is no longer in the schema: run `manage.py api_examples`."
    if example["request"] is not None:
        body = found["requestBody"]["content"]["application/json"]["schema"]
        assert fits(example["request"], body, schema) == []
    response = found["responses"].get(str(example["status"]))
    assert response is not None, f"{operation} does not document the {example['status']} it answered"
    if example["content_type"] is None:
        assert "content" not in response
    elif example["response"] is None:  # a file: recorded by its type, not its bytes
        assert example["content_type"] in response["content"]
    else:
        media = response["content"][example["content_type"]]
        narrowed = "fields" in example["parameters"]
        assert fits(example["response"], media["schema"], schema, narrowed=narrowed) == []


def test_every_operation_has_a_recorded_example(schema):
    missing = sorted(set(operations(schema)) - set(RECORDED))
    assert not missing, f"{len(missing)} operations have no example: {', '.join(missing)}. {HOW_TO_ADD}"


def test_the_schema_carries_each_recorded_example_where_it_was_answered(schema):
    found = operations(schema)
    for operation, examples in RECORDED.items():
        for example in examples:
            key = example_key(example["summary"])
            if example["request"] is not None:
                request = found[operation]["requestBody"]["content"]["application/json"]
                assert request["examples"][key]["value"] == example["request"]
            response = found[operation]["responses"].get(str(example["status"]))
            if response is not None and example["response"] is not None:
                assert response["content"][example["content_type"]]["examples"][key]["value"] == example["response"]
