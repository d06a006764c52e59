"""The hostile_request fixture; the hostile strategies and checks are in tests/support/hostile.py."""

import pytest
from django.core.cache import cache
from django.db import transaction

from tests.support.hostile import media_files, raw_markup_in
from tests.support.snapshots import domain_snapshot


@pytest.fixture
def hostile_request(db):
    """Send one hostile request: never a 500, no markup reflected raw, and a refused request changed nothing.

    `accepted`: the statuses that mean the input was taken, or a function of the response saying so.
    Whatever the request saved is rolled back afterwards, so every example starts from the same estate."""

    def send(client, method, url, data=None, *, accepted=(302,), shown_on=None, **extra):
        with transaction.atomic():
            response = _checked(client, method, url, data or {}, accepted, extra)
            if shown_on and _taken(response, accepted):  # what was saved is shown escaped
                page = client.get(shown_on)
                assert raw_markup_in(page.content.decode(), data or {}) == []
            transaction.set_rollback(True)
        cache.clear()  # cache-backed sessions saved by the request go with the rolled-back rows
        return response

    return send


def _taken(response, accepted):
    return accepted(response) if callable(accepted) else response.status_code in accepted


def _checked(client, method, url, data, accepted, extra):
    before, files_before = domain_snapshot(), media_files()
    response = getattr(client, method)(url, data, **extra)
    assert response.status_code < 500
    if not response.streaming:
        assert raw_markup_in(response.content.decode(errors="replace"), data) == []
    if not _taken(response, accepted):
        assert domain_snapshot() == before, f"{url} refused the input but changed the database"
        assert media_files() == files_before, f"{url} refused the input but stored a file"
    return response
