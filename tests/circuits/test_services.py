"""Every allowed and every refused change of a circuit, its order, authorizations and VNet links.

Allowed changes write exactly one audit event (actor, from, to, the right circuit); refused ones
raise DomainError, write nothing and leave the database as it was (the `refused` fixture checks).
"""

import itertools
import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from circuits import services
from circuits.models import Circuit, VNetLink
from core.actors import AZURE, IMPORTER, SIMULATOR, Actor
from core.errors import DomainError
from tests.circuits.factories import (
    AuthorizationFactory,
    CircuitFactory,
    ProviderOrderFactory,
    ServiceProviderFactory,
    VNetLinkFactory,
)
from tests.circuits.test_validators import LINK_LIMITS
from tests.peerings.factories import PeeringFactory

pytestmark = pytest.mark.django_db

PROVIDER_STATES = ("NotProvisioned", "Provisioning", "Provisioned", "Deprovisioning", "DeProvisioned")
# docs/DOMAIN.md's provider lifecycle, written out independently of the services' table.
PROVIDER_LIFECYCLE = {
    ("NotProvisioned", "Provisioning"),  # the provider starts (also: re-order after deprovisioning)
    ("Provisioning", "Provisioned"),
    ("Provisioning", "NotProvisioned"),  # the provider gives up on the order
    ("Provisioned", "Deprovisioning"),
    ("Deprovisioning", "NotProvisioned"),
    ("Deprovisioning", "DeProvisioned"),  # newer SDKs
    ("DeProvisioned", "NotProvisioned"),
    ("DeProvisioned", "Provisioning"),  # re-order
}
STATE_PAIRS = [pair for pair in itertools.product(PROVIDER_STATES, repeat=2) if pair[0] != pair[1]]


@pytest.fixture(params=["person", "simulator"])
def enforced_actor(request, engineer):
    """People and the simulator are held to the lifecycle."""
    return Actor.person(engineer) if request.param == "person" else SIMULATOR


def deleted_circuit():
    return CircuitFactory(created_at=timezone.now() - timedelta(days=30), deleted_at=timezone.now())


def assert_event(event, *, circuit, field, from_value, to_value, actor):
    assert (event.circuit_id, event.field, event.from_value, event.to_value) == (
        circuit.pk,
        field,
        str(from_value),
        str(to_value),
    )
    assert (event.actor_kind, event.actor_user) == (actor.kind, actor.user)


# Provider state ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("from_state", "to_state"), sorted(PROVIDER_LIFECYCLE))
def test_provider_state_moves_along_the_lifecycle_with_one_audit_event(audited, enforced_actor, from_state, to_state):
    circuit = CircuitFactory(service_provider_provisioning_state=from_state)

    updated, event = audited(
        services.circuit_set_provider_state, circuit=circuit, to=to_state, actor=enforced_actor, reason="noc"
    )

    assert updated.service_provider_provisioning_state == to_state
    assert updated.version == circuit.version + 1
    assert_event(
        event,
        circuit=circuit,
        field="service_provider_provisioning_state",
        from_value=from_state,
        to_value=to_state,
        actor=enforced_actor,
    )
    assert event.reason == "noc"


@pytest.mark.parametrize(("from_state", "to_state"), sorted(set(STATE_PAIRS) - PROVIDER_LIFECYCLE))
def test_provider_state_refuses_moves_outside_the_lifecycle(refused, enforced_actor, from_state, to_state):
    circuit = CircuitFactory(service_provider_provisioning_state=from_state)

    error = refused(services.circuit_set_provider_state, circuit=circuit, to=to_state, actor=enforced_actor)

    assert error.field == "service_provider_provisioning_state"


@pytest.mark.parametrize("observer", [AZURE, IMPORTER], ids=["azure", "import"])
@pytest.mark.parametrize(("from_state", "to_state"), [("NotProvisioned", "Provisioned"), ("Provisioned", "Weird")])
def test_provider_state_reported_by_azure_or_an_import_is_recorded_not_refused(audited, observer, from_state, to_state):
    circuit = CircuitFactory(service_provider_provisioning_state=from_state)

    updated, event = audited(services.circuit_set_provider_state, circuit=circuit, to=to_state, actor=observer)

    assert updated.service_provider_provisioning_state == to_state
    assert (event.actor_kind, event.actor_user) == (observer.kind, None)


def test_provider_state_reapplied_is_a_no_op_without_audit_event(audited):
    circuit = CircuitFactory(service_provider_provisioning_state="Provisioning")

    updated, _ = audited(
        services.circuit_set_provider_state, circuit=circuit, to="Provisioning", actor=SIMULATOR, events=0
    )

    assert updated.version == circuit.version


