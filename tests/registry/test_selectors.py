import ipaddress

from registry.selectors import roas_covering, routes_covering, routes_more_specific
from tests.registry.factories import RoaFactory, RouteObjectFactory

net = ipaddress.ip_network


def test_covering_finds_the_exact_prefix_and_every_less_specific_one(db):
    for prefix in ("80.10.0.0/16", "80.10.5.0/24", "80.0.0.0/8", "80.11.0.0/16", "80.10.5.0/25"):
        RouteObjectFactory(prefix=prefix)
    found = routes_covering([net("80.10.5.0/24")])
    assert sorted(r["prefix"] for r in found[net("80.10.5.0/24")]) == ["80.0.0.0/8", "80.10.0.0/16", "80.10.5.0/24"]


def test_covering_in_ipv6_does_not_mix_families(db):
    RouteObjectFactory(prefix="2a01:100::/32")
    RouteObjectFactory(prefix="0.0.0.0/0")
    found = routes_covering([net("2a01:100:5::/48"), net("2a02::/32")])
    assert [r["prefix"] for r in found[net("2a01:100:5::/48")]] == ["2a01:100::/32"]
    assert found[net("2a02::/32")] == []


def test_many_prefixes_are_looked_up_in_one_query(db, django_assert_num_queries):
    RouteObjectFactory(prefix="80.10.0.0/16")
    networks = [net(f"80.10.{i}.0/24") for i in range(200)] + [net(f"2a01:100:{i:x}::/48") for i in range(50)]
    with django_assert_num_queries(1):
        found = routes_covering(networks)
    assert all(found[network] for network in networks[:200])


def test_more_specifics_are_strictly_inside_the_prefix(db):
    for prefix in ("80.10.0.0/16", "80.10.5.0/24", "80.10.255.128/25", "80.11.0.0/24", "80.9.255.0/24"):
        RouteObjectFactory(prefix=prefix)
    found = routes_more_specific(net("80.10.0.0/16")).values_list("prefix", flat=True)
    assert sorted(found) == ["80.10.255.128/25", "80.10.5.0/24"]


def test_roas_covering_includes_less_specific_roas(db):
    RoaFactory(prefix="80.10.0.0/16", max_length=24)
    RoaFactory(prefix="80.10.5.0/24", max_length=24, asn=1)
    found = roas_covering([net("80.10.5.0/24")])
    assert sorted(r["asn"] for r in found[net("80.10.5.0/24")]) == [1, 13335]
