"""api/examples.json is what the API answers now: the tour, played again, records the same."""

import json

import pytest

from api.schema import EXAMPLES
from devtools.api_examples import TourError, examples_text, record_examples

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_committed_examples_are_what_the_tour_records_now():
    recorded, committed = record_examples(), json.loads(EXAMPLES.read_text())
    changed = sorted(op for op in recorded.keys() | committed.keys() if recorded.get(op) != committed.get(op))
    assert not changed, f"Run `manage.py api_examples`: the API answers otherwise now for {', '.join(changed)}."
    assert examples_text(recorded) == EXAMPLES.read_text()


def test_a_step_answered_otherwise_than_it_expects_stops_the_tour(monkeypatch):
    import devtools.api_tour as api_tour

    monkeypatch.setattr(api_tour, "tour", lambda t: t.get("/api/teams/", "Your teams", expect=201))
    with pytest.raises(TourError, match="GET /api/teams/ as engineer: 200, expected 201"):
        record_examples()