@pytest.mark.parametrize("to_state", ["NotProvisioned", "DeProvisioned"])
def test_provider_finishing_deprovisioning_stamps_deprovisioned_at(to_state):
    circuit = CircuitFactory(
        service_provider_provisioning_state="Deprovisioning", deprovision_requested_at=timezone.now()
    )

    updated = services.circuit_set_provider_state(circuit=circuit, to=to_state, actor=SIMULATOR)

    assert updated.deprovisioned_at is not None
    assert updated.deprovision_requested_at is None


def test_azure_reporting_deprovisioned_straight_from_provisioned_stamps_deprovisioned_at():
    circuit = CircuitFactory(provisioned=True)

    updated = services.circuit_set_provider_state(circuit=circuit, to="DeProvisioned", actor=AZURE)

    assert updated.deprovisioned_at is not None


@pytest.mark.parametrize("deprovisioned_state", ["NotProvisioned", "DeProvisioned"])
def test_reorder_after_deprovisioning_clears_deprovisioned_at(audited, deprovisioned_state):
    circuit = CircuitFactory(service_provider_provisioning_state=deprovisioned_state, deprovisioned_at=timezone.now())

    updated, event = audited(services.circuit_set_provider_state, circuit=circuit, to="Provisioning", actor=SIMULATOR)

    assert updated.deprovisioned_at is None
    assert (event.from_value, event.to_value) == (deprovisioned_state, "Provisioning")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    moves=st.lists(
        st.tuples(st.sampled_from(["person", "simulator", "azure"]), st.sampled_from(PROVIDER_STATES)), max_size=8
    )
)
@example(moves=[("azure", "Provisioned"), ("azure", "DeProvisioned"), ("azure", "Provisioned")])
def test_any_sequence_of_provider_reports_keeps_state_audit_and_deprovisioned_date_consistent(engineer, moves):
    actors = {"person": Actor.person(engineer), "simulator": SIMULATOR, "azure": AZURE}
    circuit = CircuitFactory()
    for actor_name, to_state in moves:
        before = Circuit.objects.get(pk=circuit.pk)
        events_before = circuit.audit_events.count()
        observed = actor_name == "azure"
        moving = (before.service_provider_provisioning_state, to_state)
        try:
            after = services.circuit_set_provider_state(circuit=circuit, to=to_state, actor=actors[actor_name])
        except DomainError:
            assert not observed and moving not in PROVIDER_LIFECYCLE
            assert Circuit.objects.get(pk=circuit.pk).version == before.version
            assert circuit.audit_events.count() == events_before
            continue
        assert observed or moving in PROVIDER_LIFECYCLE or moving[0] == moving[1]
        assert circuit.audit_events.count() == events_before + (moving[0] != moving[1])
        state = after.service_provider_provisioning_state
        if state in ("Provisioning", "Provisioned"):
            assert after.deprovisioned_at is None
        if state == "DeProvisioned" or (state == "NotProvisioned" and moving[0] in ("Provisioned", "Deprovisioning")):
            assert after.deprovisioned_at is not None


def test_provider_state_of_a_deleted_circuit_is_refused(refused):
    circuit = deleted_circuit()

    refused(services.circuit_set_provider_state, circuit=circuit, to="Provisioning", actor=SIMULATOR)


@pytest.mark.parametrize(
    ("field", "to_value"), [("circuit_provisioning_state", "Disabled"), ("provisioning_state", "Failed")]
)
def test_microsoft_status_and_arm_state_are_recorded_as_observed(audited, field, to_value):
    circuit = CircuitFactory(provisioned=True)

    updated, event = audited(services.circuit_set_status, circuit=circuit, field=field, to=to_value, actor=AZURE)

    assert getattr(updated, field) == to_value
    assert (event.field, event.to_value, event.circuit_id) == (field, to_value, circuit.pk)


# Deprovision request ----------------------------------------------------------------------------


def test_deprovision_request_on_a_provisioned_circuit_is_recorded(audited, engineer_actor):
    circuit = CircuitFactory(provisioned=True)

    updated, event = audited(services.circuit_request_deprovision, circuit=circuit, actor=engineer_actor)

    assert updated.deprovision_requested_at is not None
    assert_event(
        event, circuit=circuit, field="deprovision_requested", from_value="", to_value="yes", actor=engineer_actor
    )


@pytest.mark.parametrize("state", [s for s in PROVIDER_STATES if s != "Provisioned"])
def test_deprovision_request_needs_a_provisioned_circuit(refused, engineer_actor, state):
    circuit = CircuitFactory(service_provider_provisioning_state=state)

    refused(services.circuit_request_deprovision, circuit=circuit, actor=engineer_actor, match="Only a Provisioned")


