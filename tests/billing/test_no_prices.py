from django.urls import reverse

from billing.models import PortPrice
from tests.circuits.factories import CircuitFactory


def test_the_billing_page_works_with_no_prices_at_all(client, manager):
    PortPrice.objects.all().delete()
    CircuitFactory()
    client.force_login(manager)
    response = client.get(reverse("billing:dashboard"))
    assert response.status_code == 200


def test_the_billing_page_works_with_no_prices_and_no_circuits(client, manager):
    PortPrice.objects.all().delete()
    client.force_login(manager)
    assert client.get(reverse("billing:dashboard")).status_code == 200


def test_the_billing_page_works_for_a_whole_estate_with_no_prices(client, manager):
    from devtools.demo import seed_demo_estate

    seed_demo_estate()
    PortPrice.objects.all().delete()
    client.force_login(manager)
    assert client.get(reverse("billing:dashboard")).status_code == 200
