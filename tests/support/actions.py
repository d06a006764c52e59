"""A declarative harness for the engineer's action views, like NetBox's ViewTestCases.

A test class declares one action, `case = ActionCase(...)`, and inherits the tests every action must
pass: an engineer of the circuit's team gets the form; a valid POST calls the service (once) and
redirects to the circuit; an invalid POST shows the refusal next to its field and changes nothing; a
role without the change permission gets 403, and another team's circuit 404, and neither reaches the
service. What is particular to one
action (a key shown once, a blocker listed) stays a plain test next to the declarations.

Uses the fixtures of tests/conftest.py: team, engineer_client, approver, manager, refused_post.
"""

import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from unittest import mock

import pytest
from django.urls import reverse

from tests.accounts.factories import TeamFactory


def _no_more_kwargs(circuit):
    return {}


@dataclass(frozen=True)
class ActionCase:
    url_name: str  # in the circuits namespace
    circuit: Callable  # (team) -> the circuit the action runs on, with whatever it needs
    data: Callable  # (circuit) -> a POST the service accepts
    service: str  # the service the view calls, by import path ("circuits.services.circuit_upgrade")
    bad_data: Callable  # (circuit) -> a POST refused for bad input
    refusal: tuple[str, str]  # (field, words of the message shown next to it)
    url_kwargs: Callable = field(default=_no_more_kwargs)  # (circuit) -> URL arguments besides pk
    success_status: int = 302  # 302 back to the circuit; 200 for a page that must show something once

    def url(self, circuit):
        return reverse(f"circuits:{self.url_name}", kwargs={"pk": circuit.pk, **self.url_kwargs(circuit)})

    def spy(self):
        """The service, patched to record its calls while still doing its work."""
        return mock.patch(self.service, wraps=pkgutil.resolve_name(self.service))


class ActionViewTests:
    case: ActionCase

    @pytest.fixture
    def circuit(self, team):
        return self.case.circuit(team)

    def test_an_engineer_of_the_team_gets_the_form(self, engineer_client, circuit):
        response = engineer_client.get(self.case.url(circuit))
        assert response.status_code == 200
        assert response.context["form"].is_bound is False

    def test_a_valid_post_calls_the_service_and_redirects(self, engineer_client, circuit):
        with self.case.spy() as service:
            response = engineer_client.post(self.case.url(circuit), self.case.data(circuit))
        assert service.call_count == 1
        assert response.status_code == self.case.success_status, response.context and response.context["form"].errors
        if self.case.success_status == 302:
            assert response["Location"] == circuit.get_absolute_url()

    def test_an_invalid_post_shows_the_refusal_next_to_the_field_and_changes_nothing(
        self, engineer_client, circuit, refused_post
    ):
        response = refused_post(engineer_client, self.case.url(circuit), self.case.bad_data(circuit))
        name, words = self.case.refusal
        form = response.context["form"]
        assert words in " ".join(form.errors.get(name, [])), form.errors
        # Drawn next to the field (templates/includes/_field.html), where aria-describedby points.
        assert f'id="{form[name].auto_id}_error"' in response.content.decode()

    @pytest.mark.parametrize("role", ["approver", "manager"])
    def test_a_role_without_change_permission_gets_403(self, client, request, circuit, role):
        client.force_login(request.getfixturevalue(role))
        with self.case.spy() as service:
            assert client.get(self.case.url(circuit)).status_code == 403
            assert client.post(self.case.url(circuit), self.case.data(circuit)).status_code == 403
        assert service.call_count == 0

    def test_another_teams_circuit_answers_404(self, engineer_client):
        elsewhere = self.case.circuit(TeamFactory(name="Elsewhere"))
        with self.case.spy() as service:
            assert engineer_client.get(self.case.url(elsewhere)).status_code == 404
            assert engineer_client.post(self.case.url(elsewhere), self.case.data(elsewhere)).status_code == 404
        assert service.call_count == 0
