"""Writes for notifications and watches."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

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


@transaction.atomic
def notify_circuit_watchers(*, circuit, kind: str, title: str, body: str = "", also=(), skip_user=None):
    """Notify the circuit's watchers (plus those of `also` who may view it) in the app, and queue their
    e-mails on commit."""
    recipients = {user.pk: user for user in circuit_watchers(circuit)}
    also_ids = [user.pk for user in also if user is not None]
    if also_ids:
        recipients.update({user.pk: user for user in users_who_may_view(circuit).filter(pk__in=also_ids)})
    if skip_user is not None:
        recipients.pop(skip_user.pk, None)
    return notify_users(users=recipients.values(), circuit=circuit, kind=kind, title=title, body=body)


@transaction.atomic
def notify_users(*, users, kind: str, title: str, body: str = "", circuit=None):
    """Notify these users in the app and queue their e-mails on commit (callers chose who may know)."""

    notifications = Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                circuit=circuit,
                kind=kind,
                title=title[:200],
                body=body[: Notification._meta.get_field("body").max_length],
                email_status=EmailStatusChoices.PENDING if user.email else EmailStatusChoices.NOT_NEEDED,
            )
            for user in sorted(users, key=lambda user: user.pk)
        ]
    )
    for notification in notifications:
        if notification.email_status == EmailStatusChoices.PENDING:
            enqueue("notifications.send_email", notification.pk)
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
