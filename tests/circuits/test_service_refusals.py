"""The exact words of circuit service refusals a person acts on (mutation testing found them
unchecked: tests matched a fragment, so a garbled message passed)."""

import pytest

from circuits import services
from tests.circuits.factories import AuthorizationFactory, CircuitFactory, VNetLinkFactory

pytestmark = pytest.mark.django_db


def test_a_second_circuit_for_one_azure_resource_names_the_first_and_says_what_to_do():
    existing = CircuitFactory(name="er-ams-01")
    refusal = services.CircuitAlreadyExists(existing)
    assert (refusal.field, refusal.code, refusal.circuit) == ("name", "conflict", existing)
    assert refusal.message == (
        f"Circuit er-ams-01 (#{existing.pk}) is already this Azure resource: the same name, subscription "
        "and resource group. Open it, or choose another name."
    )


def test_an_authorization_in_use_is_refused_saying_to_remove_the_link_first(refused, engineer_actor):
    authorization = AuthorizationFactory(authorization_use_status="InUse")
    VNetLinkFactory(circuit=authorization.circuit, authorization=authorization)
    refusal = refused(services.authorization_delete, authorization=authorization, actor=engineer_actor)
    assert refusal.message == "This authorization is in use by a VNet link; remove the link first."
