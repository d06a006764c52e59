"""The OpenAPI 3.1 schema validates, and Swagger UI and ReDoc come from our own static files."""

import re

import pytest
from django.core.management import call_command


def test_the_schema_is_openapi_3_1_and_validates_without_warnings(tmp_path, db):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert text.startswith("openapi: 3.1.0")
    # Examples are real: none is written by hand (`example:`), all are recorded (test_schema_examples.py).
    assert not re.search(r"^\s+example:", text, re.MULTILINE)


@pytest.fixture(scope="module")
def schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_a_delete_documents_the_reason_it_takes(schema):
    body = schema["paths"]["/api/circuits/{id}/links/{link_pk}/"]["delete"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ReasonInputRequest"}


def test_a_page_link_may_be_null_as_openapi_3_1_says_it(schema):
    next_link = schema["components"]["schemas"]["PaginatedCircuitList"]["properties"]["next"]
    assert next_link["type"] == ["string", "null"] and "nullable" not in next_link


def test_the_schema_is_served_to_signed_in_users(api):
    response = api.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/circuits/{id}/" in response.content


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_load_nothing_from_a_cdn(engineer_client, url):
    response = engineer_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert not re.search(r"(src|href)=\"https?://", page)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy + ";" and "unsafe-eval" not in policy


def test_the_swagger_ui_start_script_is_a_file_not_inline(engineer_client):
    page = engineer_client.get("/api/docs/").content.decode()
    assert "<script>" not in page
    assert engineer_client.get("/api/docs/?script=")["Content-Type"].startswith("application/javascript")