def test_deprovision_request_is_refused_twice(refused, engineer_actor):
    circuit = CircuitFactory(provisioned=True, deprovision_requested_at=timezone.now())

    refused(services.circuit_request_deprovision, circuit=circuit, actor=engineer_actor, match="already requested")


def test_deprovision_request_is_refused_while_vnet_links_exist(refused, engineer_actor):
    link = VNetLinkFactory()

    refused(services.circuit_request_deprovision, circuit=link.circuit, actor=engineer_actor, match="VNet links")


# Delete -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["NotProvisioned", "Deprovisioning", "DeProvisioned"])
def test_delete_keeps_the_row_and_records_who_deleted(audited, engineer_actor, state):
    circuit = CircuitFactory(service_provider_provisioning_state=state)

    deleted, event = audited(services.circuit_delete, circuit=circuit, actor=engineer_actor)

    assert Circuit.objects.get(pk=circuit.pk).deleted_at == deleted.deleted_at
    assert_event(
        event,
        circuit=circuit,
        field="deleted",
        from_value="",
        to_value=deleted.deleted_at.isoformat(),
        actor=engineer_actor,
    )


@pytest.mark.parametrize("state", ["Provisioning", "Provisioned"])
def test_delete_is_refused_until_the_provider_deprovisions(refused, engineer_actor, state):
    circuit = CircuitFactory(service_provider_provisioning_state=state)

    error = refused(services.circuit_delete, circuit=circuit, actor=engineer_actor, match="deprovision first")

    assert "bills until the circuit is deleted" in error.message
    assert error.code == "conflict"


def test_delete_is_refused_while_vnet_links_exist(refused, engineer_actor):
    link = VNetLinkFactory(circuit=CircuitFactory())

    refused(services.circuit_delete, circuit=link.circuit, actor=engineer_actor, match="VNet links")


def test_delete_is_refused_while_authorizations_exist(refused, engineer_actor):
    authorization = AuthorizationFactory()

    refused(services.circuit_delete, circuit=authorization.circuit, actor=engineer_actor, match="authorizations")


def test_delete_is_refused_while_a_route_filter_is_attached(refused, engineer_actor):
    peering = PeeringFactory(microsoft=True, circuit=CircuitFactory())

    refused(services.circuit_delete, circuit=peering.circuit, actor=engineer_actor, match="route filter")


def test_delete_is_refused_while_global_reach_is_enabled(refused, engineer_actor):
    circuit = CircuitFactory(global_reach_enabled=True)

    refused(services.circuit_delete, circuit=circuit, actor=engineer_actor, match="Global Reach")


def test_delete_is_refused_twice(refused, engineer_actor):
    circuit = deleted_circuit()

    refused(services.circuit_delete, circuit=circuit, actor=engineer_actor, match="was deleted")


# Create -----------------------------------------------------------------------------------------


def circuit_fields(**overrides):
    provider = overrides.pop("service_provider", None) or ServiceProviderFactory()
    return {
        "name": "er-new",
        "subscription_id": uuid.uuid4(),
        "resource_group": "rg",
        "region": "westeurope",
        "service_provider": provider,
        "peering_location": provider.peering_locations.first(),
        "bandwidth_mbps": 1000,
        "team": None,
        **overrides,
    }


def test_create_is_refused_past_the_subscription_quota(refused, engineer_actor, team, settings):
    settings.ONRAMP_CIRCUITS_PER_SUBSCRIPTION = 2
    existing = CircuitFactory.create_batch(2, subscription_id=uuid.uuid4(), region="northeurope")
    error = refused(
        services.circuit_create,
        actor=engineer_actor,
        **circuit_fields(team=team, subscription_id=existing[0].subscription_id),
    )
    assert error.field == "subscription_id"


def test_create_is_refused_past_the_region_quota_of_a_subscription(refused, engineer_actor, team, settings):
    settings.ONRAMP_CIRCUITS_PER_REGION = 1
    existing = CircuitFactory(region="westeurope")
    error = refused(
        services.circuit_create,
        actor=engineer_actor,
        **circuit_fields(team=team, subscription_id=existing.subscription_id, region="westeurope"),
    )
    assert error.field == "region"


def test_deleted_circuits_do_not_count_against_the_quota(engineer_actor, team, settings):
    settings.ONRAMP_CIRCUITS_PER_REGION = 1
    existing = CircuitFactory(
        region="westeurope", created_at=timezone.now() - timedelta(days=3), deleted_at=timezone.now()
    )
    services.circuit_create(actor=engineer_actor, **circuit_fields(team=team, subscription_id=existing.subscription_id))


