"""The stored accrual runs give the billing page the same figures as the direct computation, and
the figures and totals stored for today stay the sums of the runs as circuits and prices change."""

import contextlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.models import AccrualPending, AccrualRun, AccrualState, AccrualSummary, AccrualTotal, PortPrice
from billing.selectors import monthly_accrued
from billing.services import accruals_catch_up, accruals_refresh_stale, prices_import
from billing.tasks import accruals_complete, accruals_refresh
from billing.verify import accrual_differences
from circuits import services
from core.actors import AZURE
from core.errors import DomainError
from peerings.services import bgp_session_set_state
from tests.circuits.factories import CircuitFactory, VNetLinkFactory
from tests.peerings.factories import PeeringFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
FIRST_DAY = date(2025, 6, 1)
SPAN = (TODAY - FIRST_DAY).days


def moment(offset):
    return datetime.combine(FIRST_DAY + timedelta(days=offset), datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)


def assert_materialised_equals_direct(as_of=TODAY):
    accruals_catch_up(as_of=as_of)  # as the page: the pending circuits, today's totals if not stored
    accruals_refresh_stale()
    assert accrual_differences(as_of=as_of) == []  # with the stored totals, when they are as_of's
    assert monthly_accrued(as_of=as_of, materialised=True) == monthly_accrued(as_of=as_of)


events = st.sampled_from(
    ["provisioned", "not provisioned", "deprovisioned", "link up", "link down", "bgp up", "delete"]
)
circuit_histories = st.lists(
    st.tuples(
        st.integers(0, SPAN - 1),  # created, days after FIRST_DAY
        st.sampled_from([1000, 200]),  # 200 Mbps has no price: counted apart
        st.lists(st.tuples(st.integers(0, SPAN), events), max_size=5),
    ),
    min_size=1,
    max_size=4,
)
price_tables = st.lists(
    st.tuples(st.integers(-30, SPAN + 30), st.integers(100, 90_000)), min_size=1, max_size=3, unique_by=lambda p: p[0]
)


def _apply(circuit, event, link, session):
    if event == "delete":
        services.circuit_delete(circuit=circuit, actor=AZURE)
    elif event in ("provisioned", "not provisioned", "deprovisioned"):
        to = {"provisioned": "Provisioned", "not provisioned": "NotProvisioned", "deprovisioned": "Deprovisioned"}
        services.circuit_set_provider_state(circuit=circuit, to=to[event], actor=AZURE)
    elif event == "bgp up":
        bgp_session_set_state(session=session, to="Established", actor=AZURE)
    else:
        services.vnet_link_set_status(link=link, to="Connected" if event == "link up" else "Disconnected", actor=AZURE)


def set_prices(prices):
    """Standard MeteredData 1 Gbps Zone 1 (what CircuitFactory makes) at these (day, cents), beside
    the list prices the migrations load."""
    for offset, fee in prices:
        PortPrice.objects.update_or_create(
            sku_tier="Standard",
            sku_family="MeteredData",
            bandwidth_mbps=1000,
            zone="Zone 1",
            currency="USD",
            valid_from=FIRST_DAY + timedelta(days=offset),
            defaults={"monthly_fee": Decimal(fee) / 100, "source": "test"},
        )


