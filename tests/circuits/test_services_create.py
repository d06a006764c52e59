"""Creating a circuit and changing its SKU and bandwidth; and what the database refuses on its own."""

import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from circuits import services
from circuits.models import Circuit
from core.actors import IMPORTER
from tests.circuits.factories import (
    CircuitFactory,
    ServiceProviderFactory,
    VNetLinkFactory,
)
from tests.support.audit import assert_event

pytestmark = pytest.mark.django_db


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


# Created together (an import's batch) ------------------------------------------------------------


def test_circuits_created_together_are_each_refused_by_circuit_creates_rules(team):
    taken = CircuitFactory(name="er-one", resource_group="rg-net")
    fine = circuit_fields(team=team, name="er-fine")
    elsewhere = circuit_fields(
        team=team, name="er-far", peering_location=ServiceProviderFactory().peering_locations.first()
    )
    again = circuit_fields(
        team=team,
        name="ER-ONE",
        subscription_id=taken.subscription_id,
        resource_group="RG-NET",
        service_provider=taken.service_provider,
        peering_location=taken.peering_location,
        bandwidth_mbps=taken.bandwidth_mbps,
    )
    twice = circuit_fields(team=team, name="er-twice", subscription_id=fine["subscription_id"])
    twice_again = {**twice, "name": "ER-TWICE", "service_provider": twice["service_provider"]}
    twice_again["peering_location"] = twice["peering_location"]
    long_name = circuit_fields(team=team, name="x" * 81)

    made = services.circuits_create_observed(
        actor=IMPORTER, circuits=[fine, elsewhere, again, twice, twice_again, long_name]
    )

    created, far, exists, first, second, too_long = made
    assert isinstance(created, Circuit) and created.pk and isinstance(first, Circuit)
    assert far.field == "peering_location"
    assert (exists.circuit, exists.code) == (taken, "conflict")
    assert (second.circuit, second.code) == (first, "conflict")  # the first of the batch, now saved
    assert too_long.field == "name"
    assert set(Circuit.objects.values_list("name", flat=True)) == {"er-one", "er-fine", "er-twice"}


def test_circuits_created_together_record_what_their_source_reports(team):
    (circuit,) = services.circuits_create_observed(
        actor=IMPORTER,
        circuits=[circuit_fields(team=team)],
        reported=[{"service_provider_provisioning_state": "Provisioned", "stag": 7, "sku_tier": "Standard"}],
    )

    circuit.refresh_from_db()
    assert (circuit.service_provider_provisioning_state, circuit.stag, circuit.version) == ("Provisioned", 7, 3)
    events = circuit.audit_events.order_by("pk").values_list("field", "from_value", "to_value", "actor_kind")
    assert list(events) == [
        ("created", "", str(circuit.service_key), "import"),
        ("service_provider_provisioning_state", "NotProvisioned", "Provisioned", "import"),
        ("stag", "", "7", "import"),
    ]


def test_only_machine_sources_create_circuits_together(engineer_actor, team):
    with pytest.raises(ValueError, match="quota"):
        services.circuits_create_observed(actor=engineer_actor, circuits=[circuit_fields(team=team)])
