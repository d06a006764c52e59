"""What the sources report about a circuit's health, recorded by circuits.services: failed reads
and stale circuits, authorization use, and circuits stuck in Provisioning (sync.polling calls these)."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from circuits import services
from circuits.stuck import business_days_between
from core.actors import AZURE
from tests.circuits.factories import AuthorizationFactory, CircuitFactory, ServiceProviderFactory

pytestmark = pytest.mark.django_db


def _events(circuit, field):
    return AuditEvent.objects.filter(circuit=circuit, field=field)


def test_a_failed_read_is_counted_without_marking_the_circuit_stale_at_once():
    circuit = CircuitFactory()
    services.circuit_record_failed_check(circuit_id=circuit.pk, error="timeout", actor=AZURE)
    circuit.refresh_from_db()
    assert (circuit.check_failures, circuit.last_check_error, circuit.is_stale) == (1, "timeout", False)
    assert not _events(circuit, "is_stale").exists()


def test_a_circuit_whose_source_keeps_failing_is_marked_stale_with_its_last_good_read(settings):
    settings.ONRAMP_STALE_AFTER_FAILURES = 3
    good = timezone.now() - timedelta(hours=2)
    circuit = CircuitFactory(last_good_read_at=good)
    for _ in range(3):
        services.circuit_record_failed_check(circuit_id=circuit.pk, error="HTTP 503", actor=AZURE)
    circuit.refresh_from_db()
    assert circuit.is_stale
    (event,) = _events(circuit, field="is_stale")
    assert f"last good read: {good:%Y-%m-%d %H:%M} UTC" in event.reason
    assert "HTTP 503" in event.reason


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (date(2026, 11, 2), date(2026, 11, 2), 0),  # Monday, same day
        (date(2026, 11, 2), date(2026, 11, 6), 4),  # Monday → Friday
        (date(2026, 11, 6), date(2026, 11, 9), 1),  # Friday → Monday: the weekend does not count
        (date(2026, 11, 2), date(2026, 11, 16), 10),  # two weeks
        (date(2026, 11, 7), date(2026, 11, 8), 0),  # Saturday → Sunday
    ],
)
def test_business_days_skip_weekends(start, end, days):
    assert business_days_between(start, end) == days


def _provisioning_since(start, **provider):
    return CircuitFactory(
        service_provider=ServiceProviderFactory(**provider),
        service_provider_provisioning_state="Provisioning",
        state_changed_at=start,
        created_at=start,
    )


def test_a_circuit_ten_business_days_in_provisioning_is_flagged_stuck_once():
    now = datetime.fromisoformat("2026-11-16T10:00:00+00:00")
    stuck = _provisioning_since(now - timedelta(days=14))
    waiting = _provisioning_since(now - timedelta(days=13))
    assert services.circuits_flag_stuck(now=now) == 1
    assert services.circuits_flag_stuck(now=now) == 0
    stuck.refresh_from_db()
    waiting.refresh_from_db()
    assert (stuck.is_stuck, waiting.is_stuck) == (True, False)
    (event,) = _events(stuck, field="is_stuck")
    assert (event.actor_kind, event.reason.split(";")[0]) == ("system", "10 business days in Provisioning")


def test_the_stuck_threshold_is_per_provider():
    now = datetime.fromisoformat("2026-11-16T10:00:00+00:00")
    patient = _provisioning_since(now - timedelta(days=14), stuck_after_business_days=20)
    assert services.circuits_flag_stuck(now=now) == 0
    patient.refresh_from_db()
    assert not patient.is_stuck


def test_a_stale_circuit_read_again_is_cleared_by_the_reader():
    circuit = CircuitFactory(is_stale=True)
    services.circuit_clear_stale(circuit=circuit, actor=AZURE)
    circuit.refresh_from_db()
    assert not circuit.is_stale
    (event,) = _events(circuit, "is_stale")
    assert (event.actor_kind, event.reason) == ("azure", "Read again successfully.")


def test_the_stuck_rule_can_be_swapped_and_its_reason_is_recorded():
    now = datetime.fromisoformat("2026-11-16T10:00:00+00:00")
    circuit = _provisioning_since(now - timedelta(days=2))
    asked = []

    def learned_rule(candidate, *, now):
        asked.append(candidate.pk)
        return "Provisioning for 2 days; this provider usually takes 1."

    assert services.circuits_flag_stuck(now=now, rule=learned_rule) == 1
    assert asked == [circuit.pk]
    (event,) = _events(circuit, "is_stuck")
    assert event.reason == "Provisioning for 2 days; this provider usually takes 1."


def test_only_undeleted_circuits_in_provisioning_are_candidates_for_stuck():
    now = timezone.now()
    start = now - timedelta(days=30)
    _provisioning_since(start)
    CircuitFactory(provisioned=True, state_changed_at=start, created_at=start)
    CircuitFactory(
        service_provider_provisioning_state="Provisioning", state_changed_at=start, created_at=start, deleted_at=now
    )
    assert services.circuits_flag_stuck(now=now, rule=lambda circuit, *, now: "stuck") == 1


def test_a_reported_authorization_use_status_is_recorded_as_reported():
    authorization = AuthorizationFactory(authorization_use_status="Available")
    services.authorization_record_state(authorization=authorization, to="InUse", actor=AZURE)
    authorization.refresh_from_db()
    assert authorization.authorization_use_status == "InUse"
    (event,) = _events(authorization.circuit, "authorization_use_status")
    assert (event.from_value, event.to_value, event.reason) == ("Available", "InUse", f"Reported by {AZURE}.")
