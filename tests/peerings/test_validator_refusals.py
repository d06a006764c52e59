"""What the peering rules tell the user, and where (mutation testing found these unchecked: the
MD5 key's exact limit, refusals without text or field, and only the first bad prefix named)."""

import pytest

from core.errors import DomainError
from peerings.validators import MD5_KEY_MAX_LENGTH, parse_advertised_prefixes, validate_shared_key


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
