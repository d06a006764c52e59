"""Every error is an RFC 9457 problem: type, title, status, detail (and errors for fields)."""

from api.models import ApiToken


def test_an_unknown_id_is_a_404_problem(api):
    response = api.get("/api/circuits/999999/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert {"type", "title", "status", "detail"} <= set(response.json())


def test_a_method_not_allowed_is_a_405_problem_with_allow(api, circuit):
    response = api.put(f"/api/circuits/{circuit.pk}/", {}, format="json")
    assert (response.status_code, response.json()["status"]) == (405, 405)
    assert "PATCH" in response["Allow"]


def test_too_many_requests_is_a_429_problem_with_retry_after(api, settings, circuit):
    settings.ONRAMP_API_THROTTLE_RATE = "2/min"
    assert [api.get("/api/circuits/").status_code for _ in range(3)] == [200, 200, 429]
    response = api.get("/api/circuits/")
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) > 0


def test_the_budget_is_per_token(api, settings, engineer, circuit):
    from .factories import client_with_token

    settings.ONRAMP_API_THROTTLE_RATE = "1/min"
    assert api.get("/api/circuits/").status_code == 200
    assert client_with_token(engineer).get("/api/circuits/").status_code == 200
    assert ApiToken.objects.filter(user=engineer).count() == 2
