import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify_circuit_watchers
from tests.accounts.factories import TeamFactory, UserFactory
from tests.circuits.factories import CircuitFactory

pytestmark = pytest.mark.django_db


def test_the_list_shows_only_my_notifications_with_their_email_state(client, engineer, team):
    circuit = CircuitFactory(team=team)
    notify_circuit_watchers(circuit=circuit, kind="test", title="Mine")
    Notification.objects.filter(title="Mine").update(email_status="failed", email_error="SMTP down")
    client.force_login(engineer)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Mine" in page
    assert "E-mail failed" in page
    assert "SMTP down" in page


def test_the_list_query_count_is_constant(client, engineer, team, django_assert_num_queries):
    for index in range(5):
        notify_circuit_watchers(circuit=CircuitFactory(team=team), kind="test", title=f"n{index}")
    client.force_login(engineer)
    with django_assert_num_queries(4):  # user (the session is a signed cookie), permissions, count, page
        client.get(reverse("notifications:list"))


def test_mark_all_read(client, engineer, team):
    notify_circuit_watchers(circuit=CircuitFactory(team=team), kind="test", title="x")
    client.force_login(engineer)
    assert client.post(reverse("notifications:mark_read")).status_code == 302
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_watching_a_circuit(client, engineer):
    circuit = CircuitFactory()
    client.force_login(engineer)
    client.post(reverse("circuits:circuit_watch", args=[circuit.pk]))
    assert circuit.watches.filter(user=engineer).exists()
    client.post(reverse("circuits:circuit_watch", args=[circuit.pk]), {"watching": "0"})
    assert not circuit.watches.exists()


@pytest.mark.parametrize("role", [None, "engineer", "approver", "manager"])
def test_watching_needs_view_access_to_the_circuit(client, team, role):
    """Issue 11 item 3: a user with no role, or of another team, watched any circuit by id."""
    circuit = CircuitFactory(team=team)
    elsewhere = TeamFactory(name="Elsewhere")
    client.force_login(UserFactory(username="outsider", role=role, team=team if role is None else elsewhere))
    response = client.post(reverse("circuits:circuit_watch", args=[circuit.pk]))
    assert response.status_code == 404
    assert not circuit.watches.exists()
