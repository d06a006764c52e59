from core.errors import DomainError
from registry.roas import roa_payloads


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
