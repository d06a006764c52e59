"""Import → export → import changes nothing, for ROAs and for route objects of any source."""

import io
import ipaddress
import json

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.models import Roa, RouteObject
from registry.services import irr_import, roas_import

pytestmark = pytest.mark.django_db
round_trips = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

IPV4 = st.tuples(st.integers(0, 2**32 - 1), st.integers(8, 32)).map(lambda pair: (4, *pair))
IPV6 = st.tuples(st.integers(0, 2**128 - 1), st.integers(16, 128)).map(lambda pair: (6, *pair))
ASNS = st.integers(1, 4294967294)
NAMES = st.from_regex(r"\A[A-Z0-9][A-Z0-9-]{0,15}\Z")


def _prefix(family, address, length):
    bits = 32 if family == 4 else 128
    network = address >> (bits - length) << (bits - length)
    return str(ipaddress.IPv4Network((network, length)) if family == 4 else ipaddress.IPv6Network((network, length)))


@st.composite
def roas(draw):
    family, address, length = draw(st.one_of(IPV4, IPV6))
    max_length = draw(st.integers(length, 32 if family == 4 else 128))
    trust_anchor = draw(st.sampled_from(["afrinic", "apnic", "arin", "lacnic", "ripe", "N/A"]))
    return {
        "asn": f"AS{draw(ASNS)}",
        "prefix": _prefix(family, address, length),
        "maxLength": max_length,
        "ta": trust_anchor,
    }


@st.composite
def routes(draw):
    family, address, length = draw(st.one_of(IPV4, IPV6))
    maintainers = draw(st.lists(NAMES, max_size=3))
    mnt_by = "".join(f"mnt-by: {name}\n" for name in maintainers)
    object_class = "route" if family == 4 else "route6"
    return f"{object_class}: {_prefix(family, address, length)}\norigin: AS{draw(ASNS)}\n{mnt_by}source: RADB\n\n"


def _export(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def _roa_rows():
    return sorted(Roa.objects.values_list("family", "network", "length", "prefix", "max_length", "asn", "trust_anchor"))


def _route_rows():
    return sorted(
        RouteObject.objects.values_list("source", "family", "network", "length", "prefix", "origin", "mnt_by")
    )


@round_trips
@given(payloads=st.lists(roas(), min_size=1, max_size=8))
def test_roas_import_export_import_changes_nothing(tmp_path, payloads):
    first = tmp_path / "first.json"
    first.write_text(json.dumps({"roas": payloads}))
    roas_import(paths=[first])
    imported = _roa_rows()
    exported = tmp_path / "exported.json"
    exported.write_text(_export("export_roas"))
    roas_import(paths=[exported])
    assert _roa_rows() == imported


@round_trips
@given(objects=st.lists(routes(), min_size=1, max_size=8))
def test_route_objects_import_export_import_changes_nothing(tmp_path, objects):
    first = tmp_path / "radb.db"
    first.write_text("".join(objects))
    irr_import(paths=[first], source="RADB")
    imported = _route_rows()
    exported = tmp_path / "exported.db"
    exported.write_text(_export("export_irr", "--source", "RADB"))
    irr_import(paths=[exported], source="RADB")
    assert _route_rows() == imported
    assert _export("export_irr", "--source", "RADB") == exported.read_text()


def test_export_roas_writes_routinator_json(sample):
    roas_import(paths=[sample("rpki-client.json")])
    assert '    {"asn": "AS13335", "prefix": "1.1.1.0/24", "maxLength": 24, "ta": "apnic"},' in _export("export_roas")
