"""validate_prefixes: the validator's verdicts on the command line, without recording anything."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.registry.factories import RoaFactory, RouteObjectFactory
from tests.support.commands import run_command as run

pytestmark = pytest.mark.django_db


def test_validate_prefixes_prints_both_verdicts_and_exits_zero_when_all_pass():
    RouteObjectFactory(prefix="80.10.0.0/16")
    RoaFactory(prefix="80.10.0.0/16", max_length=24)
    out, _ = run("validate_prefixes", "--asn", "AS13335", "--registry", "RADB", "80.10.5.0/24")
    assert out.startswith("80.10.5.0/24\tConfigured\tIRR: covered by a less-specific route object\tRPKI: Valid")


def test_validate_prefixes_exits_non_zero_when_a_prefix_needs_validation():
    RouteObjectFactory(prefix="80.10.0.0/16")
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 of 2 prefixes would need validation") as failure:
        call_command(
            "validate_prefixes", "--asn", "13335", "--registry", "RADB", "80.10.5.0/24", "2a01::/32", stdout=out
        )
    assert failure.value.returncode == 1
    assert "2a01::/32\tValidationNeeded\tIRR: nothing found" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--asn", "x", "--registry", "RADB", "80.10.5.0/24"), "is not an AS number"),
        (("--asn", "13335", "--registry", "RADB", "80.10.5.1/24"), "has host bits set"),
        (("--asn", "13335", "--registry", "r a", "80.10.5.0/24"), "is not a registry name"),
    ],
)
def test_validate_prefixes_refuses_bad_input_with_a_message(args, message):
    with pytest.raises(CommandError, match=message):
        run("validate_prefixes", *args)