def test_create_issues_a_service_key_and_records_billing_start(audited, engineer_actor, team):
    circuit, event = audited(services.circuit_create, actor=engineer_actor, **circuit_fields(team=team))

    assert circuit.service_provider_provisioning_state == "NotProvisioned"
    assert circuit.circuit_provisioning_state == "Enabled"
    assert_event(
        event, circuit=circuit, field="created", from_value="", to_value=circuit.service_key, actor=engineer_actor
    )


@pytest.mark.parametrize(
    ("overrides", "offered", "field"),
    [
        ({"sku_tier": "Local", "sku_family": "MeteredData"}, None, "sku_family"),
        ({"sku_tier": "Gold"}, None, "sku_tier"),
        ({"bandwidth_mbps": 300}, None, "bandwidth_mbps"),
        ({"bandwidth_mbps": 1000}, [50, 100], "bandwidth_mbps"),
    ],
    ids=["local-metered", "unknown-tier", "not-an-azure-bandwidth", "not-sold-by-the-provider"],
)
def test_create_refuses_bad_sku_and_bandwidth(refused, engineer_actor, team, overrides, offered, field):
    provider = ServiceProviderFactory(**({"bandwidths_offered": offered} if offered else {}))
    fields = circuit_fields(team=team, service_provider=provider, **overrides)

    error = refused(services.circuit_create, actor=engineer_actor, **fields)

    assert error.field == field


def test_create_refuses_a_peering_location_the_provider_does_not_offer(refused, engineer_actor, team):
    elsewhere = ServiceProviderFactory().peering_locations.first()

    error = refused(
        services.circuit_create, actor=engineer_actor, **circuit_fields(team=team, peering_location=elsewhere)
    )

    assert error.field == "peering_location"


def test_create_refuses_bad_model_fields_with_a_domain_error_on_the_field(refused, engineer_actor, team):
    error = refused(services.circuit_create, actor=engineer_actor, **circuit_fields(team=team, name="x" * 81))

    assert error.field == "name"


# SKU and bandwidth ------------------------------------------------------------------------------

SKU_FIELDS = ("sku_tier", "sku_family")


@pytest.mark.parametrize(
    ("from_sku", "to_sku", "changed_fields"),
    [
        (("Standard", "MeteredData"), ("Standard", "UnlimitedData"), ["sku_family"]),
        (("Premium", "MeteredData"), ("Premium", "UnlimitedData"), ["sku_family"]),
        (("Standard", "MeteredData"), ("Premium", "MeteredData"), ["sku_tier"]),
        (("Premium", "UnlimitedData"), ("Standard", "UnlimitedData"), ["sku_tier"]),
        (("Standard", "MeteredData"), ("Local", "UnlimitedData"), ["sku_family", "sku_tier"]),
        (("Local", "UnlimitedData"), ("Standard", "UnlimitedData"), ["sku_tier"]),
    ],
)
def test_sku_change_allowed_writes_one_event_per_changed_field(
    audited, engineer_actor, from_sku, to_sku, changed_fields
):
    circuit = CircuitFactory(sku_tier=from_sku[0], sku_family=from_sku[1])

    updated, events = audited(
        services.circuit_change_sku,
        circuit=circuit,
        sku_tier=to_sku[0],
        sku_family=to_sku[1],
        actor=engineer_actor,
        events=len(changed_fields),
    )

    assert (updated.sku_tier, updated.sku_family) == to_sku
    old, new = dict(zip(SKU_FIELDS, from_sku, strict=True)), dict(zip(SKU_FIELDS, to_sku, strict=True))
    for event, field in zip(events if isinstance(events, list) else [events], changed_fields, strict=True):
        assert_event(
            event, circuit=circuit, field=field, from_value=old[field], to_value=new[field], actor=engineer_actor
        )


@pytest.mark.parametrize(
    ("from_sku", "to_sku", "field"),
    [
        (("Standard", "UnlimitedData"), ("Standard", "MeteredData"), "sku_family"),
        (("Premium", "UnlimitedData"), ("Premium", "MeteredData"), "sku_family"),
        (("Local", "UnlimitedData"), ("Local", "MeteredData"), "sku_family"),
        (("Standard", "MeteredData"), ("Local", "MeteredData"), "sku_family"),
        (("Standard", "MeteredData"), ("Platinum", "MeteredData"), "sku_tier"),
        (("Standard", "MeteredData"), ("Standard", "Pay-as-you-go"), "sku_family"),
    ],
)
def test_sku_change_refused(refused, engineer_actor, from_sku, to_sku, field):
    circuit = CircuitFactory(sku_tier=from_sku[0], sku_family=from_sku[1])

    error = refused(
        services.circuit_change_sku, circuit=circuit, sku_tier=to_sku[0], sku_family=to_sku[1], actor=engineer_actor
    )

    assert error.field == field


