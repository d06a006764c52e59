"""Live pages: the poll protocol (204 unchanged, the fragment when changed, 286 once nothing can change)
and its intervals."""

from datetime import timedelta

from django.contrib.auth.models import Permission
from django.utils import timezone

from circuits.models import Circuit
from circuits.views.live import STOP_POLLING
from tests.accounts.factories import UserFactory
from tests.circuits.factories import CircuitFactory, ProviderOrderFactory
from tests.circuits.pages import HTMX, LIST, detail, onboarded_circuit


def test_an_htmx_request_gets_only_the_live_fragment(as_user, engineer):
    circuit = CircuitFactory()
    response = as_user(engineer).get(detail(circuit), **HTMX)
    body = response.content.decode()
    assert "<html" not in body
    assert 'hx-swap-oob="innerHTML"' in body
    assert "1. Create the circuit" in body
    assert response["Vary"].find("HX-Request") >= 0


def test_the_full_page_polls_while_something_can_change(as_user, engineer):
    circuit = CircuitFactory()
    page = as_user(engineer).get(detail(circuit)).content.decode()
    assert 'hx-trigger="every 5s' in page
    assert "data-live" in page


def test_an_unchanged_poll_is_answered_204_in_at_most_two_queries_in_all(as_user, engineer, django_assert_num_queries):
    circuit = CircuitFactory()
    client = as_user(engineer)
    fingerprint = client.get(detail(circuit)).context["fingerprint"]
    # The user (the session is a signed cookie), then the fingerprint with the permission check folded in.
    with django_assert_num_queries(2):
        response = client.get(detail(circuit), {"v": fingerprint}, **HTMX)
    assert response.status_code == 204
    assert response.content == b""


def test_a_poll_without_permission_to_view_circuits_is_refused_even_when_it_matches(as_user, engineer):
    circuit = CircuitFactory()
    fingerprint = as_user(engineer).get(detail(circuit)).context["fingerprint"]
    outsider = as_user(UserFactory(username="outsider"))
    assert outsider.get(detail(circuit), {"v": fingerprint}, **HTMX).status_code == 403
    assert outsider.get(LIST, {"v": fingerprint}, **HTMX).status_code == 403


def test_a_poll_by_someone_granted_the_view_permission_directly_is_answered_204(as_user, team):
    circuit = CircuitFactory(team=team)
    reader = UserFactory(username="reader", team=team)
    reader.user_permissions.add(Permission.objects.get(codename="view_circuit"))
    client = as_user(reader)
    fingerprint = client.get(detail(circuit)).context["fingerprint"]
    assert client.get(detail(circuit), {"v": fingerprint}, **HTMX).status_code == 204


def poll_after(client, circuit, change):
    """Load the page, let `change()` happen, then poll as the page would."""
    fingerprint = client.get(detail(circuit)).context["fingerprint"]
    change()
    return client.get(detail(circuit), {"v": fingerprint}, **HTMX)


def test_a_poll_after_a_change_renders_the_fragment(engineer_client, team):
    circuit = CircuitFactory(team=team)

    def order_placed():
        ProviderOrderFactory(circuit=circuit)
        Circuit.objects.filter(pk=circuit.pk).update(version=circuit.version + 1)

    response = poll_after(engineer_client, circuit, order_placed)
    assert response.status_code == 200
    assert "the provider has not started yet" in response.content.decode()


def test_a_source_check_alone_refreshes_the_freshness_line(engineer_client, team):
    circuit = CircuitFactory(team=team)
    response = poll_after(
        engineer_client, circuit, lambda: Circuit.objects.filter(pk=circuit.pk).update(last_checked_at=timezone.now())
    )
    assert response.status_code == 200
    assert "Checked <time" in response.content.decode()


def test_the_freshness_line_says_live_only_as_the_health_banner_allows(engineer_client, team):
    page = engineer_client.get(detail(CircuitFactory(team=team))).content.decode()
    # onramp.css shows one of the two after the banner's answer (data-background="up" or "down")
    assert '<span class="liveness-up"> · live</span>' in page
    assert '<span class="liveness-down"> · not checking: worker down' in page


def test_an_onboarded_circuit_keeps_polling_more_slowly(as_user, engineer, settings):
    settings.ONRAMP_LIVE_POLL_SECONDS, settings.ONRAMP_LIVE_POLL_ONBOARDED_SECONDS = 5, 30
    circuit = onboarded_circuit()
    client = as_user(engineer)
    assert 'hx-trigger="every 30s' in client.get(detail(circuit)).content.decode()
    response = client.get(detail(circuit), {"v": "old"}, **HTMX)
    assert response.status_code == 200
    assert 'id="live-poller" hx-swap-oob="innerHTML"' in response.content.decode()


def test_a_circuit_still_onboarding_polls_at_the_live_interval(as_user, engineer, settings):
    settings.ONRAMP_LIVE_POLL_SECONDS, settings.ONRAMP_LIVE_POLL_ONBOARDED_SECONDS = 5, 30
    circuit = CircuitFactory(created_at=timezone.now() - timedelta(days=3))
    assert 'hx-trigger="every 5s' in as_user(engineer).get(detail(circuit)).content.decode()


def test_polling_stops_once_a_circuit_is_deleted(as_user, engineer):
    circuit = CircuitFactory(created_at=timezone.now() - timedelta(days=3), deleted_at=timezone.now())
    assert as_user(engineer).get(detail(circuit), {"v": "old"}, **HTMX).status_code == STOP_POLLING


def test_an_unchanged_list_poll_is_answered_204(as_user, engineer, django_assert_num_queries):
    CircuitFactory.create_batch(3)
    client = as_user(engineer)
    fingerprint = client.get(LIST).context["fingerprint"]
    with django_assert_num_queries(2):  # the user, then the page's fingerprint with the permission check
        response = client.get(LIST, {"v": fingerprint}, **HTMX)
    assert response.status_code == 204


def test_a_changed_list_poll_renders_the_rows(as_user, engineer):
    circuit = CircuitFactory()
    client = as_user(engineer)
    fingerprint = client.get(LIST).context["fingerprint"]
    type(circuit).objects.filter(pk=circuit.pk).update(
        version=circuit.version + 1, service_provider_provisioning_state="Provisioning"
    )
    response = client.get(LIST, {"v": fingerprint}, **HTMX)
    assert response.status_code == 200
    assert ">Provisioning<" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_the_list_keeps_polling_more_slowly_when_every_row_is_onboarded(as_user, engineer, settings):
    settings.ONRAMP_LIVE_POLL_ONBOARDED_SECONDS = 30
    onboarded_circuit()
    response = as_user(engineer).get(LIST, {"v": "old"}, **HTMX)
    assert response.status_code == 200
    assert 'hx-trigger="every 30s' in response.content.decode()
