"""Hostile files and arguments for every management command: a clean CommandError (non-zero exit)
or success, never a traceback; a refused import leaves the database as it was."""

import copy
import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from tests.billing.factories import PAGE
from tests.support.hostile import ASNS, CIDRS, hostile, hostile_number, hostile_text

DATA = Path(__file__).resolve().parents[1]
BASE_DIR = DATA.parent
CIRCUIT_RECORD = json.loads((DATA / "sync" / "data" / "az_cli_list.json").read_text())[0]
PRICE_ITEM = PAGE["Items"][0]
ROA = {"asn": "AS13335", "prefix": "80.10.0.0/16", "maxLength": 20, "ta": "ripe"}
SURROGATES = st.text(st.characters(categories=["Cs"]), min_size=1, max_size=3)
# JSON values of every type, strings hostile or with lone surrogates (JSON escapes them as \\udxxx).
JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False),
    hostile_text(),
    SURROGATES,
    st.sampled_from(CIDRS + ASNS),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
# Command-line arguments cannot carry NUL (C strings) but can carry lone surrogates (undecodable bytes).
ARGUMENTS = st.one_of(hostile_text(max_size=60), SURROGATES).map(lambda text: text.replace("\x00", ""))
GARBAGE = st.one_of(
    st.binary(max_size=300),
    st.just(b"\xff\xfe\x00garbage"),
    st.just(gzip.compress(b"route: 80.10.0.0/16\norigin: AS13335\n")[:20]),  # a truncated gzip
    st.binary(max_size=200).map(gzip.compress),
    st.just(b"{" * 5000),
)


def domain_snapshot():
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for label in ("circuits", "peerings", "audit", "registry", "billing")
        for model in django_apps.get_app_config(label).get_models()
    }


def mutated(base, data):
    """`base` with a few of its fields (at any depth of the top level) replaced by hostile JSON."""
    record = copy.deepcopy(base)
    for key in data.draw(st.lists(st.sampled_from(sorted(base)), max_size=4, unique=True)):
        record[key] = data.draw(JSON_VALUES)
    return record


def json_file(value):
    return json.dumps(value).encode()


@pytest.fixture
def run(db, tmp_path):
    """Run a command on files with the given contents: CommandError or success; refused means unchanged."""

    def run(command, *contents, args=(), **options):
        paths = []
        for number, content in enumerate(contents):
            path = tmp_path / f"input-{number}"
            path.write_bytes(content)
            paths.append(str(path))
        before = domain_snapshot()
        try:
            call_command(command, *paths, *args, stdout=io.StringIO(), stderr=io.StringIO(), **options)
        except CommandError as error:
            assert str(error).strip(), "a refusal says why"
            if command != "validate_prefixes":
                assert domain_snapshot() == before, f"{command} refused the input but changed the database"
            return error
        return None

    return run


@hostile
@given(data=st.data())
def test_import_circuits_survives_hostile_records(team, run, data):
    record = mutated(CIRCUIT_RECORD, data)
    shape = data.draw(st.sampled_from(["list", "object", "value", "properties"]))
    document = {
        "list": [record],
        "object": record,
        "value": {"value": [record]},
        "properties": {"value": [{"id": record.get("id"), "name": record.get("name"), "properties": record}]},
    }[shape]
    run("import_circuits", json_file(document), team=team.name)


@hostile
@given(content=st.one_of(GARBAGE, JSON_VALUES.map(json_file)), team_name=st.one_of(st.none(), ARGUMENTS))
def test_import_circuits_survives_garbage_files_and_team_names(team, run, content, team_name):
    run("import_circuits", content, team=team_name)


RPSL_KEYS = st.sampled_from(["route", "route6", "origin", "mnt-by", "source", "descr", "+", " ", "%", "#", ""])
RPSL_LINES = st.tuples(RPSL_KEYS, st.one_of(st.sampled_from(CIDRS + ASNS), hostile_text(max_size=60))).map(
    lambda pair: f"{pair[0]}: {pair[1]}" if pair[0].strip() else pair[0] + pair[1]
)


@hostile
@given(
    lines=st.lists(RPSL_LINES, max_size=30),
    compress=st.booleans(),
    source=st.one_of(st.sampled_from(["RADB", "RIPE", "RIPENCC"]), ARGUMENTS),
)
def test_import_irr_survives_hostile_dumps_and_sources(run, lines, compress, source):
    text = "route: 80.10.0.0/16\norigin: AS13335\nsource: RADB\n\n" + "\n".join(lines)
    content = text.encode("utf-8", "surrogatepass")
    run("import_irr", gzip.compress(content) if compress else content, source=source)


