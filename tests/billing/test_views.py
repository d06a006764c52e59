import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from billing.models import SubscriptionName
from billing.services import subscription_names_record
from billing.tables import FIRST_ROWS
from tests.accounts.factories import UserFactory
from tests.circuits.factories import CircuitFactory, VNetLinkFactory
from tests.peerings.factories import PeeringFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
DASHBOARD = reverse("billing:dashboard")
# User (the session is a signed cookie), permissions, a savepoint around the catch-up: which circuits
# a cost change left pending (none), whether today's totals are stored (yes); then one query per
# table: months (the chart), categories, top wasting circuits, circuits without a price, providers,
# teams, subscriptions, each from the stored figures and totals.
DASHBOARD_QUERIES = 13
# ... and on the day's first page, when they are not stored yet: which circuits' runs are stale, in
# a savepoint: lock them, the summary row, the price table, clear their pending marks, their
# history, delete and write their runs, record what they were computed from; then the summary row
# again, clear the day before's figures, totals and months, every circuit's figures (one cursor),
# store them, their totals, the month totals from the runs, the summary row's new day, and fresh
# statistics of the figures and totals tables.
FIRST_OF_THE_DAY_QUERIES = 25


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def day(year, month, day):
    return datetime(year, month, day, tzinfo=UTC)


def an_estate(count):
    """`count` circuits of every kind: in use, unused, waiting, idle, orphaned, deleted, no price."""
    kinds = [
        lambda: PeeringFactory(circuit__created_at=day(2026, 2, 1), sessions="Established"),
        lambda: VNetLinkFactory(circuit__created_at=day(2026, 2, 1), connection_status="Connected"),
        lambda: CircuitFactory(created_at=day(2026, 3, 1), provisioned=True),
        lambda: CircuitFactory(created_at=day(2026, 11, 20)),
        lambda: CircuitFactory(created_at=day(2026, 1, 5)),
        lambda: CircuitFactory(created_at=day(2025, 6, 1), deprovisioned_at=day(2026, 5, 1)),
        lambda: CircuitFactory(created_at=day(2026, 1, 1), deleted_at=day(2026, 4, 1)),
        lambda: CircuitFactory(created_at=day(2026, 1, 1), sku_tier="Premium"),
    ]
    for index in range(count):
        kinds[index % len(kinds)]()


