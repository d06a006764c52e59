import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from circuits import services
from circuits.models import Circuit
from core.actors import AZURE
from outbox.models import OutboxMessage
from sync import polling
from sync.sources import simulator
from sync.sources.base import Observation, PeeringObservation, SourceError
from sync.sources.simulator import SETTLED_FULL_READ_MINUTES, Simulator
from tests.circuits.factories import (
    AuthorizationFactory,
    CircuitFactory,
    ProviderOrderFactory,
    ServiceProviderFactory,
    VNetLinkFactory,
)
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory
from tests.sync.sources import StaticSource

pytestmark = pytest.mark.django_db


def _events(circuit, field="service_provider_provisioning_state"):
    return AuditEvent.objects.filter(circuit=circuit, field=field)


def test_a_change_found_is_recorded_through_the_service_as_one_event_by_the_source():
    circuit = CircuitFactory(service_provider_provisioning_state="Provisioning")
    polling.circuit_check(circuit_id=circuit.pk, source=StaticSource(Observation(provider_state="Provisioned")))
    (event,) = _events(circuit)
    assert (event.from_value, event.to_value, event.actor_kind) == ("Provisioning", "Provisioned", "poller")
    circuit.refresh_from_db()
    assert circuit.service_provider_provisioning_state == "Provisioned"
    assert circuit.last_checked_at == circuit.last_good_read_at is not None


def test_checking_again_changes_nothing():
    circuit = CircuitFactory(service_provider_provisioning_state="Provisioning")
    source = StaticSource(Observation(provider_state="Provisioned"))
    polling.circuit_check(circuit_id=circuit.pk, source=source)
    version = Circuit.objects.get(pk=circuit.pk).version
    polling.circuit_check(circuit_id=circuit.pk, source=source)
    assert _events(circuit).count() == 1
    assert Circuit.objects.get(pk=circuit.pk).version == version


def test_unknown_enum_values_from_azure_are_stored_not_refused():
    circuit = CircuitFactory(service_provider_provisioning_state="Provisioned")
    observation = Observation(provider_state="Suspended", circuit_provisioning_state="Disabled")
    polling.circuit_check(circuit_id=circuit.pk, source=StaticSource(observation, actor=AZURE))
    circuit.refresh_from_db()
    assert (circuit.service_provider_provisioning_state, circuit.circuit_provisioning_state) == (
        "Suspended",
        "Disabled",
    )


def test_a_refused_change_is_kept_as_the_checks_error_and_the_rest_applies():
    circuit = CircuitFactory(service_provider_provisioning_state="NotProvisioned")
    observation = Observation(provider_state="Provisioned", provisioning_state="Updating")
    problems = polling.circuit_check(circuit_id=circuit.pk, source=StaticSource(observation))
    circuit.refresh_from_db()
    assert "cannot go from NotProvisioned to Provisioned" in problems[0]
    assert circuit.last_check_error == problems[0]
    assert circuit.provisioning_state == "Updating"


def test_a_reported_peering_is_configured_with_the_source_as_actor():
    circuit = CircuitFactory(provisioned=True, service_provider__layer="Layer3")
    config = {
        "peer_asn": 65001,
        "primary_peer_address_prefix": "10.0.0.0/30",
        "secondary_peer_address_prefix": "10.0.0.4/30",
        "vlan_id": 100,
    }
    observation = Observation(peerings=[PeeringObservation("AzurePrivatePeering", config=config)])
    polling.circuit_check(circuit_id=circuit.pk, source=StaticSource(observation))
    peering = circuit.peerings.get()
    assert (peering.vlan_id, peering.configured_by) == (100, "poller")


def test_prefix_states_apply_before_bgp_so_microsoft_bgp_can_come_up():
    prefix = AdvertisedPrefixFactory()
    peering = prefix.peering
    seen = PeeringObservation(
        "MicrosoftPeering",
        prefixes={prefix.prefix: ("Configured", "Route object found.")},
        bgp={"primary": "Established"},
    )
    polling.circuit_check(circuit_id=peering.circuit_id, source=StaticSource(Observation(peerings=[seen])))
    peering.refresh_from_db()
    assert peering.advertised_public_prefixes_state == "Configured"
    assert peering.bgp_sessions.get(link="primary").state == "Established"


