"""A request that fails on the server gets a clean page: 503 while the database is unreachable, else 500."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_client(client):
    """A client that gets the error page a browser would, instead of the exception."""
    client.raise_request_exception = False
    return client


def _assert_clean(response):
    page = response.content.decode()
    assert "Traceback" not in page and "Error" not in page
    assert 'href="/"' in page  # a way back


@pytest.mark.parametrize("error", [OperationalError("server closed the connection"), InterfaceError("closed")])
def test_a_lost_database_connection_gets_the_503_page_with_retry_after(failing_client, engineer, error):
    failing_client.force_login(engineer)
    with mock.patch("django.contrib.auth.get_user", side_effect=error):  # fails in middleware, before any view
        response = failing_client.get(reverse("circuits:circuit_list"))
    assert (response.status_code, response["Retry-After"]) == (503, "10")
    assert "The database is unavailable for a moment" in response.content.decode()
    _assert_clean(response)


@pytest.mark.parametrize(
    ("error", "status", "title"),
    [
        (OperationalError("terminating connection"), 503, "The database is unavailable for a moment"),
        (ZeroDivisionError("boom"), 500, "Something went wrong"),
    ],
)
def test_a_view_that_fails_gets_a_clean_page(failing_client, engineer, error, status, title):
    failing_client.force_login(engineer)
    with mock.patch("circuits.views.pages.circuit_page_for", side_effect=error):
        response = failing_client.get(reverse("circuits:circuit_detail", args=[1]))
    assert response.status_code == status
    assert title in response.content.decode() and str(error) not in response.content.decode()
    _assert_clean(response)


def test_a_missing_page_gets_the_404_page_in_the_layout(client, engineer):
    client.force_login(engineer)
    response = client.get("/circuits/999999/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode() and 'aria-label="Main"' in response.content.decode()


def test_a_refused_action_gets_the_403_page_in_the_layout(client, manager):
    client.force_login(manager)  # managers read everything and change nothing
    response = client.get(reverse("circuits:circuit_create"))
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode() and 'aria-label="Main"' in response.content.decode()
