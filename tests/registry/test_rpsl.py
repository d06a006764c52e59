import io

import pytest

from core.errors import DomainError
from registry.files import NotRegistryData
from registry.rpsl import route_from_object, rpsl_dump_lines, rpsl_objects
from tests.support.encodings import ENCODINGS


def _routes(text):
    routes, errors = [], []
    for obj in rpsl_objects(io.StringIO(text)):
        if obj.object_class in ("route", "route6") or obj.error:
            try:
                routes.append(route_from_object(obj))
            except DomainError as error:
                errors.append(error.message)
    return routes, errors


def test_route_and_route6_objects_are_read_with_origin_mnt_by_and_source(sample):
    with rpsl_dump_lines(sample("radb-sample.db")) as lines:
        objects = list(rpsl_objects(lines))
    routes = [route_from_object(o) for o in objects if o.object_class in ("route", "route6") and o.line != 20]
    assert [(str(r.network), r.origin, r.source) for r in routes] == [
        ("80.10.0.0/16", 13335, "RADB"),
        ("2a01:100::/32", 13335, "RADB"),
        ("80.30.0.0/24", 3356, "RADB"),
    ]


def test_continuation_lines_with_whitespace_or_plus_extend_the_attribute():
    routes, _ = _routes("route: 80.10.0.0/16\norigin: AS1\nmnt-by: MAINT-A\n+ MAINT-B\n\tMAINT-C\nsource: RADB\n")
    assert routes[0].mnt_by == "MAINT-A MAINT-B MAINT-C"


def test_comment_lines_and_end_of_line_comments_are_ignored():
    routes, _ = _routes("% header\n# note\nroute: 80.10.0.0/16 # the block\n% inside\norigin: AS1 # us\nsource: RADB\n")
    assert (str(routes[0].network), routes[0].origin) == ("80.10.0.0/16", 1)


def test_other_object_classes_are_skipped_unparsed():
    objects = list(rpsl_objects(io.StringIO("mntner: M\nno colon here\n\naut-num: AS1\nsource: RADB\n")))
    assert [(o.object_class, o.attributes, o.error) for o in objects] == [("mntner", {}, ""), ("aut-num", {}, "")]


def test_a_malformed_object_is_reported_by_line_and_the_next_one_still_read():
    text = "route: 80.10.0.0/16\norigin: AS1\n\nroute: 80.20.0.0/24\norigin: ASX\n\nroute6: 2a01::/32\norigin: AS2\n"
    routes, errors = _routes(text)
    assert [str(r.network) for r in routes] == ["80.10.0.0/16", "2a01::/32"]
    assert errors == ["line 4: origin “ASX” is not an AS number such as AS64500"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("route: 80.10.0.1/16\norigin: AS1\n", "line 1: route “80.10.0.1/16” has host bits set"),
        ("route6: 2a01::%eth0/32\norigin: AS1\n", "line 1: route6 “2a01::%eth0/32” is not an IPv6 prefix"),
        ("route: 2a01::/32\norigin: AS1\n", "line 1: route “2a01::/32” is not an IPv4 prefix"),
        ("route6: 80.10.0.0/16\norigin: AS1\n", "line 1: route6 “80.10.0.0/16” holds an IPv4 prefix"),
        ("route: 80.10.0.0/16\n", "line 1: origin “” is not an AS number such as AS64500"),
        ("route: 80.10.0.0/16\nthis line has no colon\n", "line 2: “this line has no colon” is not an attribute"),
        ("\n  stray continuation\n", "line 2: continuation line outside an object"),
    ],
)
def test_malformed_route_objects_say_which_line_and_why(text, message):
    _, errors = _routes(text)
    assert errors and errors[0].startswith(message)


def test_gzip_dumps_are_recognised_by_content_not_name(sample, gzipped):
    with rpsl_dump_lines(gzipped(sample("radb-sample.db"))) as lines:
        assert sum(1 for o in rpsl_objects(lines) if o.object_class == "route6") == 1


