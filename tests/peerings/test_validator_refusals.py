"""What the peering rules tell the user, and where (mutation testing found these unchecked: the
MD5 key's exact limit, refusals without text or field, and only the first bad prefix named)."""

import pytest

from core.errors import DomainError
from peerings.validators import MD5_KEY_MAX_LENGTH, parse_advertised_prefixes, validate_asn, validate_shared_key


def _refusal(rule, *args, **kwargs):
    with pytest.raises(DomainError) as refusal:
        rule(*args, **kwargs)
    return refusal.value.field, refusal.value.message


def test_an_md5_key_of_exactly_25_characters_is_accepted():
    validate_shared_key("k" * MD5_KEY_MAX_LENGTH)


def test_an_md5_key_of_26_characters_is_refused_with_the_limit():
    assert _refusal(validate_shared_key, "k" * (MD5_KEY_MAX_LENGTH + 1)) == (
        "shared_key",
        "The BGP MD5 key may have at most 25 characters.",
    )


def test_every_bad_prefix_is_named_in_one_refusal_on_the_prefixes_field():
    field, message = _refusal(parse_advertised_prefixes, ["10.0.0.0/24", "80.10.5.0/24", "80.10.300.0/24"])
    assert field == "advertised_public_prefixes"
    alone = [_refusal(parse_advertised_prefixes, [bad])[1] for bad in ("10.0.0.0/24", "80.10.300.0/24")]
    assert message == " ".join(alone)
    assert "10.0.0.0/24" in message and "80.10.300.0/24" in message and "80.10.5.0/24" not in message


def test_no_prefix_at_all_is_refused_saying_one_is_needed():
    assert _refusal(parse_advertised_prefixes, []) == (
        "advertised_public_prefixes",
        "Microsoft peering needs at least one advertised public prefix.",
    )


def test_more_than_200_prefixes_are_refused_on_the_prefixes_field():
    prefixes = [f"80.{n // 256}.{n % 256}.0/24" for n in range(201)]
    assert _refusal(parse_advertised_prefixes, prefixes) == (
        "advertised_public_prefixes",
        "Microsoft peering accepts at most 200 prefixes per session.",
    )


@pytest.mark.parametrize(
    ("asn", "message"),
    [
        ("AS65010", "Enter the AS number as a whole number, e.g. 64500."),
        (-1, "AS numbers run from 1 to 4294967294."),
        (2**32, "AS numbers run from 1 to 4294967294."),
        # The ends of the 32-bit range are AS numbers, just never valid ones for peering.
        (0, "AS0 is not a valid AS number for BGP peering."),
        (2**32 - 1, "AS4294967295 is not a valid AS number for BGP peering."),
    ],
)
def test_an_asn_refusal_says_why_on_the_peer_asn_field(asn, message):
    assert _refusal(validate_asn, asn) == ("peer_asn", message)
