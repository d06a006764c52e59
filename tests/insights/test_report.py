"""The report reads each circuit's folded stays (Onboarding): its figures are, to the last bit, the ones
the stays themselves give (the page's former queries, kept here as the reference)."""

from collections import defaultdict
from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from circuits.models import Circuit
from insights.models import Onboarding, Stay
from insights.onboarding import DEPROVISIONED_STATES
from insights.report import Sample, circuit_history, insights_report, scorecard, step_distributions, trend
from insights.services import insights_refresh
from insights.survival import days
from tests.circuits.factories import CircuitFactory, ServiceProviderFactory

from .factories import NOW, STATE, event, play

pytestmark = pytest.mark.django_db


def reference_report(circuits, *, now):
    """The figures grouped from the stays at each view (a MIN and an EXISTS per circuit, then every
    stay in steps 2-5), as the page computed them before the fold."""
    deprovisioned = Stay.objects.filter(circuit=OuterRef("pk"), kind="state", name__in=DEPROVISIONED_STATES)
    onboarded = Q(insight_stays__kind="step", insight_stays__name="6")
    rows = (
        circuits.order_by()
        .annotate(onboarded_at=Min("insight_stays__entered_at", filter=onboarded), gone=Exists(deprovisioned))
        .values_list(
            "service_provider__name", "peering_location__name", "created_at", "deleted_at", "onboarded_at", "gone"
        )
    )
    histories = [circuit_history(*row, now=now) for row in rows]
    stays = Stay.objects.filter(circuit__in=circuits.values("pk"), kind="step", name__in=["2", "3", "4", "5"])
    samples = defaultdict(Sample)
    for step, provider, entered_at, left_at, finished in stays.order_by().values_list(
        "name", "circuit__service_provider__name", "entered_at", "left_at", "finished"
    ):
        samples[(int(step), provider)].add(days(((left_at or now) - entered_at).total_seconds()), finished)
    return {"scorecard": scorecard(histories), "trend": trend(histories), "steps": step_distributions(samples)}


def assert_report_is_the_stays(circuits, now):
    report = insights_report(circuits, now=now)
    assert report.pop("as_of") == now
    assert report == reference_report(circuits, now=now)


durations = st.floats(min_value=0.0, max_value=40.0, allow_nan=False)
histories = st.lists(
    st.tuples(
        st.integers(0, 1),  # provider
        st.integers(1, 300),  # created this many days before now
        st.lists(durations, max_size=4),  # days in steps 2, 3, 4, 5 (fewer: still in the next one)
        st.one_of(st.none(), durations),  # deprovisioned this many days after creation
        st.one_of(st.none(), durations),  # deleted this many days after creation
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=histories, later=histories)
def test_the_report_gives_the_figures_of_the_stays(first, later, amsterdam):
    with transaction.atomic():  # one example's circuits, rolled back before the next
        providers = [ServiceProviderFactory(name=name, peering_locations=[amsterdam]) for name in ("Colt", "Equinix")]

        def write(histories):
            written = []
            for provider, created, steps, deprovisioned, deleted in histories:
                start = NOW - timedelta(days=created)
                circuit = CircuitFactory(
                    service_provider=providers[provider], peering_location=amsterdam, created_at=start
                )
                play(circuit, start, steps, deleted_after=deleted)
                if deprovisioned is not None:
                    event(circuit, start + timedelta(days=deprovisioned), Circuit, STATE, "DeProvisioned")
                written.append(circuit.pk)
            return written

        write(first)
        CircuitFactory(service_provider=providers[0], peering_location=amsterdam)  # no history at all
        with time_machine.travel(NOW, tick=False):
            insights_refresh()
        assert_report_is_the_stays(Circuit.objects.all(), NOW)
        # A refresh of some circuits folds theirs again and leaves the others' as they were.
        refreshed = write(later)
        with time_machine.travel(NOW, tick=False):
            insights_refresh(circuit_ids=refreshed)
        assert_report_is_the_stays(Circuit.objects.all(), NOW + timedelta(days=3))
        assert_report_is_the_stays(Circuit.objects.filter(service_provider=providers[1]), NOW)
        transaction.set_rollback(True)


def test_a_circuit_without_stays_has_no_onboarding_row_and_counts_as_not_onboarded(equinix, amsterdam):
    CircuitFactory(service_provider=equinix, peering_location=amsterdam)
    insights_refresh()
    assert not Onboarding.objects.exists()
    row = insights_report(Circuit.objects.all(), now=NOW)["scorecard"]["rows"][0]
    assert (row["circuits"], row["onboarded"], row["share_deprovisioned_unused"]) == (1, 0, 0)


def test_one_query_whatever_the_estate_s_size(equinix, amsterdam, django_assert_num_queries):
    for index in range(5):
        play(CircuitFactory(service_provider=equinix, peering_location=amsterdam), NOW - timedelta(days=50), [1, index])
    insights_refresh()
    with django_assert_num_queries(1):
        insights_report(Circuit.objects.all(), now=NOW)