def build(histories, prices):
    """The circuits with the first half of their histories; returns what the second half applies."""
    set_prices(prices)
    later = []
    for created, bandwidth, history in histories:
        circuit = CircuitFactory(created_at=moment(created), bandwidth_mbps=bandwidth)
        link = VNetLinkFactory(circuit=circuit, connection_status="Connecting")
        session = PeeringFactory(circuit=circuit, sessions="Idle").bgp_sessions.first()
        events = sorted((max(offset, created), event) for offset, event in history)
        apply_history(circuit, link, session, events[: len(events) // 2])
        later.append((circuit, link, session, events[len(events) // 2 :]))
    return later


def apply_history(circuit, link, session, events):
    for offset, event in events:
        circuit.refresh_from_db()
        if circuit.deleted_at:
            break
        with time_machine.travel(moment(offset), tick=False), contextlib.suppress(DomainError):
            _apply(circuit, event, link, session)  # a refused step changes nothing


@pytest.fixture
def rolled_back():
    """A transaction per hypothesis example (the test's own one is shared by every example)."""

    class Rollback(Exception):
        pass

    def run(check):
        try:
            with transaction.atomic():
                check()
                raise Rollback
        except Rollback:
            pass

    return run


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories=circuit_histories, prices=price_tables, later=price_tables, as_of_back=st.integers(0, SPAN))
def test_the_stored_runs_give_the_direct_figures_to_the_cent(rolled_back, histories, prices, later, as_of_back):
    def check():
        with time_machine.travel(NOW, tick=False):
            second_halves = build(histories, prices)
            assert_materialised_equals_direct()
            # Changes after today's totals were stored: each moves them by its circuit's difference.
            for second_half in second_halves:
                apply_history(*second_half)
            assert_materialised_equals_direct()
            # Price changes and deletions after the runs were stored: the receivers mark them stale.
            PortPrice.objects.filter(bandwidth_mbps=1000).order_by("valid_from").first().delete()
            set_prices(later)
            assert_materialised_equals_direct()
            assert_materialised_equals_direct(as_of=TODAY - timedelta(days=as_of_back))

    rolled_back(check)


@pytest.fixture
def today():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_committed_transition_refreshes_the_circuits_runs(today, django_capture_on_commit_callbacks):
    circuit = CircuitFactory(created_at=moment(0))
    accruals_refresh_stale()
    with django_capture_on_commit_callbacks(execute=True):
        services.circuit_set_provider_state(circuit=circuit, to="Provisioned", actor=AZURE)
    circuit.refresh_from_db()
    assert AccrualState.objects.get(circuit=circuit).version == circuit.version
    assert set(AccrualRun.objects.filter(circuit=circuit).values_list("category", flat=True)) == {
        "waiting",
        "idle",
        "unused",
    }


def test_one_refresh_task_refreshes_a_sweep_chunks_circuits(today):
    circuits = CircuitFactory.create_batch(3, created_at=moment(0))
    accruals_refresh_stale()
    for circuit in circuits[:2]:
        services.circuit_set_provider_state(circuit=circuit, to="Provisioned", actor=AZURE)
    assert accruals_refresh(circuit_ids=[circuit.pk for circuit in circuits]) == 2  # the stale ones
    assert accruals_refresh_stale() == 0
    assert_materialised_equals_direct()


def test_a_write_the_receivers_missed_is_caught_by_the_version(today):
    circuit = CircuitFactory(created_at=moment(0))
    accruals_refresh_stale()
    services.circuit_set_provider_state(circuit=circuit, to="Provisioned", actor=AZURE)  # on_commit never runs here
    assert accruals_refresh_stale() == 1
    assert_materialised_equals_direct()


def test_a_price_change_marks_the_runs_of_its_circuits_stale(today):
    price = PortPrice.objects.filter(sku_tier="Standard", sku_family="MeteredData", bandwidth_mbps=1000).first()
    circuit = CircuitFactory(created_at=moment(0))
    accruals_refresh_stale()
    price.monthly_fee = Decimal("999.99")
    price.save()
    assert not AccrualState.objects.filter(circuit=circuit).exists()


def test_importing_prices_refreshes_the_runs(today):
    circuit = CircuitFactory(created_at=moment(0))
    accruals_refresh_stale()
    item = {
        "serviceName": "ExpressRoute",
        "meterName": "Standard Metered Data 1 Gbps Circuit",
        "unitOfMeasure": "1/Month",
        "armRegionName": "Zone 1",
        "retailPrice": 1234.5,
        "effectiveStartDate": "2026-01-01T00:00:00Z",
    }
    prices_import(items=[item], source="test")
    assert AccrualRun.objects.filter(circuit=circuit, monthly_fee=Decimal("1234.50")).exists()
    assert_materialised_equals_direct()


def test_the_nightly_task_completes_stale_runs(today):
    CircuitFactory.create_batch(3, created_at=moment(0))
    assert accruals_complete() == 3
    assert accruals_complete() == 0


def test_billing_verify_passes_on_fresh_runs(today, capsys):
    CircuitFactory(created_at=moment(0), provisioned=True)
    call_command("billing_verify")
    assert "equal" in capsys.readouterr().out


def test_billing_verify_fails_with_a_diff_per_circuit(today, capsys):
    circuit = CircuitFactory(created_at=moment(0))
    accruals_refresh_stale()
    AccrualRun.objects.filter(circuit=circuit).update(monthly_fee=Decimal("1.00"))
    with pytest.raises(SystemExit) as exit_:
        call_command("billing_verify", "--no-refresh")
    assert exit_.value.code == 1
    assert f"circuit {circuit.pk}" in capsys.readouterr().out


def test_a_change_after_the_days_totals_moves_them_without_a_rebuild(today):
    circuit = CircuitFactory(created_at=moment(0))
    accruals_catch_up(as_of=TODAY)
    stored_at = AccrualSummary.objects.get().computed_at
    services.circuit_set_provider_state(circuit=circuit, to="Provisioned", actor=AZURE)
    assert AccrualPending.objects.filter(circuit=circuit).exists()
    assert accruals_catch_up(as_of=TODAY)
    assert AccrualSummary.objects.get().computed_at == stored_at
    assert not AccrualPending.objects.exists()
    assert set(AccrualTotal.objects.filter(grouping="categories").values_list("key", flat=True)) == {"unused"}
    assert accrual_differences(as_of=TODAY) == []


def test_a_database_emptied_of_the_summary_row_gets_it_back(today):
    AccrualSummary.objects.all().delete()  # as a flushed test database is
    CircuitFactory(created_at=moment(0))
    accruals_refresh_stale()
    assert accruals_catch_up(as_of=TODAY)
    assert AccrualSummary.objects.get().day == TODAY


def test_the_next_day_stores_its_own_figures_with_the_open_runs_clipped_at_it(today):
    CircuitFactory(created_at=moment(0))
    PeeringFactory(circuit__created_at=moment(10), circuit__provisioned=True, sessions="Established")
    accruals_catch_up(as_of=TODAY)
    later = TODAY + timedelta(days=40)
    with time_machine.travel(NOW + timedelta(days=40), tick=False):
        assert accruals_catch_up(as_of=later)
        assert AccrualSummary.objects.get().day == later
        assert accrual_differences(as_of=later) == []
        assert monthly_accrued(as_of=later, materialised=True) == monthly_accrued(as_of=later)


def test_a_past_day_is_summed_from_the_runs_not_the_stored_totals(today):
    CircuitFactory(created_at=moment(0))
    assert not accruals_catch_up(as_of=TODAY - timedelta(days=1))
    assert not AccrualSummary.objects.filter(day__isnull=False).exists()


def test_a_circuit_removed_from_the_database_leaves_the_days_totals(today):
    kept, removed = CircuitFactory(created_at=moment(0)), CircuitFactory(created_at=moment(0), provisioned=True)
    accruals_catch_up(as_of=TODAY)
    removed.delete()  # no audit event protects a circuit created behind the services
    assert list(AccrualTotal.objects.filter(grouping="teams").values_list("key", "circuits")) == [
        (str(kept.team_id), 1)
    ]
    assert accrual_differences(as_of=TODAY) == []
