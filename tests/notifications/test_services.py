from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext

from circuits import services as circuit_services
from core.actors import SIMULATOR
from notifications.models import Notification
from notifications.services import (
    Notice,
    circuit_watchers,
    circuits_notify_watchers,
    notifications_mark_read,
    notify_circuit_watchers,
    watch_set,
    watchers_by_circuit,
)
from notifications.tasks import send_notification_emails
from outbox.models import OutboxMessage
from tests.accounts.factories import TeamFactory, UserFactory
from tests.circuits.factories import CircuitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def circuit(team, engineer):
    return CircuitFactory(team=team, service_provider_provisioning_state="Provisioning")


def test_the_owner_team_is_notified_in_app_and_by_email(circuit, engineer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        circuit_services.circuit_set_provider_state(circuit=circuit, to="Provisioned", actor=SIMULATOR)
    (notification,) = Notification.objects.filter(user=engineer)
    assert notification.kind == "provider_provisioned"
    assert notification.email_status == "sent"
    (message,) = mail.outbox
    assert message.to == [engineer.email]
    assert message.subject == f"[Onramp] {circuit} is Provisioned by its provider"


def test_the_email_is_queued_only_on_commit(circuit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        circuit_services.circuit_set_provider_state(circuit=circuit, to="Provisioned", actor=SIMULATOR)
    assert mail.outbox == []
    assert callbacks  # the e-mail is sent by what runs on commit (with insights' and billing's refreshes)
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_the_email_is_queued_by_the_tasks_registered_name(circuit, engineer):
    circuit_services.circuit_set_provider_state(circuit=circuit, to="Provisioned", actor=SIMULATOR)
    (notification,) = Notification.objects.filter(user=engineer)
    (message,) = OutboxMessage.objects.filter(task="notifications.send_emails")
    assert message.kwargs == {"notification_ids": [notification.pk]}
    assert send_notification_emails.name == "notifications.send_emails"


def test_watchers_outside_the_team_are_notified_too(circuit, engineer):
    outsider = UserFactory(username="watcher", is_superuser=True)
    watch_set(user=outsider, circuit=circuit, watching=True)
    notify_circuit_watchers(circuit=circuit, kind="test", title="t")
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"eng", "watcher"}
    watch_set(user=outsider, circuit=circuit, watching=False)
    notify_circuit_watchers(circuit=circuit, kind="test", title="t")
    assert Notification.objects.filter(user=outsider).count() == 1


@pytest.mark.parametrize("role", [None, "engineer"])
def test_only_people_who_may_view_the_circuit_are_notified(circuit, engineer, team, role):
    """Issue 11 item 3: a watch made before watching needed view access, a role-less team member, or
    someone named in `also` hear nothing about a circuit they may not view."""
    stranger = UserFactory(username="stranger", role=role, team=None if role else team)
    watch_set(user=stranger, circuit=circuit, watching=True)
    notify_circuit_watchers(circuit=circuit, kind="test", title="t", also=[stranger])
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"eng"}


def test_the_person_who_made_the_change_is_not_notified_of_it(circuit, engineer):
    assert notify_circuit_watchers(circuit=circuit, kind="test", title="t", skip_user=engineer) == []


def test_a_user_without_email_gets_the_in_app_notification_only(circuit, engineer):
    engineer.email = ""
    engineer.save()
    (notification,) = notify_circuit_watchers(circuit=circuit, kind="test", title="t")
    assert notification.email_status == "not_needed"


def test_changes_nobody_waits_for_notify_nobody(circuit):
    circuit_services.circuit_set_status(circuit=circuit, field="provisioning_state", to="Updating", actor=SIMULATOR)
    assert not Notification.objects.exists()


