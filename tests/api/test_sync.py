"""Step 4's verification through the API: Check now and the last reading, by the page's rules."""

import pytest
from django.utils import timezone

from circuits.models import Circuit
from circuits.selectors import circuit_last_reading
from tests.accounts.factories import TeamFactory, UserFactory
from tests.peerings.factories import PeeringFactory
from tests.sync.sources import DiagnosingSource

from .factories import client_with_token


@pytest.fixture
def checked(circuit):
    PeeringFactory(circuit=circuit, sessions="Established")
    return circuit


@pytest.fixture
def source(monkeypatch):
    """The state source Check now asks; set `failures` or `failing_links` on it to make it fail."""
    diagnosing = DiagnosingSource()
    monkeypatch.setattr("api.endpoints.sync.get_source", lambda: diagnosing)
    return diagnosing


def check(api, circuit):
    return api.post(f"/api/circuits/{circuit.pk}/check/")


def diagnostics(api, circuit):
    return api.get(f"/api/circuits/{circuit.pk}/diagnostics/")


def test_check_now_reads_every_link_and_keeps_the_reading(api, checked, source, engineer):
    response = check(api, checked)
    assert response.status_code == 200, response.json()
    reading = response.json()["reading"]
    assert (reading["check_error"], reading["read_by"]) == ("", engineer.username)
    links = reading["peerings"][0]["links"]
    assert [link["device_path"] for link in links] == ["primary", "secondary"]
    assert links[0]["diagnostics"]["routes"][0]["prefixes_received"] == 7
    assert diagnostics(api, checked).json() == response.json()


def test_check_now_answers_the_circuits_new_etag(api, checked, source):
    response = check(api, checked)
    assert response["ETag"] == f'"{Circuit.objects.get(pk=checked.pk).version}"'


def test_the_last_reading_is_null_before_any_check(api, checked):
    assert diagnostics(api, checked).json() == {"circuit": checked.pk, "reading": None}


def test_a_failing_source_is_reported_in_the_reading_not_as_an_error(api, checked, source):
    source.failures, source.failing_links = 1, ("primary",)
    response = check(api, checked)
    assert response.status_code == 200
    primary, secondary = response.json()["reading"]["peerings"][0]["links"]
    assert response.json()["reading"]["check_error"] == "read 1 failed"
    assert (primary["diagnostics"], primary["error"]) == (None, "primary edge did not answer")
    assert secondary["error"] == "" and Circuit.objects.get(pk=checked.pk).check_failures == 1


def test_check_now_is_for_the_engineers_of_the_team(team, checked, source):
    assert check(client_with_token(UserFactory(role="manager", team=team)), checked).status_code == 403
    assert check(client_with_token(UserFactory(role="engineer", team=TeamFactory())), checked).status_code == 404
    assert circuit_last_reading(circuit_id=checked.pk) is None


def test_the_last_reading_is_for_whoever_may_view_the_circuit(team, checked, source, api):
    check(api, checked)
    manager = client_with_token(UserFactory(role="manager", team=team))
    assert diagnostics(manager, checked).json()["reading"]["read_at"]
    assert diagnostics(client_with_token(UserFactory(role="engineer")), checked).status_code == 404


def test_a_deleted_circuit_is_not_checked(api, checked, source):
    Circuit.objects.filter(pk=checked.pk).update(deleted_at=timezone.now())
    response = check(api, checked)
    assert (response.status_code, response.json()["type"]) == (409, "urn:onramp:problem:conflict")
    assert "nothing left to check" in response.json()["detail"]
    assert circuit_last_reading(circuit_id=checked.pk) is None
