"""Live polls answered from the shared cache (circuits.stamps): an unchanged poll costs the user's
query only, and every way a circuit or someone's access can change makes the next poll answer."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from circuits import services
from circuits.models import Circuit
from circuits.stamps import targeted_ids
from sync import polling
from sync.sources.base import Observation
from tests.accounts.factories import UserFactory
from tests.circuits.factories import CircuitFactory
from tests.circuits.pages import HTMX, LIST, detail
from tests.support.caches import shared_cache  # noqa: F401 (fixture)
from tests.sync.sources import StaticSource

pytestmark = pytest.mark.usefixtures("shared_cache")


def first_poll(client, url):
    """Load the page, then poll it once (the poll that fills the cache); its fingerprint."""
    fingerprint = client.get(url).context["fingerprint"]
    assert client.get(url, {"v": fingerprint}, **HTMX).status_code == 204
    return fingerprint


def test_an_unchanged_poll_is_answered_from_the_cache_with_the_users_query_only(
    engineer_client, team, django_assert_num_queries
):
    circuit = CircuitFactory(team=team)
    fingerprint = first_poll(engineer_client, detail(circuit))
    with django_assert_num_queries(1):  # the user (the session is read from the cache)
        assert engineer_client.get(detail(circuit), {"v": fingerprint}, **HTMX).status_code == 204


def test_an_unchanged_list_poll_is_answered_from_the_cache_with_the_users_query_only(
    engineer_client, team, django_assert_num_queries
):
    CircuitFactory.create_batch(3, team=team)
    fingerprint = first_poll(engineer_client, LIST)
    with django_assert_num_queries(1):
        assert engineer_client.get(LIST, {"v": fingerprint}, **HTMX).status_code == 204


def test_a_service_write_makes_the_next_poll_answer(engineer_client, engineer_actor, team, write):
    circuit = CircuitFactory(team=team)
    fingerprint = first_poll(engineer_client, detail(circuit))
    list_fingerprint = first_poll(engineer_client, LIST)
    write(lambda: services.circuit_set_provider_state(circuit=circuit, to="Provisioning", actor=engineer_actor))
    assert engineer_client.get(detail(circuit), {"v": fingerprint}, **HTMX).status_code == 200
    assert engineer_client.get(LIST, {"v": list_fingerprint}, **HTMX).status_code == 200


def test_marking_checks_queued_leaves_the_polls_answers_standing(engineer_client, team, django_assert_num_queries):
    circuit = CircuitFactory(team=team)
    fingerprint = first_poll(engineer_client, detail(circuit))
    polling.circuits_mark_queued(circuit_ids=[circuit.pk])
    with django_assert_num_queries(1):  # still the cached answer: check_queued_at is shown nowhere
        assert engineer_client.get(detail(circuit), {"v": fingerprint}, **HTMX).status_code == 204


def test_the_sweeps_bulk_update_of_quiet_checks_makes_the_next_poll_answer(engineer_client, team, write):
    circuit, other = CircuitFactory.create_batch(2, team=team)
    fingerprint = first_poll(engineer_client, detail(circuit))
    list_fingerprint = first_poll(engineer_client, LIST)
    source = StaticSource(Observation(provider_state=circuit.service_provider_provisioning_state))
    write(lambda: polling.circuits_check(circuit_ids=[circuit.pk, other.pk], source=source))
    assert Circuit.objects.get(pk=circuit.pk).last_checked_at is not None
    assert engineer_client.get(detail(circuit), {"v": fingerprint}, **HTMX).status_code == 200
    assert engineer_client.get(LIST, {"v": list_fingerprint}, **HTMX).status_code == 200


def test_a_write_to_one_circuit_keeps_another_circuits_poll_answered_from_the_cache(engineer_client, team, write):
    circuit, other = CircuitFactory.create_batch(2, team=team)
    fingerprint = first_poll(engineer_client, detail(circuit))
    write(lambda: Circuit.objects.filter(pk=other.pk).update(last_checked_at=timezone.now()))
    assert engineer_client.get(detail(circuit), {"v": fingerprint}, **HTMX).status_code == 204


def test_an_update_not_narrowed_by_id_makes_every_poll_it_wrote_answer(engineer_client, team, write):
    circuit = CircuitFactory(team=team)
    fingerprint = first_poll(engineer_client, detail(circuit))
    write(lambda: Circuit.objects.filter(team=team).update(last_checked_at=timezone.now()))
    assert engineer_client.get(detail(circuit), {"v": fingerprint}, **HTMX).status_code == 200


def test_a_deletion_makes_the_next_poll_answer(engineer_client, engineer_actor, team, write):
    circuit = CircuitFactory(team=team)
    fingerprint = first_poll(engineer_client, detail(circuit))
    list_fingerprint = first_poll(engineer_client, LIST)
    write(lambda: services.circuit_delete(circuit=circuit, actor=engineer_actor))
    assert engineer_client.get(detail(circuit), {"v": fingerprint}, **HTMX).status_code == 286
    assert engineer_client.get(LIST, {"v": list_fingerprint}, **HTMX).status_code == 200


def test_removing_a_circuit_row_makes_the_next_poll_answer(engineer_client, team, write):
    circuit = CircuitFactory(team=team)
    fingerprint = first_poll(engineer_client, detail(circuit))
    write(lambda: Circuit.objects.filter(pk=circuit.pk).delete())
    assert engineer_client.get(detail(circuit), {"v": fingerprint}, **HTMX).status_code == 404


def test_a_new_circuit_makes_the_next_list_poll_answer(engineer_client, team, write):
    CircuitFactory(team=team, name="a")
    list_fingerprint = first_poll(engineer_client, LIST)
    write(lambda: CircuitFactory(team=team, name="b"))
    assert engineer_client.get(LIST, {"v": list_fingerprint}, **HTMX).status_code == 200


def test_losing_the_view_permission_makes_the_next_poll_refuse(engineer_client, engineer, team, write):
    circuit = CircuitFactory(team=team)
    fingerprint = first_poll(engineer_client, detail(circuit))
    list_fingerprint = first_poll(engineer_client, LIST)
    write(lambda: engineer.groups.remove(Group.objects.get(name="engineer")))
    assert engineer_client.get(detail(circuit), {"v": fingerprint}, **HTMX).status_code == 403
    assert engineer_client.get(LIST, {"v": list_fingerprint}, **HTMX).status_code == 403


def test_the_role_losing_the_view_permission_makes_the_next_poll_refuse(engineer_client, team, write):
    circuit = CircuitFactory(team=team)
    fingerprint = first_poll(engineer_client, detail(circuit))
    group = Group.objects.get(name="engineer")
    write(lambda: group.permissions.remove(*group.permissions.filter(codename="view_circuit")))
    assert engineer_client.get(detail(circuit), {"v": fingerprint}, **HTMX).status_code == 403


def test_leaving_the_team_makes_the_next_poll_refuse(engineer_client, engineer, team, write):
    circuit = CircuitFactory(team=team)
    fingerprint = first_poll(engineer_client, detail(circuit))
    write(lambda: team.members.remove(engineer))
    assert engineer_client.get(detail(circuit), {"v": fingerprint}, **HTMX).status_code == 404


def test_a_circuit_moving_to_another_team_makes_the_next_poll_refuse(engineer_client, team, write):
    circuit = CircuitFactory(team=team)
    fingerprint = first_poll(engineer_client, detail(circuit))
    other_team = type(team).objects.create(name="Elsewhere")
    write(lambda: Circuit.objects.filter(pk=circuit.pk).update(team=other_team))
    assert engineer_client.get(detail(circuit), {"v": fingerprint}, **HTMX).status_code == 404


def test_another_users_cached_answer_is_not_this_users(as_user, engineer, team):
    circuit = CircuitFactory(team=team)
    fingerprint = first_poll(as_user(engineer), detail(circuit))
    outsider = as_user(UserFactory(username="outsider", role="engineer"))
    assert outsider.get(detail(circuit), {"v": fingerprint}, **HTMX).status_code == 404


def test_an_update_names_the_circuits_it_writes_from_its_id_filter():
    assert targeted_ids(Circuit.objects.filter(pk=7).query) == [7]
    assert targeted_ids(Circuit.objects.filter(pk__in=[1, 2], deleted_at__isnull=True).query) == [1, 2]
    assert targeted_ids(Circuit.objects.filter(name="x").query) is None
    assert targeted_ids(Circuit.objects.exclude(pk=7).query) is None
    assert targeted_ids(Circuit.objects.filter(pk__in=Circuit.objects.values("pk")).query) is None
