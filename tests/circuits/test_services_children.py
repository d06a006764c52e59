"""A circuit's provider order, authorizations and VNet links: allowed changes audited, refused ones
leaving the database as it was."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from circuits import services
from circuits.models import VNetLink
from core.actors import AZURE
from tests.circuits.factories import (
    AuthorizationFactory,
    CircuitFactory,
    ProviderOrderFactory,
    VNetLinkFactory,
    deleted_circuit,
)
from tests.peerings.factories import PeeringFactory
from tests.support.audit import assert_event
from tests.support.domain_tables import LINK_LIMITS, PROVIDER_STATES

pytestmark = pytest.mark.django_db


# Provider order ---------------------------------------------------------------------------------


def test_order_recorded_with_service_key_handover(audited, engineer_actor):
    circuit = CircuitFactory()

    order, event = audited(
        services.provider_order_save,
        circuit=circuit,
        actor=engineer_actor,
        provider_reference="EQX-1",
        status="ordered",
    )

    assert order.service_key_handed_over_at is not None
    assert_event(event, circuit=circuit, field="order_status", from_value="", to_value="ordered", actor=engineer_actor)


def test_order_promised_before_requested_is_refused(refused, engineer_actor):
    today = timezone.now().date()

    refused(
        services.provider_order_save,
        circuit=CircuitFactory(),
        actor=engineer_actor,
        requested_on=today,
        promised_on=today - timedelta(days=1),
        match="promised date",
    )


def test_order_update_records_the_status_change(audited, engineer_actor):
    order = ProviderOrderFactory(status="ordered")

    updated, event = audited(
        services.provider_order_save, circuit=order.circuit, order=order, actor=engineer_actor, status="acknowledged"
    )

    assert updated.status == "acknowledged"
    assert_event(
        event,
        circuit=order.circuit,
        field="order_status",
        from_value="ordered",
        to_value="acknowledged",
        actor=engineer_actor,
    )


def test_order_of_another_circuit_is_refused(refused, engineer_actor):
    order = ProviderOrderFactory()

    refused(
        services.provider_order_save,
        circuit=CircuitFactory(),
        order=order,
        actor=engineer_actor,
        status="cancelled",
        match="another circuit",
    )


def test_order_of_a_deleted_circuit_is_refused(refused, engineer_actor):
    circuit = deleted_circuit()

    refused(services.provider_order_save, circuit=circuit, actor=engineer_actor, provider_reference="X")


# Authorizations ---------------------------------------------------------------------------------


def test_authorization_key_is_shown_once_and_stored_as_digest(audited, engineer_actor):
    circuit = CircuitFactory(provisioned=True)

    (authorization, key), event = audited(
        services.authorization_create, circuit=circuit, name="spoke", actor=engineer_actor
    )

    assert authorization.authorization_use_status == "Available"
    assert key not in authorization.authorization_key_digest
    assert_event(
        event,
        circuit=circuit,
        field="authorization_use_status",
        from_value="",
        to_value="Available",
        actor=engineer_actor,
    )


def test_authorization_name_is_unique_per_circuit(refused, engineer_actor):
    authorization = AuthorizationFactory(name="spoke")

    refused(services.authorization_create, circuit=authorization.circuit, name="spoke", actor=engineer_actor)


def test_authorization_in_use_by_a_link_cannot_be_removed(refused, engineer_actor):
    authorization = AuthorizationFactory(authorization_use_status="InUse")
    VNetLinkFactory(circuit=authorization.circuit, authorization=authorization)

    refused(services.authorization_delete, authorization=authorization, actor=engineer_actor, match="in use")


def test_authorization_removed_with_one_event(audited, engineer_actor):
    authorization = AuthorizationFactory()

    _, event = audited(services.authorization_delete, authorization=authorization, actor=engineer_actor)

    assert_event(
        event,
        circuit=authorization.circuit,
        field="removed",
        from_value="Available",
        to_value="",
        actor=engineer_actor,
    )


# VNet links -------------------------------------------------------------------------------------


def link_fields(circuit, *, subscription_id=None, name="hub", **overrides):
    subscription_id = subscription_id or circuit.subscription_id
    return {
        "circuit": circuit,
        "name": name,
        "vnet_resource_id": f"/subscriptions/{subscription_id}/resourceGroups/rg/providers/"
        f"Microsoft.Network/virtualNetworks/{name}",
        "subscription_id": subscription_id,
        "gateway_name": "ergw",
        **overrides,
    }


@pytest.fixture
def linkable_circuit(db):
    return PeeringFactory().circuit


def test_vnet_link_in_the_same_subscription_needs_no_authorization(audited, engineer_actor, linkable_circuit):
    link, event = audited(services.vnet_link_create, actor=engineer_actor, **link_fields(linkable_circuit))

    assert link.authorization is None
    assert_event(
        event,
        circuit=linkable_circuit,
        field="connection_status",
        from_value="",
        to_value="Connecting",
        actor=engineer_actor,
    )


def test_vnet_link_address_space_is_stored_canonical(engineer_actor, linkable_circuit):
    link = services.vnet_link_create(
        actor=engineer_actor, **link_fields(linkable_circuit, address_space=["10.20.0.0/16", "2001:db8:20::/48"])
    )
    assert link.address_space == ["10.20.0.0/16", "2001:db8:20::/48"]


@pytest.mark.parametrize("overlapping", ["192.168.100.0/24", "192.168.100.132/30", "192.168.0.0/16"])
def test_vnet_address_space_must_not_overlap_the_private_peering_subnets(
    refused, engineer_actor, linkable_circuit, overlapping
):
    error = refused(
        services.vnet_link_create,
        actor=engineer_actor,
        **link_fields(linkable_circuit, address_space=["10.20.0.0/16", overlapping]),
    )
    assert error.field == "address_space"


def test_vnet_link_needs_azure_private_peering(refused, engineer_actor):
    circuit = PeeringFactory(microsoft=True).circuit

    refused(services.vnet_link_create, actor=engineer_actor, match="private peering", **link_fields(circuit))


@pytest.mark.parametrize("state", [s for s in PROVIDER_STATES if s != "Provisioned"])
def test_vnet_link_needs_a_provisioned_circuit(refused, engineer_actor, state):
    circuit = PeeringFactory(circuit=CircuitFactory(service_provider_provisioning_state=state)).circuit

    refused(services.vnet_link_create, actor=engineer_actor, match="not Provisioned", **link_fields(circuit))


def test_vnet_link_needs_microsoft_status_enabled(refused, engineer_actor):
    circuit = PeeringFactory(circuit=CircuitFactory(provisioned=True, circuit_provisioning_state="Disabled")).circuit

    refused(services.vnet_link_create, actor=engineer_actor, **link_fields(circuit))


@pytest.mark.parametrize(
    ("sku_tier", "bandwidth_mbps", "limit"),
    [
        (tier, bandwidth_mbps, premium if tier == "Premium" else standard)
        for bandwidth_mbps, standard, premium in LINK_LIMITS
        if bandwidth_mbps <= 10000
        for tier in ("Standard", "Local", "Premium")
    ],
)
def test_vnet_link_limit_follows_sku_and_bandwidth(audited, refused, engineer_actor, sku_tier, bandwidth_mbps, limit):
    family = "UnlimitedData" if sku_tier == "Local" else "MeteredData"
    circuit = CircuitFactory(provisioned=True, sku_tier=sku_tier, sku_family=family, bandwidth_mbps=bandwidth_mbps)
    PeeringFactory(circuit=circuit)
    VNetLink.objects.bulk_create(VNetLinkFactory.build_batch(limit - 1, circuit=circuit))

    audited(services.vnet_link_create, actor=engineer_actor, **link_fields(circuit, name="last"))
    refused(
        services.vnet_link_create,
        actor=engineer_actor,
        match=f"at most {limit} VNet links",
        **link_fields(circuit, name="one-too-many"),
    )


def test_vnet_link_to_an_already_linked_vnet_is_refused(refused, engineer_actor, linkable_circuit):
    services.vnet_link_create(actor=engineer_actor, **link_fields(linkable_circuit))

    error = refused(services.vnet_link_create, actor=engineer_actor, **link_fields(linkable_circuit))

    assert error.field == "vnet_resource_id"


def test_cross_subscription_link_redeems_an_available_authorization(audited, engineer_actor, linkable_circuit):
    authorization, key = services.authorization_create(circuit=linkable_circuit, name="spoke", actor=engineer_actor)

    link, (redeemed, created) = audited(
        services.vnet_link_create,
        actor=engineer_actor,
        authorization_key=key,
        events=2,
        **link_fields(linkable_circuit, subscription_id=uuid.uuid4()),
    )

    authorization.refresh_from_db()
    assert (link.authorization, authorization.authorization_use_status) == (authorization, "InUse")
    assert_event(
        redeemed,
        circuit=linkable_circuit,
        field="authorization_use_status",
        from_value="Available",
        to_value="InUse",
        actor=engineer_actor,
    )
    assert (created.field, created.circuit_id) == ("connection_status", linkable_circuit.pk)


@pytest.mark.parametrize("key", ["", "not-a-key-of-this-circuit"], ids=["no-key", "wrong-key"])
def test_cross_subscription_link_without_a_valid_key_is_refused(refused, engineer_actor, linkable_circuit, key):
    services.authorization_create(circuit=linkable_circuit, name="spoke", actor=engineer_actor)

    error = refused(
        services.vnet_link_create,
        actor=engineer_actor,
        authorization_key=key,
        **link_fields(linkable_circuit, subscription_id=uuid.uuid4()),
    )

    assert error.field == "authorization_key"


def test_authorization_key_of_another_circuit_is_refused(refused, engineer_actor, linkable_circuit):
    _, key = services.authorization_create(circuit=PeeringFactory().circuit, name="other", actor=engineer_actor)

    refused(
        services.vnet_link_create,
        actor=engineer_actor,
        authorization_key=key,
        match="No authorization of this circuit",
        **link_fields(linkable_circuit, subscription_id=uuid.uuid4()),
    )


def test_authorization_key_cannot_be_reused_even_after_its_link_is_removed(refused, engineer_actor, linkable_circuit):
    _, key = services.authorization_create(circuit=linkable_circuit, name="spoke", actor=engineer_actor)
    spoke = uuid.uuid4()
    link = services.vnet_link_create(
        actor=engineer_actor, authorization_key=key, **link_fields(linkable_circuit, subscription_id=spoke)
    )
    services.vnet_link_delete(link=link, actor=engineer_actor)

    refused(
        services.vnet_link_create,
        actor=engineer_actor,
        authorization_key=key,
        match="single use",
        **link_fields(linkable_circuit, subscription_id=spoke, name="again"),
    )


@pytest.mark.parametrize("to_status", ["Connected", "NotConnected", "Unknown"])
def test_vnet_link_status_recorded_on_the_links_circuit(audited, to_status):
    link = VNetLinkFactory()

    updated, event = audited(services.vnet_link_set_status, link=link, to=to_status, actor=AZURE)

    assert updated.connection_status == to_status
    assert_event(
        event, circuit=link.circuit, field="connection_status", from_value="Connecting", to_value=to_status, actor=AZURE
    )


def test_vnet_link_removed_keeps_its_authorization_in_use(audited, engineer_actor):
    authorization = AuthorizationFactory(authorization_use_status="InUse")
    link = VNetLinkFactory(circuit=authorization.circuit, authorization=authorization)

    _, event = audited(services.vnet_link_delete, link=link, actor=engineer_actor)

    authorization.refresh_from_db()
    assert authorization.authorization_use_status == "InUse"
    assert (event.field, event.circuit_id) == ("removed", link.circuit_id)
