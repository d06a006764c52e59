"""Writes for notifications and watches."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Team
from outbox.services import enqueue

from .models import EmailStatusChoices, Notification, Watch


def users_who_may_view(circuit):
    """SECURITY: the active users allowed to view the circuit (circuits.selectors.circuits_visible_to):
    superusers, and its team's members who hold a role. Nobody else hears about it."""
    User = get_user_model()
    readers = User.objects.with_perm("circuits.view_circuit").filter(Q(is_superuser=True) | Q(teams=circuit.team_id))
    return User.objects.filter(pk__in=readers.values("pk"))


def circuit_watchers(circuit):
    """Everyone watching a circuit who may view it: its owner team's members and anyone who chose to watch it."""
    return users_who_may_view(circuit).filter(
        pk__in=circuit.team.members.values("pk").union(Watch.objects.filter(circuit=circuit).values("user_id"))
    )


def watchers_by_circuit(circuits) -> dict[int, list]:
    """circuit_watchers of many circuits in three queries, whatever their number: {circuit id: users}.

    The same rule: of the active users holding circuits.view_circuit, the circuit's team members,
    and those who chose to watch it while they may view it (superusers, or members of its team)."""
    User = get_user_model()
    team_ids = {circuit.team_id for circuit in circuits}
    readers = User.objects.with_perm("circuits.view_circuit").filter(Q(is_superuser=True) | Q(teams__in=team_ids))
    may_view = {user.pk: user for user in User.objects.filter(pk__in=readers.values("pk"))}
    members = defaultdict(set)
    for team_id, user_id in Team.members.through.objects.filter(team_id__in=team_ids).values_list("team_id", "user_id"):
        members[team_id].add(user_id)
    chosen = defaultdict(set)
    for circuit_id, user_id in Watch.objects.filter(circuit__in=circuits).values_list("circuit_id", "user_id"):
        chosen[circuit_id].add(user_id)
    watchers = {}
    for circuit in circuits:
        team = members[circuit.team_id]
        allowed = team | {pk for pk in chosen[circuit.pk] if pk in may_view and may_view[pk].is_superuser}
        watchers[circuit.pk] = [may_view[pk] for pk in sorted(allowed) if pk in may_view]
    return watchers


@dataclass(frozen=True)
class Notice:
    """One change to tell a circuit's watchers about; `skip_user` made it and needs no telling."""

    circuit: object
    kind: str
    title: str
    body: str = ""
    skip_user_id: int | None = None


@transaction.atomic
def notify_circuit_watchers(*, circuit, kind: str, title: str, body: str = "", also=(), skip_user=None):
    """Notify the circuit's watchers (plus those of `also` who may view it) in the app, and queue their
    e-mails on commit."""
    recipients = {user.pk: user for user in watchers_by_circuit([circuit])[circuit.pk]}
    also_ids = [user.pk for user in also if user is not None]
    if also_ids:
        recipients.update({user.pk: user for user in users_who_may_view(circuit).filter(pk__in=also_ids)})
    if skip_user is not None:
        recipients.pop(skip_user.pk, None)
    return notify_users(users=recipients.values(), circuit=circuit, kind=kind, title=title, body=body)


@transaction.atomic
def circuits_notify_watchers(*, notices: list[Notice]):
    """notify_circuit_watchers for many changes at once (a sweep chunk's): the watchers read once for
    all of their circuits, every notification written by one INSERT."""
    watchers = watchers_by_circuit(list({notice.circuit.pk: notice.circuit for notice in notices}.values()))
    notifications = [
        _notification(user, notice.circuit, notice.kind, notice.title, notice.body)
        for notice in notices
        for user in watchers[notice.circuit.pk]
        if user.pk != notice.skip_user_id
    ]
    return _notifications_create(notifications)


@transaction.atomic
def notify_users(*, users, kind: str, title: str, body: str = "", circuit=None):
    """Notify these users in the app and queue their e-mails on commit (callers chose who may know)."""
    users = sorted(users, key=lambda user: user.pk)
    return _notifications_create([_notification(user, circuit, kind, title, body) for user in users])


def _notification(user, circuit, kind, title, body):
    return Notification(
        user=user,
        circuit=circuit,
        kind=kind,
        title=title[:200],
        body=body[: Notification._meta.get_field("body").max_length],
        email_status=EmailStatusChoices.PENDING if user.email else EmailStatusChoices.NOT_NEEDED,
    )


def _notifications_create(notifications):
    notifications = Notification.objects.bulk_create(notifications)
    emails = [n.pk for n in notifications if n.email_status == EmailStatusChoices.PENDING]
    if emails:
        enqueue("notifications.send_emails", notification_ids=emails)
    return notifications


@transaction.atomic
def notification_record_email(*, notification_id: int, error: str = "", final: bool = False) -> Notification:
    """Record one attempt to e-mail a notification: sent, failed for now, or failed for good."""
    notification = Notification.objects.select_for_update().get(pk=notification_id)
    notification.email_attempts += 1
    notification.email_error = error[:500]
    if not error:
        notification.email_status = EmailStatusChoices.SENT
    elif final:
        notification.email_status = EmailStatusChoices.FAILED
    notification.save(update_fields=["email_attempts", "email_error", "email_status"])
    return notification


@transaction.atomic
def notifications_mark_read(*, user, notification_ids=None) -> int:
    """Mark the user's notifications read: the given ones, or all of them."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def watch_set(*, user, circuit, watching: bool) -> bool:
    """Start or stop watching a circuit; returns whether the user now watches it."""
    if watching:
        Watch.objects.get_or_create(user=user, circuit=circuit)
    else:
        Watch.objects.filter(user=user, circuit=circuit).delete()
    return watching
