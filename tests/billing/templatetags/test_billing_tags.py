from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from billing.templatetags.billing_tags import money
from tests.accounts.factories import TeamFactory, UserFactory
from tests.circuits.factories import CircuitFactory

pytestmark = pytest.mark.django_db


def panel(user, circuit):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load billing_tags %}{% billing_panel circuit %}")
    with time_machine.travel(datetime(2026, 3, 31, 12, tzinfo=UTC), tick=False):
        return template.render(Context({"request": request, "circuit": circuit}))


@pytest.fixture
def circuit(team):
    return CircuitFactory(team=team, created_at=datetime(2026, 3, 1, tzinfo=UTC))


def test_an_engineer_sees_the_billing_panel_of_their_teams_circuits(engineer, circuit):
    html = panel(engineer, circuit)
    assert "Idle (never provisioned)" in html and "436.00 USD" in html and "5,232.00" in html


def test_an_engineer_does_not_see_the_billing_of_another_teams_circuit(engineer):
    elsewhere = TeamFactory(name="Elsewhere")
    assert "Billing" not in panel(engineer, CircuitFactory(team=elsewhere, created_at=datetime(2026, 3, 1, tzinfo=UTC)))


def test_an_approver_does_not_see_circuit_billing(approver, circuit):
    assert "Billing" not in panel(approver, circuit)


def test_a_manager_sees_every_circuits_billing_panel(manager, circuit):
    assert "Accrued since creation" in panel(manager, circuit)


def test_a_superuser_sees_every_circuits_billing_panel(circuit):
    assert "Accrued since creation" in panel(UserFactory(is_superuser=True), circuit)


def test_the_panel_says_price_unknown_rather_than_zero(manager, team):
    premium = CircuitFactory(team=team, created_at=datetime(2026, 3, 1, tzinfo=UTC), sku_tier="Premium")
    html = panel(manager, premium)
    assert "price unknown" in html and "0.00" not in html


def test_money_shows_thousands_and_cents_or_price_unknown():
    assert (money(Decimal("12345.6")), money(None)) == ("12,345.60", "price unknown")


def test_the_circuit_page_shows_its_billing_panel(client, engineer, circuit):
    client.force_login(engineer)
    history = reverse("circuits:circuit_history", args=[circuit.pk])  # htmx loads it once the page is shown
    with time_machine.travel(datetime(2026, 3, 31, 12, tzinfo=UTC), tick=False):
        page = client.get(history, HTTP_HX_REQUEST="true").content.decode()
    assert "Accrued since creation" in page and "436.00 USD" in page