def test_a_failing_mail_server_is_retried_then_the_failure_is_visible(
    circuit, engineer, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(EmailBackend, "send_messages", side_effect=ConnectionRefusedError("SMTP down")) as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify_circuit_watchers(circuit=circuit, kind="test", title="t")
    notification = Notification.objects.get(user=engineer)
    assert send.call_count == 6  # the first attempt and five retries
    assert (notification.email_status, notification.email_attempts) == ("failed", 6)
    assert notification.email_error == "SMTP down"


def _watchers(team, count):
    return [UserFactory(username=f"watcher-{index}", role="engineer", team=team) for index in range(count)]


def test_a_changes_emails_are_sent_by_one_task_over_one_connection(
    circuit, engineer, team, django_capture_on_commit_callbacks
):
    _watchers(team, 3)
    with (
        mock.patch.object(EmailBackend, "open", autospec=True, side_effect=EmailBackend.open) as opened,
        django_capture_on_commit_callbacks(execute=True),
    ):
        notifications = notify_circuit_watchers(circuit=circuit, kind="test", title="t")
    assert OutboxMessage.objects.get().kwargs == {"notification_ids": sorted(n.pk for n in notifications)}
    assert opened.call_count == 1
    assert len(mail.outbox) == 4
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"sent"}


def test_an_email_that_fails_in_a_batch_is_retried_alone_and_the_others_are_sent(
    circuit, engineer, team, django_capture_on_commit_callbacks
):
    _watchers(team, 2)
    failures = iter([ConnectionRefusedError("SMTP hiccup")])

    def send_messages(backend, messages):
        if messages[0].to == [engineer.email] and (error := next(failures, None)):
            raise error
        mail.outbox.extend(messages)
        return len(messages)

    with (
        mock.patch.object(EmailBackend, "send_messages", autospec=True, side_effect=send_messages),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify_circuit_watchers(circuit=circuit, kind="test", title="t")
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"sent"}
    assert Notification.objects.get(user=engineer).email_attempts == 2
    assert len(mail.outbox) == 3


def test_marking_read(circuit, engineer):
    first, second = (notify_circuit_watchers(circuit=circuit, kind="test", title=t)[0] for t in "ab")
    assert notifications_mark_read(user=engineer, notification_ids=[first.pk]) == 1
    assert notifications_mark_read(user=engineer) == 1
    second.refresh_from_db()
    assert second.is_read


def test_the_watchers_of_many_circuits_are_each_circuits_watchers(team, engineer):
    """watchers_by_circuit (a sweep chunk's notifications) applies circuit_watchers' rule."""
    other_team = TeamFactory(name="other")
    circuits = [CircuitFactory(team=team), CircuitFactory(team=other_team), CircuitFactory(team=team)]
    people = [
        UserFactory(username="admin", is_superuser=True),
        UserFactory(username="member-no-role", team=team),
        UserFactory(username="other-engineer", role="engineer", team=other_team),
        UserFactory(username="approver", role="approver", team=team),
        UserFactory(username="inactive", is_active=False, role="engineer", team=team),
    ]
    for person, circuit in zip(people, circuits * 2, strict=False):
        watch_set(user=person, circuit=circuit, watching=True)
    watch_set(user=people[2], circuit=circuits[0], watching=True)  # may not view the other team's circuit

    bulk = watchers_by_circuit(circuits)

    assert {pk: {user.pk for user in users} for pk, users in bulk.items()} == {
        circuit.pk: set(circuit_watchers(circuit).values_list("pk", flat=True)) for circuit in circuits
    }


def test_a_chunk_of_changes_reads_watchers_once_whatever_its_size(team, engineer):
    """The watchers, the notifications and their e-mails' outbox rows: each read or written once."""
    notices = [Notice(CircuitFactory(team=team), "test", f"t{n}") for n in range(5)]

    with CaptureQueriesContext(connection) as one:
        circuits_notify_watchers(notices=notices[:1])
    with CaptureQueriesContext(connection) as five:
        notifications = circuits_notify_watchers(notices=notices)

    assert len(five) == len(one)
    assert sorted(n.title for n in notifications) == [n.title for n in notices]