def test_crlf_line_endings_and_latin1_bytes_do_not_break_reading(tmp_path):
    dump = tmp_path / "dump.db"
    dump.write_bytes(b"route: 80.10.0.0/16\r\ndescr: M\xfcnchen\r\norigin: AS1\r\n\r\n")
    with rpsl_dump_lines(dump) as lines:
        (route,) = [route_from_object(o) for o in rpsl_objects(lines)]
    assert route.origin == 1


def _dump(path):
    """Routes and errors of a dump file read as the importer reads it, for source RIPE."""
    routes, errors = [], []
    with rpsl_dump_lines(path) as lines:
        for obj in rpsl_objects(lines):
            if obj.object_class in ("route", "route6") or obj.error:
                try:
                    routes.append(route_from_object(obj, source="RIPE"))
                except DomainError as error:
                    errors.append(error.message)
    return routes, errors


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_bom_crlf_or_gzip_dump_loses_no_object_not_even_the_first(sample, encoded, encoding):
    routes, _ = _dump(encoded(sample("ripe.db.route"), **ENCODINGS[encoding]))
    assert [str(r.network) for r in routes] == ["185.40.12.0/24", "2a01:111:f400::/48", "93.175.147.0/24"]


def test_zero_padded_octets_are_normalised_as_irrd_does(sample):
    routes, _ = _dump(sample("ripe.db.route"))
    assert (str(routes[0].network), routes[0].origin) == ("185.40.12.0/24", 8075)


def test_host_bits_set_is_refused_as_irrd_refuses_it(sample):
    _, errors = _dump(sample("ripe.db.route"))
    assert errors[0] == (
        "line 14: route “10.0.0.1/8” has host bits set (irrd refuses it; the prefix would be 10.0.0.0/8)"
    )


def test_whitespace_only_and_plus_only_continuations_keep_the_object_together(sample):
    routes, _ = _dump(sample("ripe.db.route"))
    assert (routes[1].origin, routes[1].mnt_by) == (8075, "MICROSOFT-MAINT MICROSOFT-SECOND-MNT")


def test_an_object_of_another_source_is_refused_as_irrds_mirror_import_does(sample):
    _, errors = _dump(sample("ripe.db.route"))
    assert errors[1] == "line 38: source “RIPE-NONAUTH” is not RIPE, the source being imported"


def test_arin_dump_objects_are_read(sample):
    with rpsl_dump_lines(sample("arin.db")) as lines:
        objects = [o for o in rpsl_objects(lines) if o.object_class.startswith("route")]
        routes = [route_from_object(o, source="ARIN") for o in objects]
    assert [(str(r.network), r.origin, r.mnt_by) for r in routes] == [
        ("20.33.0.0/16", 8075, "MNT-MSFT"),
        ("2603:1000::/25", 8075, "MNT-MSFT"),
    ]


def test_a_paragraph_that_does_not_start_with_an_attribute_is_malformed_not_another_class():
    _, errors = _routes("404 Not Found\n\nroute: 80.10.0.0/16\norigin: AS1\n")
    assert errors == ["line 1: “404 Not Found” is not an attribute (name: value)"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("nrtm-v3-stream.txt", "line 3: “ADD 51212” is an NRTM operation: an update stream is not a dump"),
        ("error-404.html", "starts with “<!DOCTYPE html>”: an HTML or XML page"),
    ],
)
def test_what_is_not_a_dump_is_refused_whole(sample, name, reason):
    with pytest.raises(NotRegistryData, match=reason):
        _dump(sample(name))


def test_an_empty_body_is_refused_whole(tmp_path):
    (tmp_path / "radb.db").write_bytes(b"\xef\xbb\xbf\n")
    with pytest.raises(NotRegistryData, match="is empty"):
        _dump(tmp_path / "radb.db")
