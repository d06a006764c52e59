"""Hostile query strings: the circuit list's filters, search, sort and page (page, live poll and CSV),
the billing date, the notification list and its small forms."""

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from notifications.models import Notification
from tests.circuits.factories import CircuitFactory
from tests.support.hostile import hostile, hostile_form, hostile_number, hostile_text

LIST_FILTERS = {
    "q": "er-",
    "provider_state": "Provisioned",
    "service_provider": "1",
    "peering_location": "1",
    "sku_tier": "Standard",
    "sku_family": "MeteredData",
    "step": "3",
    "stuck": "true",
    "stale": "false",
    "team": "mine",
    "deleted": "include",
    "sort": "-name",
    "page": "1",
    "v": "0",
}
SORTS = st.one_of(
    st.sampled_from(["name", "-name", "--name", "password", "-team__members__password", "name,-created", "?"]),
    hostile_text(),
)
NUMBERS = hostile_number()
LIST_STRATEGIES = {
    "service_provider": NUMBERS,
    "peering_location": NUMBERS,
    "team": NUMBERS,
    "page": NUMBERS,
    "sort": SORTS,
}
DATES = st.one_of(
    st.dates().map(str),
    st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30", "-1", "1e9", "2026-13-01", "2026-01-01T00:00"]),
    hostile_text(),
)


@pytest.fixture
def circuits(team):
    return [CircuitFactory(team=team), CircuitFactory(team=team, provisioned=True)]


@hostile
@given(data=st.data(), htmx=st.booleans())
def test_circuit_list_survives_hostile_filters(engineer_client, circuits, hostile_request, data, htmx):
    query = data.draw(hostile_form(LIST_FILTERS, LIST_STRATEGIES))
    headers = {"HX-Request": "true"} if htmx else {}
    hostile_request(engineer_client, "get", reverse("circuits:circuit_list"), query, accepted=(200,), headers=headers)


@pytest.mark.parametrize("number", ["²", "٣", "0", "-1", "9223372036854775808", "1" * 5000, "1e3"])
@pytest.mark.parametrize("poll", [False, True])
def test_the_circuit_list_shows_a_page_whatever_page_number_it_is_given(engineer_client, circuits, number, poll):
    query = {"page": number, "v": "stale"} if poll else {"page": number}
    headers = {"HX-Request": "true"} if poll else {}

    response = engineer_client.get(reverse("circuits:circuit_list"), query, headers=headers)

    assert response.status_code == 200


@hostile
@given(data=st.data())
def test_circuit_export_survives_hostile_filters(engineer_client, circuits, hostile_request, data):
    query = data.draw(hostile_form(LIST_FILTERS, LIST_STRATEGIES))
    response = hostile_request(engineer_client, "get", reverse("circuits:circuit_export"), query, accepted=(200,))
    b"".join(response.streaming_content)  # the stream is where a bad filter would fail


@hostile
@given(fingerprint=hostile_text())
def test_live_poll_of_a_circuit_survives_a_hostile_fingerprint(engineer_client, circuits, hostile_request, fingerprint):
    url = circuits[0].get_absolute_url()
    hostile_request(engineer_client, "get", url, {"v": fingerprint}, accepted=(200,), headers={"HX-Request": "true"})


@settings(hostile, max_examples=6)  # the billing page computes the whole estate's figures: a few dates suffice
@given(as_of=DATES, table=st.sampled_from(["categories", "wasting", "months", "nope"]))
def test_billing_survives_hostile_dates(client, manager, circuits, hostile_request, as_of, table):
    client.force_login(manager)
    hostile_request(client, "get", reverse("billing:dashboard"), {"as_of": as_of}, accepted=(200,))
    url = reverse("billing:export", kwargs={"table": table})
    hostile_request(client, "get", url, {"as_of": as_of}, accepted=(200,))


@hostile
@given(page=NUMBERS, ids=st.lists(st.one_of(NUMBERS, hostile_text()), max_size=5), watching=hostile_text())
def test_notifications_survive_hostile_pages_ids_and_flags(
    engineer_client, circuits, hostile_request, page, ids, watching
):
    hostile_request(engineer_client, "get", reverse("notifications:list"), {"page": page}, accepted=(200,))
    hostile_request(engineer_client, "post", reverse("notifications:mark_read"), {"notification": ids})
    url = reverse("circuits:circuit_watch", kwargs={"pk": circuits[0].pk})
    hostile_request(engineer_client, "post", url, {"watching": watching})


def test_ids_that_name_no_notification_mark_nothing_read(engineer_client, engineer):
    notification = Notification.objects.create(user=engineer, kind="test", title="BGP up")

    engineer_client.post(reverse("notifications:mark_read"), {"notification": ["abc", "²", "1" * 5000, "-1"]})

    notification.refresh_from_db()
    assert notification.read_at is None
