"""The admin shows webhook endpoints but leaves every change to their pages (webhooks.services):
an admin save would skip the URL check and write no audit event."""

from django.urls import reverse

from tests.accounts.factories import UserFactory
from webhooks.models import Endpoint

from .factories import EndpointFactory


def test_the_admin_shows_endpoints_but_changes_them_only_through_their_page(client, team):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True, team=team))
    endpoint = EndpointFactory(teams=[team])
    change_url = reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])

    page = client.get(change_url).content.decode()
    refused_add = client.post(reverse("admin:webhooks_endpoint_add"), {"name": "x", "url": "http://10.0.0.1/"})
    refused_change = client.post(change_url, {"name": "renamed", "url": "http://127.0.0.1/"})

    assert endpoint.get_absolute_url() in page
    assert endpoint.secret_encrypted not in page
    assert (refused_add.status_code, refused_change.status_code) == (403, 403)
    assert list(Endpoint.objects.values_list("name", "url")) == [(endpoint.name, endpoint.url)]
