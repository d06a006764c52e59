"""The demo estate: seeded once for the whole module (about 15 s a seed), each test reading it inside
a transaction of its own that is rolled back, so no test sees another's changes."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from circuits.checklist import circuit_checklist
from circuits.models import Circuit
from circuits.selectors import circuit_list
from devtools.demo import seed_demo_estate


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """(seeded at, circuits created, users): one seed in a transaction rolled back after the module;
    each test's own transaction nests in it as a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        started = timezone.now()
        created, users = seed_demo_estate()
        yield started, created, users
        transaction.set_rollback(True)


def test_seed_demo_creates_an_estate_covering_every_state_once(db, demo):
    _, created, users = demo
    assert created >= 40
    assert {"engineer", "approver", "manager"} <= set(users)
    states = set(Circuit.objects.values_list("service_provider_provisioning_state", flat=True))
    assert {"NotProvisioned", "Provisioning", "Provisioned", "Deprovisioning"} <= states
    assert Circuit.objects.filter(deleted_at__isnull=True, deprovisioned_at__isnull=False).exists()
    assert any(circuit_checklist(c).is_complete for c in circuit_list())

    assert seed_demo_estate()[0] == 0


def test_seed_demo_prices_are_labelled_illustrative_and_leave_some_circuits_unpriced(db, demo):
    from billing.models import PortPrice
    from devtools.demo import DEMO_PRICE_SOURCE

    assert PortPrice.objects.filter(source=DEMO_PRICE_SOURCE).exists()
    assert not PortPrice.objects.filter(zone="Zone 4").exists()


def test_seed_demo_microsoft_peerings_show_each_registry_verdict(db, demo):
    from peerings.models import AdvertisedPrefix, PrefixValidationTicket

    states = set(AdvertisedPrefix.objects.values_list("validation_state", flat=True))
    assert {"Configured", "AsnValidationFailed", "ValidationNeeded"} <= states
    assert PrefixValidationTicket.objects.filter(status="open").exists()


def test_seed_demo_flags_its_stuck_circuits_through_the_audited_service(db, demo):
    from audit.models import AuditEvent

    stuck = Circuit.objects.filter(is_stuck=True)
    assert stuck.exists()
    assert AuditEvent.objects.filter(field="is_stuck", to_value="True").count() == stuck.count()


def test_seed_demo_history_happens_at_its_dates_not_at_seed_time(db, demo):
    from audit.models import AuditEvent

    started, _, _ = demo
    for circuit in Circuit.objects.filter(name__startswith="er-demo-"):
        moments = list(
            AuditEvent.objects.filter(circuit_id=circuit.pk)
            .exclude(field="is_stuck")
            .values_list("created_at", flat=True)
        )
        assert min(moments) == circuit.created_at, circuit.name  # the first event is the creation
        assert max(moments) < started, circuit.name  # all history, none of it stamped at seed time
    stuck = Circuit.objects.filter(is_stuck=True).first()
    assert stuck.state_changed_at < started - timedelta(days=20)


def test_seed_demo_timeline_events_follow_each_other_in_order(db, demo):
    from audit.models import AuditEvent

    onboarded = next(c for c in circuit_list() if circuit_checklist(c).is_complete)
    events = AuditEvent.objects.filter(circuit_id=onboarded.pk).order_by("pk")
    moments = [event.created_at for event in events]
    assert moments == sorted(moments)
    assert moments[-1] - moments[0] > timedelta(days=5)


def test_seed_demo_shows_every_value_a_user_can_meet(db, demo):
    from circuits.models import Authorization, GlobalReachConnection
    from peerings.models import Peering

    assert set(Authorization.objects.values_list("authorization_use_status", flat=True)) >= {"Available", "InUse"}
    assert Circuit.objects.filter(sku_family="UnlimitedData", sku_tier="Local").exists()
    assert Circuit.objects.filter(sku_family="UnlimitedData").exclude(sku_tier="Local").exists()
    assert Circuit.objects.filter(express_route_direct=True).exclude(express_route_port_id="").exists()
    assert Circuit.objects.filter(global_reach_enabled=True).exists() and GlobalReachConnection.objects.exists()
    assert Peering.objects.exclude(ipv6_primary_peer_address_prefix="").exists()


def test_seed_demo_has_months_of_history_for_insights_and_forecasts(db, demo, client):
    from insights.models import CircuitForecast, StepStatistic

    _, _, users = demo
    created = Circuit.objects.filter(name__startswith="er-hist-").values_list("created_at", flat=True)
    assert max(created) - min(created) > timedelta(days=300)
    assert StepStatistic.objects.filter(level="group", kind="step", finished__gte=5).exists()
    assert CircuitForecast.objects.exists()
    client.force_login(users["manager"])
    page = client.get("/insights/")
    assert page.status_code == 200 and "Equinix" in page.text