def test_a_reported_authorization_status_is_recorded_by_the_source_as_one_event():
    authorization = AuthorizationFactory(authorization_use_status="Available")
    source = StaticSource(Observation(authorizations={authorization.name: "InUse"}), actor=AZURE)
    polling.circuit_check(circuit_id=authorization.circuit_id, source=source)
    authorization.refresh_from_db()
    assert authorization.authorization_use_status == "InUse"
    (event,) = _events(authorization.circuit, field="authorization_use_status")
    assert (event.from_value, event.to_value, event.actor_kind, event.reason) == (
        "Available",
        "InUse",
        "azure",
        f"Reported by {AZURE}.",
    )


def test_a_reported_peering_provisioning_state_is_recorded_by_the_source_as_one_event():
    peering = PeeringFactory(provisioning_state="Succeeded")
    seen = PeeringObservation(peering.peering_type, provisioning_state="Updating")
    polling.circuit_check(circuit_id=peering.circuit_id, source=StaticSource(Observation(peerings=[seen])))
    peering.refresh_from_db()
    assert peering.provisioning_state == "Updating"
    (event,) = _events(peering.circuit, field="provisioning_state").filter(to_value="Updating")
    assert (event.from_value, event.actor_kind) == ("Succeeded", "poller")


def test_vnet_link_status_is_recorded():
    link = VNetLinkFactory()
    source = StaticSource(Observation(vnet_links={link.name: "Connected"}))
    polling.circuit_check(circuit_id=link.circuit_id, source=source)
    link.refresh_from_db()
    assert link.connection_status == "Connected"


def test_a_simulator_plan_is_kept_on_the_circuit():
    circuit = CircuitFactory()
    due = timezone.now() + timedelta(minutes=5)
    polling.circuit_check(circuit_id=circuit.pk, source=StaticSource(Observation(plan=("provisioning", due))))
    circuit.refresh_from_db()
    assert (circuit.simulator_step, circuit.simulator_step_due_at) == ("provisioning", due)


def _quiet_simulator():
    return Simulator(prefix_validator=lambda peering: {})


def _simulated_circuits(count):
    provider = ServiceProviderFactory(simulated_failure_rate=0, simulated_slow_rate=0)
    return CircuitFactory.create_batch(count, service_provider=provider)


