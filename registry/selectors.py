"""Indexed prefix lookups over route objects and ROAs, batched for many prefixes at once."""

from collections import defaultdict
from functools import reduce
from operator import or_

from django.db.models import Q

from .models import Roa, RouteObject
from .prefixes import covering_keys, more_specific_range


def _covering_index(networks):
    """Map each (family, network bytes, length) key to the prefixes it covers, and the query that finds them.

    One `network IN (...) AND length IN (...)` per family, served by the (family, network, length)
    index: a superset of the keys (a network of one length paired with another length), which
    _group_covering drops by the map. One term per (family, length) instead cost more to build in
    the ORM (~15 ms for one prefix's 25 lengths) than the query took to run.
    """
    covered_by = defaultdict(list)
    networks_of, lengths_of = defaultdict(set), defaultdict(set)
    for network in networks:
        for network_bytes, length in covering_keys(network):
            covered_by[(network.version, network_bytes, length)].append(network)
            networks_of[network.version].add(network_bytes)
            lengths_of[network.version].add(length)
    if not networks_of:
        return covered_by, None
    query = reduce(
        or_,
        (
            Q(family=family, network__in=sorted(keys), length__in=sorted(lengths_of[family]))
            for family, keys in networks_of.items()
        ),
    )
    return covered_by, query


def _group_covering(model, networks, fields):
    covered_by, query = _covering_index(networks)
    found = defaultdict(list)
    if query is None:
        return found
    for row in model.objects.filter(query).values("family", "network", "length", *fields):
        for network in covered_by.get((row["family"], bytes(row["network"]), row["length"]), ()):
            found[network].append(row)
    return found


def routes_covering(networks) -> dict:
    """For each network: the route objects (any registry) for it or a less-specific prefix containing it."""
    return _group_covering(RouteObject, networks, ("prefix", "origin", "source"))


def roas_covering(networks) -> dict:
    """For each network: the ROAs whose prefix contains it (RFC 6811's covering set)."""
    return _group_covering(Roa, networks, ("prefix", "max_length", "asn"))


def routes_more_specific(network, *, source=None):
    """Route objects strictly inside `network`: one range scan on the (family, network, length) index."""
    start, end = more_specific_range(network)
    routes = RouteObject.objects.filter(
        family=network.version, network__gte=start, network__lte=end, length__gt=network.prefixlen
    )
    return routes.filter(source=source) if source else routes


def roas_for_export():
    """Every ROA as (prefix, max_length, asn, trust_anchor), in prefix order, streamed."""
    return (
        Roa.objects.order_by("family", "network", "length", "max_length", "asn", "trust_anchor")
        .values_list("prefix", "max_length", "asn", "trust_anchor")
        .iterator()
    )


def route_objects_for_export(*, source: str):
    """The route objects of one source as (prefix, family, origin, mnt_by), in prefix order, streamed."""
    return (
        RouteObject.objects.filter(source=source)
        .order_by("family", "network", "length", "origin", "mnt_by")
        .values_list("prefix", "family", "origin", "mnt_by")
        .iterator()
    )