@pytest.mark.parametrize("role", ["engineer", "approver"])
def test_only_managers_see_the_billing_page(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(reverse("billing:export", args=["categories"])).status_code == 403


def test_a_manager_sees_the_billing_page(client, manager):
    client.force_login(manager)
    assert client.get(DASHBOARD).status_code == 200


def test_a_superuser_sees_the_billing_page(client):
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(DASHBOARD).status_code == 200


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    assert client.get(DASHBOARD).status_code == 302


@pytest.mark.parametrize("circuits", [5, 200])
def test_the_billing_page_costs_the_same_queries_whatever_the_number_of_circuits(
    client, manager, circuits, django_assert_num_queries
):
    an_estate(circuits)
    client.force_login(manager)
    with django_assert_num_queries(DASHBOARD_QUERIES + FIRST_OF_THE_DAY_QUERIES):
        assert client.get(DASHBOARD).status_code == 200
    with django_assert_num_queries(DASHBOARD_QUERIES):
        assert client.get(DASHBOARD).status_code == 200


def test_the_page_shows_waste_and_links_each_wasting_circuit(client, manager):
    idle = CircuitFactory(created_at=datetime(2026, 10, 1, tzinfo=UTC))
    client.force_login(manager)
    page = client.get(DASHBOARD).content.decode()
    assert f'href="{idle.get_absolute_url()}"' in page
    # Idle from 2026-10-31: 1 October day at 436/31 + 26 November days at 436/30.
    assert "391.93" in page
    assert "<svg" in page and " style=" not in page


def test_the_page_counts_price_unknown_circuits_apart(client, manager):
    CircuitFactory(created_at=datetime(2026, 10, 1, tzinfo=UTC), sku_tier="Premium")
    client.force_login(manager)
    page = client.get(DASHBOARD).content.decode()
    assert "1 circuit has no price (price unknown)" in page


def test_the_page_can_be_seen_as_of_another_date(client, manager):
    CircuitFactory(created_at=datetime(2026, 3, 1, tzinfo=UTC))
    client.force_login(manager)
    page = client.get(DASHBOARD, {"as_of": "2026-03-31"}).content.decode()
    assert "As of 2026-03-31" in page and "436.00" in page


def test_a_bad_as_of_date_is_explained_and_today_shown(client, manager):
    client.force_login(manager)
    response = client.get(DASHBOARD, {"as_of": "1999-12-31"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a date between 2000-01-01 and 2100-12-31." in page and "As of 2026-11-26" in page


@pytest.mark.parametrize("table", ["categories", "providers", "teams", "subscriptions", "months", "wasting"])
def test_every_table_exports_as_csv(client, manager, table):
    an_estate(8)
    client.force_login(manager)
    response = client.get(reverse("billing:export", args=[table]), {"as_of": "2026-11-26"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"billing-{table}-2026-11-26.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) > 1


def test_the_wasting_export_lists_every_wasting_circuit_to_the_cent(client, manager):
    for _ in range(12):
        CircuitFactory(created_at=datetime(2026, 10, 1, tzinfo=UTC))
    client.force_login(manager)
    response = client.get(reverse("billing:export", args=["wasting"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 13
    assert rows[1][4:7] == ["2026-10-31", "27", "391.93"]


def test_an_unknown_table_is_not_found(client, manager):
    client.force_login(manager)
    assert client.get("/billing/export/nothing.csv").status_code == 404


def test_the_circuits_without_a_price_are_listed_and_linked(client, manager):
    unpriced = CircuitFactory(created_at=datetime(2026, 10, 1, tzinfo=UTC), sku_tier="Premium")
    CircuitFactory(created_at=datetime(2026, 10, 1, tzinfo=UTC))
    client.force_login(manager)
    table = client.get(DASHBOARD).context["unpriced"]
    assert [(row.label, row.url, row.cells[:3]) for row in table.rows] == [
        (unpriced.name, unpriced.get_absolute_url(), ["Premium_MeteredData", "1 Gbps", "Zone 1"])
    ]


def test_amounts_are_right_aligned(client, manager):
    CircuitFactory(created_at=datetime(2026, 3, 1, tzinfo=UTC))
    client.force_login(manager)
    page = client.get(DASHBOARD, {"as_of": "2026-03-31"}).content.decode()
    assert '<td class="nowrap num">436.00</td>' in page
    assert '<th scope="col" class="num">Accrued</th>' in page


def test_provider_and_team_rows_link_to_the_filtered_circuit_list(client, manager):
    circuit = CircuitFactory(created_at=datetime(2026, 3, 1, tzinfo=UTC))
    client.force_login(manager)
    groupings = {table.slug: table for table in client.get(DASHBOARD).context["groupings"]}
    assert groupings["providers"].rows[0].url == f"/circuits/?service_provider={circuit.service_provider_id}"
    assert groupings["teams"].rows[0].url == f"/circuits/?team={circuit.team_id}"
    assert groupings["subscriptions"].rows[0].url == f"/circuits/?subscription={circuit.subscription_id}"
    listed = client.get(groupings["providers"].rows[0].url).context["page"]
    assert [c.pk for c in listed] == [circuit.pk]


def test_subscriptions_show_their_display_name_where_one_is_known(client, manager):
    named = CircuitFactory(created_at=datetime(2026, 3, 1, tzinfo=UTC))
    unnamed = CircuitFactory(created_at=datetime(2026, 3, 1, tzinfo=UTC))
    SubscriptionName.objects.create(subscription_id=named.subscription_id, display_name="Contoso Production")
    client.force_login(manager)
    subscriptions = {table.slug: table for table in client.get(DASHBOARD).context["groupings"]}["subscriptions"]
    assert {row.label for row in subscriptions.rows} == {"Contoso Production", str(unnamed.subscription_id)}


def test_the_page_a_later_day_counts_up_to_that_day(client, manager):
    CircuitFactory(created_at=datetime(2026, 10, 1, tzinfo=UTC))
    client.force_login(manager)
    assert "391.93" in client.get(DASHBOARD).content.decode()
    with time_machine.travel(NOW + timedelta(days=40), tick=False):
        client.force_login(manager)  # the session of 40 days ago has expired
        page = client.get(DASHBOARD).content.decode()
    # Idle from 2026-10-31 to 2027-01-05: 1 day at 436/31, November and December, 5 days at 436/31.
    assert "As of 2027-01-05" in page and "956.39" in page


def test_tables_that_grow_with_the_estate_show_their_first_rows_and_export_them_all(client, manager):
    CircuitFactory.create_batch(FIRST_ROWS + 1, created_at=datetime(2026, 10, 1, tzinfo=UTC), sku_tier="Premium")
    client.force_login(manager)
    response = client.get(DASHBOARD)
    subscriptions = {table.slug: table for table in response.context["groupings"]}["subscriptions"]
    assert len(subscriptions.rows) == FIRST_ROWS and subscriptions.more
    assert len(response.context["unpriced"].rows) == FIRST_ROWS and response.context["unpriced"].more
    assert "the CSV export has them all" in response.content.decode()
    exported = client.get(reverse("billing:export", args=["subscriptions"]))
    assert len(list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode())))) == FIRST_ROWS + 2


def test_a_subscription_named_after_the_days_totals_shows_its_name(client, manager):
    circuit = CircuitFactory(created_at=datetime(2026, 3, 1, tzinfo=UTC))
    client.force_login(manager)
    client.get(DASHBOARD)
    subscription_names_record(names={circuit.subscription_id: "Contoso Production"})
    subscriptions = {table.slug: table for table in client.get(DASHBOARD).context["groupings"]}["subscriptions"]
    assert [row.label for row in subscriptions.rows] == ["Contoso Production"]
