"""The circuit list and circuit page: roles, scoping, what they show and what they cost in queries."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.accounts.factories import TeamFactory, UserFactory
from tests.circuits.factories import CircuitFactory, ProviderOrderFactory, VNetLinkFactory
from tests.circuits.pages import HTMX, LIST, busy_circuit, detail, history
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory, PrefixValidationTicketFactory


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
    # user, permissions, circuit (with its provider, location, team, forecast), 6 checklist prefetches,
    # authorizations, Global Reach connections, links' authorizations, deletion blockers (route filters)
    with django_assert_num_queries(13):
        response = client.get(detail(circuit))
    assert response.status_code == 200
    # its regions then come from the cache (circuits/views/page_regions.py): the list's three queries
    with django_assert_num_queries(3):
        response = client.get(detail(circuit))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 60])
def test_the_circuit_history_costs_a_constant_number_of_queries_and_shows_the_latest_50_events(
    as_user, engineer, team, count, django_assert_num_queries
):
    from audit.services import audit_event_record
    from core.actors import SYSTEM

    circuit = busy_circuit(team)
    for index in range(count):
        audit_event_record(obj=circuit, field="region", to_value=f"r{index}", actor=SYSTEM, circuit_id=circuit.pk)
    client = as_user(engineer)
    # user, permissions, circuit, team members, timeline, billing panel
    with django_assert_num_queries(6):
        response = client.get(history(circuit), **HTMX)
    assert response.content.decode().count('<li><div class="change">') == min(count, 50)


def test_the_page_loads_its_billing_and_timeline_after_it(as_user, engineer, team):
    circuit = CircuitFactory(team=team)
    page = as_user(engineer).get(detail(circuit)).content.decode()
    assert f'hx-get="{history(circuit)}" hx-trigger="load"' in page
    assert 'id="timeline-title"' not in page


def test_a_plain_load_of_the_history_goes_to_the_page(as_user, engineer, team):
    circuit = CircuitFactory(team=team)
    response = as_user(engineer).get(history(circuit))
    assert response.status_code == 302
    assert response["Location"] == f"{detail(circuit)}#circuit-history"


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
    page = as_user(engineer).get(history(circuit), **HTMX).content.decode()
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
    page = as_user(engineer).get(history(circuit), **HTMX).content.decode()
    assert "Provider state: NotProvisioned → Provisioning" in page


def test_the_timeline_reads_yes_no_changes_as_words(as_user, engineer, team):
    from audit.services import audit_event_record
    from core.actors import SYSTEM

    circuit = CircuitFactory(team=team)
    audit_event_record(
        obj=circuit, field="is_stuck", from_value=False, to_value=True, actor=SYSTEM, circuit_id=circuit.pk
    )
    page = as_user(engineer).get(history(circuit), **HTMX).content.decode()
    assert "Flagged stuck" in page
    assert "False → True" not in page


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
        return [circuit.name for circuit in client.get(LIST, params).context["page"]]

    assert names({"step": "3"}) == ["er-provisioning"]
    assert names({"sort": "-step"}) == ["er-provisioning", "er-ordering"]