@hostile
@given(content=GARBAGE)
def test_import_irr_survives_garbage_files(run, content):
    run("import_irr", content, source="RADB")


@hostile
@given(data=st.data(), form=st.sampled_from(["json", "csv"]), compress=st.booleans())
def test_import_roas_survives_hostile_payloads(run, data, form, compress):
    if form == "json":
        roas = [mutated(ROA, data) for _ in range(data.draw(st.integers(1, 3)))]
        content = json_file(data.draw(st.sampled_from([{"roas": roas}, roas, {"roas": roas[0]}, {"nope": 1}])))
    else:
        cells = st.one_of(st.sampled_from(CIDRS + ASNS + ("24", "-1", "129")), hostile_text(max_size=30))
        rows = data.draw(st.lists(st.lists(cells, min_size=0, max_size=5), max_size=6))
        header = data.draw(st.sampled_from(["ASN,IP Prefix,Max Length,Trust Anchor", "", "a,b"]))
        lines = [header] + [",".join(row) for row in rows]
        content = "\n".join(lines).encode("utf-8", "surrogatepass")
    run("import_roas", gzip.compress(content) if compress else content)


@hostile
@given(content=GARBAGE)
def test_import_roas_survives_garbage_files(run, content):
    run("import_roas", content)


@hostile
@given(
    prefixes=st.lists(st.one_of(st.sampled_from(CIDRS), ARGUMENTS), min_size=1, max_size=4),
    asn=st.one_of(st.sampled_from(ASNS), hostile_number().map(lambda text: text.replace("\x00", "")), ARGUMENTS),
    registry=st.one_of(st.sampled_from(["RADB", "RIPE", "RIPENCC", "ARIN"]), ARGUMENTS),
)
def test_validate_prefixes_survives_hostile_arguments(run, prefixes, asn, registry):
    run("validate_prefixes", args=prefixes, asn=asn, registry=registry)


@hostile
@given(data=st.data())
def test_import_prices_survives_hostile_items(run, data):
    items = [mutated(PRICE_ITEM, data) for _ in range(data.draw(st.integers(1, 3)))]
    page = data.draw(st.sampled_from([{"Items": items}, {"Items": items[0]}, items, {"Items": None}]))
    run("import_prices", json_file(page))


@hostile
@given(content=st.one_of(GARBAGE, JSON_VALUES.map(json_file)))
def test_import_prices_survives_garbage_files(run, content):
    run("import_prices", content)


def test_a_missing_file_is_a_clean_error_for_every_import(run, tmp_path):
    missing = str(tmp_path / "missing.json")
    for command, options in [
        ("import_circuits", {}),
        ("import_irr", {"source": "RADB"}),
        ("import_roas", {}),
        ("import_prices", {}),
    ]:
        with pytest.raises(CommandError):
            call_command(command, missing, stdout=io.StringIO(), stderr=io.StringIO(), **options)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("command", "content", "arguments"),
    [
        ("import_roas", gzip.compress(b'{"roas": [{"asn": 1}]}')[:20], []),
        ("import_irr", b"\x1f\x8b\x08\x00garbage", ["--source", "RADB"]),
        ("import_circuits", b"[{", []),
        ("import_prices", b'{"Items": 5}', []),
    ],
    ids=["roas-truncated-gzip", "irr-corrupt-gzip", "circuits-broken-json", "prices-no-items"],
)
def test_a_refused_file_ends_the_command_with_a_message_and_exit_status_1(
    settings, tmp_path, command, content, arguments
):
    """What an operator sees: one line saying what is wrong, exit status 1, no traceback."""
    path = tmp_path / "input"
    path.write_bytes(content)
    database = settings.DATABASES["default"]  # the test database: migrated, and empty outside the tests
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the command process reaches the test database through DATABASE_URL (PostgreSQL)")
    login = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"postgres://{login}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", command, str(path), *arguments],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.startswith("CommandError: ")


@pytest.mark.parametrize("gbps", [1.7e305, -10, "10", True])
def test_an_impossible_port_speed_refuses_the_file(team, run, gbps):
    record = {**CIRCUIT_RECORD, "bandwidthInGbps": gbps}

    error = run("import_circuits", json_file([record]), team=team.name)

    assert error is not None and "bandwidthInGbps" in str(error)


def test_nan_which_json_does_not_have_refuses_the_file(team, run):
    record = {**CIRCUIT_RECORD, "bandwidthInGbps": float("nan")}  # json.dumps writes NaN, no JSON reader should

    error = run("import_circuits", json_file([record]), team=team.name)

    assert error is not None and "not valid JSON" in str(error)