def test_a_chunk_whose_simulated_plans_stand_is_checked_without_reading_related_rows(
    django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(simulator, "SETTLED_FULL_READ_MINUTES", 10**9)  # no circuit in its full-read minute
    for count in (5, 40):
        circuits = _simulated_circuits(count)
        ids = [circuit.pk for circuit in circuits]
        polling.circuits_check(circuit_ids=ids, source=_quiet_simulator())  # plans each circuit's next step
        # the circuits, their providers, one UPDATE for all the checks inside a savepoint
        with django_assert_num_queries(5):
            assert polling.circuits_check(circuit_ids=ids, source=_quiet_simulator()) == []


def test_a_change_made_after_the_simulator_planned_has_it_plan_again(engineer_actor):
    (circuit,) = _simulated_circuits(1)
    polling.circuits_check(circuit_ids=[circuit.pk], source=_quiet_simulator())
    assert Circuit.objects.get(pk=circuit.pk).simulator_step == ""  # nothing ordered: nothing to do
    services.provider_order_save(circuit=circuit, actor=engineer_actor, provider_reference="ORD-1", status="ordered")
    polling.circuits_check(circuit_ids=[circuit.pk], source=_quiet_simulator())
    assert Circuit.objects.get(pk=circuit.pk).simulator_step == "provisioning"


def test_a_write_that_bypassed_the_services_is_planned_for_within_ten_minutes():
    (circuit,) = _simulated_circuits(1)
    now = timezone.now()
    polling.circuits_check(circuit_ids=[circuit.pk], source=_quiet_simulator(), now=now)
    ProviderOrderFactory(circuit=circuit, service_key_handed_over_at=now)  # no service: the version stays
    planned = []
    for minute in range(1, SETTLED_FULL_READ_MINUTES + 1):
        polling.circuits_check(circuit_ids=[circuit.pk], source=_quiet_simulator(), now=now + timedelta(minutes=minute))
        planned.append(Circuit.objects.get(pk=circuit.pk).simulator_step)
    assert planned.count("") < SETTLED_FULL_READ_MINUTES and planned[-1] == "provisioning"


def test_a_check_that_applied_a_reading_keeps_no_plan_version():
    circuit = CircuitFactory(service_provider_provisioning_state="Provisioning", simulator_planned_version=1)
    polling.circuit_check(circuit_id=circuit.pk, source=StaticSource(Observation(provider_state="Provisioned")))
    assert Circuit.objects.get(pk=circuit.pk).simulator_planned_version is None


def test_a_failed_read_writes_nothing_but_the_failure():
    circuit = CircuitFactory(service_provider_provisioning_state="Provisioning")
    with pytest.raises(SourceError):
        polling.circuit_check(circuit_id=circuit.pk, source=StaticSource(failures=1))
    services.circuit_record_failed_check(circuit_id=circuit.pk, error="timeout", actor=AZURE)
    circuit.refresh_from_db()
    assert (circuit.check_failures, circuit.last_check_error, circuit.is_stale) == (1, "timeout", False)


def test_a_good_read_clears_stale():
    circuit = CircuitFactory(is_stale=True, check_failures=5)
    polling.circuit_check(circuit_id=circuit.pk, source=StaticSource())
    circuit.refresh_from_db()
    assert (circuit.is_stale, circuit.check_failures) == (False, 0)


def test_deleted_circuits_are_never_checked():
    circuit = CircuitFactory(created_at=timezone.now() - timedelta(days=1), deleted_at=timezone.now())
    assert polling.circuits_due_for_check() == []
    polling.circuit_check(circuit_id=circuit.pk, source=StaticSource(Observation(provider_state="Provisioned")))
    assert not _events(circuit).exists()


def test_circuits_in_motion_are_due_sooner_than_the_rest(settings):
    settings.ONRAMP_POLL_INTERVAL, settings.ONRAMP_POLL_MOTION_INTERVAL = 60, 15
    now = timezone.now()
    checked = now - timedelta(seconds=20)
    resting = CircuitFactory(provisioned=True, last_checked_at=checked)
    moving = CircuitFactory(service_provider_provisioning_state="Provisioning", last_checked_at=checked)
    never = CircuitFactory(provisioned=True)
    planned = CircuitFactory(provisioned=True, last_checked_at=now, simulator_step_due_at=now)
    assert polling.circuits_due_for_check(now=now) == sorted([moving.pk, never.pk, planned.pk])
    assert resting.pk in polling.circuits_due_for_check(now=now + timedelta(seconds=41))


@pytest.mark.django_db(transaction=True)
def test_two_workers_checking_the_same_circuit_at_once_record_one_event():
    circuit = CircuitFactory(service_provider_provisioning_state="Provisioning")

    class SlowSource(StaticSource):
        def observe(self, circuit, *, now):
            time.sleep(0.3)  # hold the row lock while the other worker waits for it
            return super().observe(circuit, now=now)

    def worker():
        try:
            polling.circuit_check(circuit_id=circuit.pk, source=SlowSource(Observation(provider_state="Provisioned")))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _events(circuit).count() == 1


def test_a_queued_check_is_not_queued_again_until_it_ran_or_looks_lost(settings):
    settings.ONRAMP_POLL_REQUEUE_AFTER = 120
    now = timezone.now()
    circuit = CircuitFactory()
    polling.circuits_mark_queued(circuit_ids=[circuit.pk], now=now)
    assert polling.circuits_due_for_check(now=now + timedelta(seconds=60)) == []
    assert polling.circuits_due_for_check(now=now + timedelta(seconds=121)) == [circuit.pk]
    Circuit.objects.filter(pk=circuit.pk).update(last_checked_at=now + timedelta(seconds=1))
    assert polling.circuits_due_for_check(now=now + timedelta(seconds=90)) == [circuit.pk]


def test_a_chunk_with_nothing_new_costs_the_same_queries_for_5_or_40_circuits(django_assert_num_queries):
    source = StaticSource(Observation(provider_state="Provisioning"))
    for count in (5, 40):
        circuits = CircuitFactory.create_batch(count, service_provider_provisioning_state="Provisioning")
        VNetLinkFactory(circuit=circuits[0])
        # circuits, their providers, 4 prefetches (orders, links, authorizations, peerings; their sessions
        # and prefixes need none without peerings), one UPDATE for all the checks inside a savepoint
        with django_assert_num_queries(9):
            assert polling.circuits_check(circuit_ids=[c.pk for c in circuits], source=source) == []
    assert not AuditEvent.objects.exists()
    assert not Circuit.objects.filter(last_checked_at__isnull=True).exists()


def test_a_bulk_check_hands_over_only_the_circuits_with_something_new():
    quiet = CircuitFactory(service_provider_provisioning_state="Provisioned")
    changing = CircuitFactory(service_provider_provisioning_state="Provisioning")
    source = StaticSource(Observation(provider_state="Provisioned"))
    ((circuit_id, reading),) = polling.circuits_check(circuit_ids=[quiet.pk, changing.pk], source=source)
    assert (circuit_id, reading.observation) == (changing.pk, source.observation)
    assert not AuditEvent.objects.exists()  # the change itself is circuit_check's, under the row lock


def test_a_bulk_reading_is_applied_without_reading_again_when_the_circuit_has_not_changed():
    circuit = CircuitFactory(service_provider_provisioning_state="Provisioning")
    source = StaticSource(Observation(provider_state="Provisioned"))
    ((_, reading),) = polling.circuits_check(circuit_ids=[circuit.pk], source=source)
    polling.circuit_check(circuit_id=circuit.pk, source=source, reading=reading)
    assert source.reads == 1
    assert _events(circuit).count() == 1


def test_a_circuit_changed_since_the_bulk_reading_is_read_again_under_its_lock():
    circuit = CircuitFactory(service_provider_provisioning_state="Provisioning")
    ((_, reading),) = polling.circuits_check(
        circuit_ids=[circuit.pk], source=StaticSource(Observation(provider_state="Provisioned"))
    )
    Circuit.objects.filter(pk=circuit.pk).update(version=circuit.version + 1)  # someone acted meanwhile
    fresh = StaticSource(Observation(provider_state="Provisioning"))
    polling.circuit_check(circuit_id=circuit.pk, source=fresh, reading=reading)
    assert fresh.reads == 1
    assert not _events(circuit).exists()


def test_a_chunk_locks_and_changes_its_circuits_together_and_queues_each_follow_up_once():
    circuits = CircuitFactory.create_batch(3, service_provider_provisioning_state="Provisioning")
    source = StaticSource(Observation(provider_state="Provisioned"))
    readings = polling.circuits_check(circuit_ids=[circuit.pk for circuit in circuits], source=source)
    assert polling.circuits_apply(readings=readings, source=source) == []
    assert AuditEvent.objects.filter(field="service_provider_provisioning_state").count() == 3
    assert source.reads == 3  # the bulk readings were current: no second read under the lock
    ids = sorted(circuit.pk for circuit in circuits)
    assert list(OutboxMessage.objects.filter(task__endswith="refresh").values_list("task", "kwargs")) == [
        ("billing.accruals_refresh", {"circuit_ids": ids}),
        ("insights.refresh", {"circuit_ids": ids}),
    ]


def test_a_failed_read_in_a_chunk_is_returned_and_the_others_still_change():
    failing, changing = CircuitFactory.create_batch(2, service_provider_provisioning_state="Provisioning")
    readings = [
        (failing.pk, polling.Reading(failing.version, error=SourceError("no answer"))),
        (changing.pk, polling.Reading(changing.version, Observation(provider_state="Provisioned"))),
    ]
    ((circuit_id, error),) = polling.circuits_apply(readings=readings, source=StaticSource())
    assert (circuit_id, str(error)) == (failing.pk, "no answer")
    assert not _events(failing).exists() and _events(changing).count() == 1


def test_a_failed_bulk_read_is_handed_over_as_the_failure():
    circuit = CircuitFactory()
    ((_, reading),) = polling.circuits_check(circuit_ids=[circuit.pk], source=StaticSource(failures=1))
    with pytest.raises(SourceError):
        polling.circuit_check(circuit_id=circuit.pk, source=StaticSource(), reading=reading)


@pytest.mark.parametrize(
    "observation",
    [
        Observation(circuit_provisioning_state="Disabled"),
        Observation(peerings=[PeeringObservation("AzurePrivatePeering", config={"peer_asn": 65001})]),
        Observation(vnet_links={"link-1": "Connected"}),
    ],
)
def test_every_kind_of_reported_difference_counts_as_something_new(observation):
    circuit = CircuitFactory(service_provider_provisioning_state="Provisioned")
    VNetLinkFactory(circuit=circuit, name="link-1", connection_status="Connecting")
    assert polling.observation_changes_something(circuit, observation)
    assert not polling.observation_changes_something(circuit, Observation(provider_state="Provisioned"))


def test_a_chunk_locks_its_circuits_once_and_their_changes_read_them_no_more():
    circuits = CircuitFactory.create_batch(3, service_provider_provisioning_state="Provisioning")
    source = StaticSource(Observation(provider_state="Provisioned", provisioning_state="Updating"))
    readings = polling.circuits_check(circuit_ids=[circuit.pk for circuit in circuits], source=source)
    with CaptureQueriesContext(connection) as queries:
        polling.circuits_apply(readings=readings, source=source)
    circuit_locks = [
        sql for sql in (query["sql"] for query in queries) if 'FROM "circuits_circuit"' in sql and "FOR UPDATE" in sql
    ]
    assert len(circuit_locks) == 1
    assert (
        AuditEvent.objects.filter(field__in=["service_provider_provisioning_state", "provisioning_state"]).count() == 6
    )


def test_after_a_refused_change_in_a_chunk_the_next_change_is_judged_by_the_row():
    circuit = CircuitFactory(service_provider_provisioning_state="NotProvisioned")
    source = StaticSource(Observation(provider_state="Provisioned", provisioning_state="Updating"))
    readings = polling.circuits_check(circuit_ids=[circuit.pk], source=source)
    polling.circuits_apply(readings=readings, source=source)
    version = circuit.version
    circuit.refresh_from_db()
    assert (circuit.service_provider_provisioning_state, circuit.provisioning_state) == ("NotProvisioned", "Updating")
    assert "cannot go from NotProvisioned to Provisioned" in circuit.last_check_error
    assert circuit.version == version + 1


def _chunk_locks(table, queries):
    return [query["sql"] for query in queries if f'FROM "{table}"' in query["sql"] and "FOR UPDATE" in query["sql"]]


def test_a_chunk_locks_the_peerings_sessions_and_links_it_read_once_per_table_for_all_their_changes():
    peerings = [PeeringFactory(circuit__provisioned=True) for _ in range(2)]
    links = [VNetLinkFactory(circuit=peering.circuit) for peering in peerings]
    seen = PeeringObservation("AzurePrivatePeering", bgp={"primary": "Established", "secondary": "Established"})
    source = StaticSource(Observation(peerings=[seen], vnet_links={link.name: "Connected" for link in links}))
    readings = polling.circuits_check(circuit_ids=[peering.circuit_id for peering in peerings], source=source)
    with CaptureQueriesContext(connection) as queries:
        polling.circuits_apply(readings=readings, source=source)
    for table in ("peerings_peering", "peerings_bgpsession", "circuits_vnetlink"):
        assert len(_chunk_locks(table, queries)) == 1, table
    assert AuditEvent.objects.filter(field="state", to_value="Established").count() == 4
    assert AuditEvent.objects.filter(field="connection_status", to_value="Connected").count() == 2


def test_two_peerings_reported_new_in_one_check_are_judged_together():
    circuit = CircuitFactory(provisioned=True, service_provider__layer="Layer3")
    config = {"peer_asn": 65001, "primary_peer_address_prefix": "10.0.0.0/30", "vlan_id": 100}
    private = PeeringObservation(
        "AzurePrivatePeering", config={**config, "secondary_peer_address_prefix": "10.0.0.4/30"}
    )
    microsoft = PeeringObservation(
        "MicrosoftPeering",
        config={
            **config,
            "primary_peer_address_prefix": "80.1.1.0/30",
            "secondary_peer_address_prefix": "80.1.1.4/30",
            "advertised_public_prefixes": ["80.1.16.0/22"],
            "routing_registry_name": "ARIN",
        },
    )
    source = StaticSource(Observation(peerings=[private, microsoft]))
    polling.circuits_apply(readings=polling.circuits_check(circuit_ids=[circuit.pk], source=source), source=source)
    circuit.refresh_from_db()
    assert list(circuit.peerings.values_list("peering_type", flat=True)) == ["AzurePrivatePeering"]
    assert "VLAN ID is already used" in circuit.last_check_error