def test_sku_downgrade_to_standard_refused_with_more_links_than_standard_allows(refused, engineer_actor):
    circuit = CircuitFactory(provisioned=True, sku_tier="Premium")
    VNetLinkFactory.create_batch(11, circuit=circuit)

    refused(
        services.circuit_change_sku,
        circuit=circuit,
        sku_tier="Standard",
        sku_family="MeteredData",
        actor=engineer_actor,
        match="more VNet links",
    )


@pytest.mark.parametrize(("from_mbps", "to_mbps"), [(50, 100), (100, 1000), (1000, 10000)])
def test_bandwidth_goes_up_to_an_offered_value(audited, engineer_actor, from_mbps, to_mbps):
    circuit = CircuitFactory(bandwidth_mbps=from_mbps)

    updated, event = audited(
        services.circuit_change_bandwidth, circuit=circuit, bandwidth_mbps=to_mbps, actor=engineer_actor
    )

    assert updated.bandwidth_mbps == to_mbps
    assert_event(
        event, circuit=circuit, field="bandwidth_mbps", from_value=from_mbps, to_value=to_mbps, actor=engineer_actor
    )


@pytest.mark.parametrize(
    ("offered", "from_mbps", "to_mbps", "match"),
    [
        (None, 1000, 500, "only go up"),
        (None, 1000, 1500, "offers these bandwidths"),
        ([50, 100, 1000], 100, 500, "offers these bandwidths"),
    ],
    ids=["down", "not-an-azure-bandwidth", "not-sold-by-the-provider"],
)
def test_bandwidth_change_refused(refused, engineer_actor, offered, from_mbps, to_mbps, match):
    provider = ServiceProviderFactory(**({"bandwidths_offered": offered} if offered else {}))
    circuit = CircuitFactory(service_provider=provider, bandwidth_mbps=from_mbps)

    error = refused(
        services.circuit_change_bandwidth, circuit=circuit, bandwidth_mbps=to_mbps, actor=engineer_actor, match=match
    )

    assert error.field == "bandwidth_mbps"


def test_direct_port_bandwidth_goes_up_in_offered_gbps(audited, refused, engineer_actor):
    circuit = CircuitFactory(express_route_direct=True, bandwidth_mbps=10000)

    refused(services.circuit_change_bandwidth, circuit=circuit, bandwidth_mbps=20000, actor=engineer_actor)
    updated, _ = audited(services.circuit_change_bandwidth, circuit=circuit, bandwidth_mbps=40000, actor=engineer_actor)

    assert updated.bandwidth_mbps == 40000


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


# What the database enforces on its own ----------------------------------------------------------


def test_database_refuses_a_local_metered_circuit():
    circuit = CircuitFactory(sku_tier="Standard", sku_family="MeteredData")

    with pytest.raises(IntegrityError):
        Circuit.objects.filter(pk=circuit.pk).update(sku_tier="Local")


def test_database_refuses_a_deletion_before_creation():
    circuit = CircuitFactory()

    with pytest.raises(IntegrityError):
        Circuit.objects.filter(pk=circuit.pk).update(deleted_at=circuit.created_at - timedelta(days=1))


def test_database_refuses_a_second_circuit_with_the_same_service_key():
    circuit = CircuitFactory()

    with pytest.raises(IntegrityError):
        CircuitFactory(service_key=circuit.service_key)


def test_the_database_holds_one_undeleted_circuit_per_azure_resource():
    first = CircuitFactory(name="er-one", resource_group="rg-net")
    with pytest.raises(IntegrityError):
        CircuitFactory(name="ER-ONE", subscription_id=first.subscription_id, resource_group="RG-NET")


def test_an_import_of_an_existing_azure_resource_is_refused_naming_the_circuit(refused):
    first = CircuitFactory(name="er-one", resource_group="rg-net")
    refusal = refused(
        services.circuit_create,
        actor=IMPORTER,
        name="er-one",
        subscription_id=first.subscription_id,
        resource_group="rg-net",
        region="westeurope",
        service_provider=first.service_provider,
        peering_location=first.peering_location,
        bandwidth_mbps=first.bandwidth_mbps,
        team=first.team,
    )
    assert (refusal.circuit, refusal.field, refusal.code) == (first, "name", "conflict")
