"""Synthetic histories: audit events at chosen past moments, the way services would have written them."""

from datetime import UTC, datetime, timedelta

import factory
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from audit.models import AuditEvent
from circuits.models import Circuit, VNetLink
from insights.models import CircuitForecast
from insights.services import insights_refresh
from peerings.models import BgpSession
from tests.circuits.factories import CircuitFactory

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)  # the tests' present

STATE = "service_provider_provisioning_state"
# The events that end steps 2, 3, 4 and 5 (docs/INSIGHTS.md): what the circuit enters next.
STEP_ENDS = (
    (Circuit, STATE, "Provisioning"),
    (Circuit, STATE, "Provisioned"),
    (BgpSession, "state", "Established"),
    (VNetLink, "connection_status", "Connected"),
)


class AuditEventFactory(factory.django.DjangoModelFactory):
    """An audit event recorded at `at` (created_at is auto_now_add: the clock is moved there)."""

    class Meta:
        model = AuditEvent

    circuit = factory.SubFactory(CircuitFactory)
    object_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Circuit))
    object_id = factory.LazyAttribute(lambda event: event.circuit.pk)
    object_repr = factory.LazyAttribute(lambda event: str(event.circuit))
    field = STATE
    to_value = "Provisioning"
    actor_kind = "system"

    @classmethod
    def _create(cls, model_class, *args, at, **kwargs):
        with time_machine.travel(at, tick=False):
            return super()._create(model_class, *args, **kwargs)


def event(circuit, at, model, field, to_value):
    return AuditEventFactory(
        circuit=circuit, at=at, object_type=ContentType.objects.get_for_model(model), field=field, to_value=to_value
    )


def play(circuit, start, step_days, *, deleted_after=None):
    """Write `circuit`'s history from `start`: created, then each step lasting step_days[i] days (steps 2, 3,
    4, 5 in turn; fewer durations leave the circuit in the next step); optionally deleted after some days."""
    event(circuit, start, Circuit, "created", "")
    at = start
    for (model, field, to_value), duration in zip(STEP_ENDS, step_days, strict=False):
        at = at + timedelta(days=duration)
        event(circuit, at, model, field, to_value)
    if deleted_after is not None:
        event(circuit, start + timedelta(days=deleted_after), Circuit, "deleted", "")
    return circuit


def onboarding_estate(team, provider, now, count):
    """`count` circuits of `team` with `provider`, created over the past 100 days, some onboarded and
    some still in step 3 or 4, and insights refreshed from their histories as of `now`."""
    for index in range(count):
        circuit = CircuitFactory(
            team=team, service_provider=provider, peering_location=provider.peering_locations.first()
        )
        play(circuit, now - timedelta(days=100 - index), [1, 3 + index % 5, 1, 1][: 2 + index % 3])
    with time_machine.travel(now, tick=False):
        insights_refresh()


class CircuitForecastFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CircuitForecast

    circuit = factory.SubFactory(CircuitFactory)
    step = 3
    step_entered_at = factory.LazyFunction(timezone.now)
    ready_by = factory.LazyAttribute(lambda f: f.step_entered_at + timedelta(days=10))
    ready_low = factory.LazyAttribute(lambda f: f.ready_by - timedelta(days=3))
    ready_high = factory.LazyAttribute(lambda f: f.ready_by + timedelta(days=5))
    step_p90_days = 9.0
    is_late = False
    level = "group"
    group_label = "Equinix Amsterdam (1 to 5 Gbps)"
    computed_at = factory.LazyFunction(timezone.now)
