import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.registry.factories import RoaFactory, RouteObjectFactory


@pytest.mark.parametrize("model", ["routeobject", "roa", "registryimport"])
def test_routing_data_is_browsable_but_read_only_in_the_admin(client, db, model):
    RouteObjectFactory()
    RoaFactory()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get(reverse(f"admin:registry_{model}_changelist"), {"q": "80.10"}).status_code == 200
    assert client.get(reverse(f"admin:registry_{model}_add")).status_code == 403
