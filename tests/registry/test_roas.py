import pytest

from core.errors import DomainError
from registry.files import NotRegistryData
from registry.roas import roa_payloads
from tests.support.encodings import ENCODINGS


def _read(path):
    items = list(roa_payloads(path))
    errors = [item.message for item in items if isinstance(item, DomainError)]
    return [item for item in items if not isinstance(item, DomainError)], errors


def test_rpki_client_json_with_asn_as_text_or_number(sample):
    roas, errors = _read(sample("vrps.json"))
    assert [(str(r.network), r.max_length, r.asn, r.trust_anchor) for r in roas] == [
        ("80.10.0.0/16", 20, 13335, "ripe"),
        ("80.30.0.0/16", 24, 3356, "arin"),
        ("2a01:100::/32", 48, 13335, "ripe"),
    ]
    assert errors == ["ROA #4: maxLength 8 is outside /16../32"]


def test_routinator_csv_with_its_header(sample):
    roas, errors = _read(sample("vrps.csv"))
    assert [(str(r.network), r.asn) for r in roas] == [
        ("80.10.0.0/16", 13335),
        ("80.30.0.0/16", 3356),
        ("2a01:100::/32", 13335),
    ]
    assert errors == ["line 5: “not-a-prefix” is not a prefix"]


def test_gzipped_roa_files_are_read(sample, gzipped):
    roas, _ = _read(gzipped(sample("vrps.json")))
    assert len(roas) == 3


def test_a_missing_max_length_means_the_prefix_length(tmp_path):
    path = tmp_path / "vrps.json"
    path.write_text('{"roas": [{"asn": "AS1", "prefix": "80.10.0.0/16", "ta": "ripe"}, 7]}')
    roas, errors = _read(path)
    assert roas[0].max_length == 16
    assert errors == ["ROA #2: not an object"]


EXPECTED = [
    ("1.1.1.0/24", 24, 13335, "apnic"),
    ("20.33.0.0/16", 24, 8075, "arin"),
    ("93.175.147.0/24", 24, 12654, "ripe"),
    ("2001:7fb:fd02::/48", 48, 12654, "ripe"),
]
FORMATS = [
    "routinator.csv",
    "routinator.csvcompat",
    "routinator.json",
    "routinator.jsonext",
    "rpki-client.json",
    "rpki-client.csv",
]


def _tuples(roas):
    return [(str(r.network), r.max_length, r.asn, r.trust_anchor) for r in roas]


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_validator_format_is_read_with_its_trust_anchor_bom_crlf_or_gzip(sample, encoded, name, encoding):
    roas, errors = _read(encoded(sample(name), **ENCODINGS[encoding]))
    assert (_tuples(roas), errors) == (EXPECTED, [])


def test_routinator_csvext_carries_no_trust_anchor_so_none_is_recorded(sample):
    roas, errors = _read(sample("routinator.csvext"))
    assert (_tuples(roas), errors) == ([(*roa[:3], "") for roa in EXPECTED], [])


def test_jsonext_payloads_from_a_local_exception_keep_routinators_n_a(tmp_path):
    path = tmp_path / "vrps.jsonext"
    path.write_text(
        '{"roas": [{"asn": "AS1", "prefix": "80.10.0.0/16", "maxLength": 16,'
        ' "source": [{"type": "exception", "path": "/etc/routinator/local.slurm"}]}]}'
    )
    assert _tuples(_read(path)[0]) == [("80.10.0.0/16", 16, 1, "N/A")]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "is empty"),
        (b"\xef\xbb\xbf \r\n", "is empty"),
        (b"<!DOCTYPE html>\n<html><title>502 Bad Gateway</title></html>", "an HTML or XML page"),
        (b"Prefix,Origin\n1.1.1.0/24,13335\n", "is not a header relying-party software writes"),
    ],
    ids=["empty", "bom-and-blank", "html", "unknown-header"],
)
def test_a_file_that_is_not_a_roa_export_is_refused_whole(tmp_path, content, reason):
    path = tmp_path / "vrps.json"
    path.write_bytes(content)
    with pytest.raises(NotRegistryData, match=reason):
        _read(path)


def test_a_fractional_max_length_is_malformed_not_truncated(tmp_path):
    path = tmp_path / "vrps.json"
    path.write_text('{"roas": [{"asn": 1, "prefix": "80.10.0.0/16", "maxLength": 24.5, "ta": "ripe"}]}')
    assert _read(path) == ([], ["ROA #1: maxLength “24.5” is not a whole number"])
