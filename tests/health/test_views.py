"""/healthz and the background-work banner every page loads."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from health.services import heartbeat_record
from notifications.models import Heartbeat

pytestmark = pytest.mark.django_db


def _beats(age=timedelta(0)):
    for name in ("beat", "worker"):
        Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now() - age})


def test_healthz_answers_anonymously_with_database_broker_beat_and_worker(client):
    beaten = timezone.now()
    _beats()
    response = client.get("/healthz")
    # The beat's age is at most the time since it beat: bounded by the clock, not by a guess at how
    # long the first request (which connects to the broker) takes on a busy machine.
    since_beat = (timezone.now() - beaten).total_seconds()
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["broker"]) == ("ok", "ok", "ok")
    assert 0 <= body["beat"]["age_seconds"] <= round(since_beat, 1)
    assert body["worker"]["last_heartbeat"] is not None


def test_healthz_is_degraded_but_up_when_background_work_is_late(client, settings):
    _beats(age=timedelta(seconds=settings.ONRAMP_BACKGROUND_LATE_AFTER + 1))
    response = client.get("/healthz")
    assert (response.status_code, response.json()["status"]) == (200, "degraded")


def test_healthz_reports_a_broker_that_is_down(client):
    _beats()
    with mock.patch("celery.current_app.connection_for_write", side_effect=OSError("Connection refused")):
        body = client.get("/healthz").json()
    assert (body["status"], body["broker"]) == ("degraded", "error: Connection refused")


def test_healthz_answers_503_when_the_database_is_down(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("could not connect")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: could not connect"


def test_pages_load_the_health_banner_live(client, engineer):
    client.force_login(engineer)
    page = client.get(reverse("notifications:list")).content.decode()
    assert f'hx-get="{reverse("health:banner")}"' in page


def test_the_banner_warns_when_background_work_has_not_run_for_a_while(client, engineer, settings):
    client.force_login(engineer)
    _beats(age=timedelta(seconds=settings.ONRAMP_BACKGROUND_LATE_AFTER + 60))
    banner = client.get(reverse("health:banner")).content.decode()
    assert "Background work has not run since" in banner


def test_the_banner_warns_when_background_work_never_ran(client, engineer):
    client.force_login(engineer)
    assert "has not run yet" in client.get(reverse("health:banner")).content.decode()


def test_the_banner_warns_nothing_and_marks_background_work_up_while_it_runs(client, engineer):
    client.force_login(engineer)
    heartbeat_record(name="beat")
    heartbeat_record(name="worker")
    banner = client.get(reverse("health:banner")).content.decode()
    assert 'data-background="up"' in banner
    assert "callout" not in banner


def test_a_worker_silent_for_three_heartbeats_is_shown_down_within_a_minute(client, engineer, settings):
    client.force_login(engineer)
    assert settings.ONRAMP_BACKGROUND_LATE_AFTER + 15 <= 60  # the banner asks every 15 s
    _beats(age=timedelta(seconds=3 * settings.ONRAMP_HEARTBEAT_INTERVAL + 1))
    banner = client.get(reverse("health:banner")).content.decode()
    assert 'data-background="down"' in banner
    assert "Background work has not run since" in banner


def test_pages_ask_for_the_banner_every_15_seconds(client, engineer):
    client.force_login(engineer)
    assert 'hx-trigger="load, every 15s"' in client.get(reverse("notifications:list")).content.decode()


def test_the_banner_and_healthz_query_counts_are_constant(client, engineer, django_assert_num_queries):
    _beats()
    with django_assert_num_queries(3):  # SELECT 1, heartbeats, outbox backlog
        client.get("/healthz")
    client.force_login(engineer)
    with django_assert_num_queries(2):  # user (the session is a signed cookie), heartbeats
        client.get(reverse("health:banner"))


def test_the_urls_are_where_monitors_and_pages_always_found_them():
    assert (reverse("health:healthz"), reverse("health:banner")) == ("/healthz", "/notifications/health-banner/")
