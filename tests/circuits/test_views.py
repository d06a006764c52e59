"""The circuit list and circuit page: roles, scoping, live polling and query counts."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from circuits.models import Circuit
from circuits.views.live import STOP_POLLING
from core.secrets import secret_digest
from tests.accounts.factories import TeamFactory, UserFactory
from tests.circuits.factories import AuthorizationFactory, CircuitFactory, ProviderOrderFactory, VNetLinkFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory, PrefixValidationTicketFactory

HTMX = {"HTTP_HX_REQUEST": "true"}
LIST = reverse("circuits:circuit_list")


def detail(circuit):
    return reverse("circuits:circuit_detail", args=[circuit.pk])


def onboarded_circuit(**kwargs):
    """A circuit whose five steps are done: Provisioned, private peering up, one VNet connected."""
    peering = PeeringFactory(sessions="Established", **kwargs)
    VNetLinkFactory(circuit=peering.circuit, connection_status="Connected")
    return peering.circuit


def busy_circuit(team):
    """A circuit with one of everything the pages show, to make any per-row query visible."""
    circuit = CircuitFactory(team=team, provisioned=True)
    ProviderOrderFactory(circuit=circuit)
    PeeringFactory(circuit=circuit)
    AdvertisedPrefixFactory(peering=PeeringFactory(circuit=circuit, microsoft=True, vlan_id=3000))
    VNetLinkFactory(circuit=circuit, authorization=AuthorizationFactory(circuit=circuit))
    return circuit


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def as_user(client, db):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_root_redirects_to_the_circuit_list(client, engineer):
    client.force_login(engineer)
    assert client.get("/").url == LIST


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_page_logs_an_engineer_in(client, engineer):
    response = client.post(reverse("login"), {"username": "eng", "password": "pass-for-tests"})
    assert response.status_code == 302
    assert client.get(LIST).status_code == 200


@pytest.mark.parametrize("role", ["engineer", "approver", "manager", "superuser"])
def test_every_role_reads_the_list_and_any_circuit_of_their_teams(as_user, role, request, team):
    circuit = CircuitFactory(team=team)
    client = as_user(request.getfixturevalue(role))
    assert circuit.name in client.get(LIST).content.decode()
    assert client.get(detail(circuit)).status_code == 200


@pytest.mark.parametrize("role", ["engineer", "approver", "manager"])
def test_other_teams_circuits_are_neither_listed_nor_found(as_user, role, request):
    circuit = CircuitFactory(team=TeamFactory(name="Elsewhere"))
    client = as_user(request.getfixturevalue(role))
    assert circuit.name not in client.get(LIST).content.decode()
    export = client.get(reverse("circuits:circuit_export"))
    assert circuit.name not in b"".join(export.streaming_content).decode()
    assert client.get(detail(circuit)).status_code == 404


def test_superusers_read_every_teams_circuits(as_user, superuser):
    circuit = CircuitFactory(team=TeamFactory(name="Elsewhere"))
    assert as_user(superuser).get(detail(circuit)).status_code == 200


def test_users_without_a_role_get_403(as_user, db):
    circuit = CircuitFactory()
    client = as_user(UserFactory(username="nobody"))
    assert client.get(LIST).status_code == 403
    assert client.get(detail(circuit)).status_code == 403
    assert client.get(reverse("circuits:circuit_export")).status_code == 403


def test_unknown_circuit_ids_answer_404(as_user, engineer):
    assert as_user(engineer).get(reverse("circuits:circuit_detail", args=[999999])).status_code == 404


def test_engineers_see_actions_only_on_their_own_teams_circuits(as_user, engineer, team):
    own, other = CircuitFactory(team=team), CircuitFactory(team=TeamFactory(name="Elsewhere"))
    client = as_user(engineer)
    assert reverse("circuits:circuit_delete", args=[own.pk]) in client.get(detail(own)).content.decode()
    assert reverse("circuits:circuit_delete", args=[other.pk]) not in client.get(detail(other)).content.decode()


def test_managers_see_the_list_read_only(as_user, manager, team):
    circuit = CircuitFactory(team=team)
    client = as_user(manager)
    page = client.get(LIST).content.decode()
    assert reverse("circuits:circuit_create") not in page
    assert reverse("circuits:circuit_delete", args=[circuit.pk]) not in client.get(detail(circuit)).content.decode()


def test_the_list_shows_each_circuits_current_step_and_reason(as_user, engineer):
    CircuitFactory(name="er-waiting")
    page = as_user(engineer).get(LIST).content.decode()
    assert "2. Order connectivity" in page
    assert "No order recorded yet." in page


def test_the_list_paginates_by_the_chosen_page_size(as_user, engineer):
    CircuitFactory.create_batch(51)
    client = as_user(engineer)
    assert client.get(LIST, {"per_page": 50}).content.decode().count('<tr id="circuit-') == 50
    assert client.get(LIST, {"per_page": 50, "page": 2}).content.decode().count('<tr id="circuit-') == 1


def test_sort_headers_link_to_the_same_filters_sorted(as_user, engineer):
    page = as_user(engineer).get(LIST, {"provider_state": "Provisioned", "sort": "name"}).content.decode()
    assert 'aria-sort="ascending"' in page
    assert "?provider_state=Provisioned&amp;sort=-name" in page


@pytest.mark.parametrize("count", [5, 200])
def test_the_list_costs_a_constant_number_of_queries(as_user, engineer, team, count, django_assert_num_queries):
    for _ in range(count):
        busy_circuit(team)
    client = as_user(engineer)
    # user (the session is a signed cookie), permissions, the filter menus (one UNION), the page with its
    # count (a window), 6 prefetches
    with django_assert_num_queries(10):
        response = client.get(LIST, {"sort": "-step"})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 20])
def test_the_circuit_page_costs_a_constant_number_of_queries(as_user, engineer, team, count, django_assert_num_queries):
    circuit = busy_circuit(team)
    for index in range(count):
        VNetLinkFactory(circuit=circuit, name=f"extra-{index}")
        ProviderOrderFactory(circuit=circuit)
    client = as_user(engineer)
    # user, permissions, circuit, 6 checklist prefetches, authorizations, Global Reach connections,
    # team members, links' authorizations, timeline, deletion blockers (route filters), billing panel
    with django_assert_num_queries(16):
        response = client.get(detail(circuit))
    assert response.status_code == 200


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


def test_the_timeline_shows_audit_events_with_who_and_why(as_user, engineer, team, engineer_actor):
    from circuits import services
    from tests.circuits.factories import ServiceProviderFactory

    provider = ServiceProviderFactory()
    circuit = services.circuit_create(
        actor=engineer_actor,
        name="er-timeline",
        subscription_id="00000000-0000-4000-8000-000000000001",
        resource_group="rg",
        region="westeurope",
        service_provider=provider,
        peering_location=provider.peering_locations.first(),
        bandwidth_mbps=1000,
        team=team,
    )
    page = as_user(engineer).get(detail(circuit)).content.decode()
    assert "Circuit created; service key issued, billing starts." in page
    assert AuditEvent.objects.filter(circuit=circuit).count() == 1


def test_microsoft_prefixes_show_their_validation_state_and_reason(as_user, engineer):
    prefix = AdvertisedPrefixFactory(
        validation_state="ValidationNeeded", reason="No route object for this prefix with origin AS8076 in RIPE."
    )
    page = as_user(engineer).get(detail(prefix.peering.circuit)).content.decode()
    assert prefix.prefix in page
    assert ">ValidationNeeded<" in page
    assert "No route object for this prefix" in page
    assert "different proxy/edge than the Internet" in page


def test_the_page_shows_bgp_state_per_link(as_user, engineer):
    peering = PeeringFactory(sessions="Active")
    page = as_user(engineer).get(detail(peering.circuit)).content.decode()
    assert page.count(">Active<") == 2
    assert "Primary" in page
    assert "Secondary" in page


def test_csrf_token_is_sent_with_htmx_requests(as_user, engineer):
    page = as_user(engineer).get(LIST).content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in page


def test_no_inline_scripts_or_styles_under_the_csp(as_user, engineer):
    circuit = busy_circuit(engineer.teams.first())
    for url in (LIST, detail(circuit)):
        page = as_user(engineer).get(url).content.decode()
        assert "<script>" not in page
        assert " style=" not in page
        assert "<style" not in page


def test_a_microsoft_peering_in_validation_needed_links_to_manual_validation(as_user, engineer, team):
    circuit = CircuitFactory(team=team, provisioned=True)
    peering = PeeringFactory(circuit=circuit, microsoft=True, advertised_public_prefixes_state="ValidationNeeded")
    page = as_user(engineer).get(detail(circuit)).content.decode()
    assert reverse("approvals:ticket_create", args=[peering.pk]) in page


def test_an_open_ticket_is_linked_instead_of_a_new_request(as_user, engineer):
    ticket = PrefixValidationTicketFactory()
    page = as_user(engineer).get(detail(ticket.peering.circuit)).content.decode()
    assert reverse("approvals:ticket_detail", args=[ticket.pk]) in page
    assert reverse("approvals:ticket_create", args=[ticket.peering.pk]) not in page


def test_the_timeline_names_fields_as_people_say_them(as_user, engineer, team, engineer_actor):
    from circuits import services

    circuit = CircuitFactory(team=team)
    ProviderOrderFactory(circuit=circuit)
    services.circuit_set_provider_state(circuit=circuit, to="Provisioning", actor=engineer_actor)
    page = as_user(engineer).get(detail(circuit)).content.decode()
    assert "Provider state: NotProvisioned → Provisioning" in page


def test_the_timeline_reads_yes_no_changes_as_words(as_user, engineer, team):
    from audit.services import audit_event_record
    from core.actors import SYSTEM

    circuit = CircuitFactory(team=team)
    audit_event_record(
        obj=circuit, field="is_stuck", from_value=False, to_value=True, actor=SYSTEM, circuit_id=circuit.pk
    )
    page = as_user(engineer).get(detail(circuit)).content.decode()
    assert "Flagged stuck" in page
    assert "False → True" not in page


def export(client, **filters):
    response = client.get(reverse("circuits:circuit_export"), filters)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_csv_export_has_every_filtered_circuit_across_pages(engineer_client):
    CircuitFactory.create_batch(55, service_provider_provisioning_state="Provisioning")
    CircuitFactory(name="er-other")
    rows = export(engineer_client, provider_state="Provisioning")
    assert rows[0][:3] == ["name", "resourceId", "serviceKey"]
    assert len(rows) == 1 + 55
    assert "er-other" not in {row[0] for row in rows}


def test_the_csv_export_never_contains_secrets(engineer_client, team):
    circuit = busy_circuit(team)
    authorization = circuit.authorizations.get()
    circuit.peerings.update(shared_key_digest=secret_digest("md5-secret"))
    text = "\n".join(",".join(row) for row in export(engineer_client))
    for secret in (authorization.authorization_key_digest, f"key-{authorization.name}", secret_digest("md5-secret")):
        assert secret not in text


def test_the_csv_export_keeps_spreadsheet_formulas_as_text(engineer_client):
    CircuitFactory(resource_group="=HYPERLINK(evil)", resource_id="=HYPERLINK(evil)")
    row = export(engineer_client)[1]
    assert row[1] == "'=HYPERLINK(evil)"


def test_engineers_have_a_my_teams_view(engineer_client, team):
    CircuitFactory(name="er-mine", team=team)
    CircuitFactory(name="er-theirs", team=TeamFactory(name="Elsewhere"))
    page = engineer_client.get(LIST, {"team": "mine"}).content.decode()
    assert "er-mine" in page
    assert "er-theirs" not in page
    assert "My teams' circuits" in page


@pytest.mark.parametrize(
    ("query", "explanation"),
    [
        ({"sort": "sideways"}, "Unknown sort"),
        ({"provider_state": "Sideways"}, "Select a valid choice"),
        ({"page": "x"}, "not a page number"),
    ],
)
def test_bad_list_parameters_are_explained_not_crashed_on(engineer_client, query, explanation):
    CircuitFactory()
    response = engineer_client.get(LIST, query)
    assert response.status_code == 200
    assert explanation in response.content.decode()


def test_the_list_filters_and_sorts_by_workflow_step(as_user, engineer):
    CircuitFactory(name="er-ordering")
    CircuitFactory(name="er-provisioning", service_provider_provisioning_state="Provisioning")
    client = as_user(engineer)

    def names(params):
        return [circuit.name for circuit, _ in client.get(LIST, params).context["rows"]]

    assert names({"step": "3"}) == ["er-provisioning"]
    assert names({"sort": "-step"}) == ["er-provisioning", "er-ordering"]
