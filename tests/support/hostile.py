"""Hostile input: the strategies every form and command is fed, and the checks every answer passes."""

from pathlib import Path

from django.conf import settings as django_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# One setting for every hostile test: a modest budget, no timing, one client reused across examples.
hostile = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

MARKUP = (
    '<script>alert("onramp")</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "</textarea><script>steal()</script>",
    '<a href="javascript:alert(1)">x</a>',
)
SQL = ("' OR '1'='1", "1; DROP TABLE circuits_circuit;--", '" OR 1=1 --', "%' UNION SELECT password FROM auth_user --")
ODD_UNICODE = ("\x00", "a\x00b", "\u202e", "\u200f\u200e", "\ufeff", "💥🚀🇳🇱", "Ω≈ç√∫", "ﷺ", "\r\n", "\t", "̶̡", "ｅｒ")
NUMBERS = (
    "-1",
    "0",
    "-0",
    "1.5",
    "1e308",
    "NaN",
    "inf",
    "0x10",
    "٣",
    "4294967296",
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999999999999",
    "1" * 5000,  # past int()'s default digit limit
    "²",  # a digit to str.isdigit(), not to int()
)
CIDRS = (
    "10.0.0.0/33",
    "300.1.1.1/30",
    "10.0.0.1/30",
    "10.0.0.0/-1",
    "10.0.0.0/ 30",
    "1.2.3.4/30/30",
    "/",
    "::/129",
    "fe80::/126%eth0",
    "2001:db8::/126",
    "0.0.0.0/0",
    "192.168.100.128/30",
    "10.0.0.0/8",
    "1.2.3.4",
    ":::/126",
)
ASNS = ("AS-1", "AS4294967296", "AS 65000", "65000.5", "12076", "AS0", "as64500", "64496-64511", "AS" + "9" * 40)
FRAGMENTS = MARKUP + SQL + ODD_UNICODE + NUMBERS + CIDRS + ASNS


def hostile_text(*, max_size=120):
    """Strings a form or file should refuse gracefully: fragments above, random unicode, overlong runs."""
    fragment = st.sampled_from(FRAGMENTS)
    return st.one_of(
        fragment,
        st.text(max_size=max_size),
        st.integers(min_value=81, max_value=5000).map(lambda n: "x" * n),
        st.lists(st.one_of(fragment, st.text(max_size=20)), min_size=2, max_size=4).map("".join),
    )


def hostile_number():
    return st.one_of(
        st.sampled_from(NUMBERS), st.integers(min_value=-(2**70), max_value=2**70).map(str), hostile_text(max_size=12)
    )


def hostile_form(valid, strategies=None):
    """The valid form data with any subset of fields replaced by hostile values (or dropped)."""
    strategies = strategies or {}
    overrides = st.fixed_dictionaries(
        {},
        optional={name: st.one_of(strategies.get(name, hostile_text()), st.just(None)) for name in valid},
    )
    return overrides.map(
        lambda changes: {name: value for name, value in {**valid, **changes}.items() if value is not None}
    )


def raw_markup_in(text, sent):
    """Generated markup that comes back unescaped (an XSS), for every value of the form `sent`."""
    values = [value for value in sent.values() if isinstance(value, str)]
    return [markup for markup in MARKUP if any(markup in value for value in values) and markup in text]


def media_files():
    root = Path(django_settings.MEDIA_ROOT)
    return sorted(str(path) for path in root.rglob("*")) if root.exists() else []
