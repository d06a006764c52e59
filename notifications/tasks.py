"""Sending e-mail notifications."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.urls import reverse

from . import services
from .models import EmailStatusChoices, Notification

logger = logging.getLogger(__name__)

MAX_EMAIL_RETRIES = 5


@shared_task(name="notifications.send_emails")
def send_notification_emails(notification_ids: list[int]) -> None:
    """E-mail a batch of notifications (all those one change or one sweep chunk raised) over one
    connection to the mail server, instead of a task and a connection each. One that fails counts as
    its first attempt and is handed to send_email, which retries it alone with backoff."""
    notifications = _pending(Notification.objects.filter(pk__in=notification_ids).order_by("pk"))
    handled = 0
    try:
        with mailers.default as connection:
            for notification in notifications:
                try:
                    connection.send_messages([_message(notification)])
                except Exception as error:  # any mail backend failure: this one is retried alone
                    _retry_alone(notification, error)
                else:
                    services.notification_record_email(notification_id=notification.pk)
                handled += 1
    except Exception as error:  # the server could not be reached, or the connection was lost
        for notification in notifications[handled:]:
            _retry_alone(notification, error)


@shared_task(bind=True, name="notifications.send_email", max_retries=MAX_EMAIL_RETRIES)
def send_notification_email(self, notification_id: int) -> None:
    """E-mail one notification; retried with backoff, and a final failure stays visible on it."""
    pending = _pending(Notification.objects.filter(pk=notification_id))
    if not pending:
        return
    (notification,) = pending
    try:
        _message(notification).send()
    except Exception as error:  # any mail backend failure is retried, then recorded
        final = self.request.retries >= self.max_retries
        services.notification_record_email(
            notification_id=notification_id, error=str(error) or type(error).__name__, final=final
        )
        logger.warning("E-mail for notification %s failed: %s", notification_id, error)
        if final:
            return
        raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error
    services.notification_record_email(notification_id=notification_id)


def _pending(notifications):
    return list(notifications.filter(email_status=EmailStatusChoices.PENDING).select_related("user", "circuit"))


def _message(notification) -> EmailMessage:
    body = notification.body
    if notification.circuit_id:
        link = reverse("circuits:circuit_detail", args=[notification.circuit_id])
        body += f"\n\nCircuit: {notification.circuit} ({link})"
    return EmailMessage(f"[Onramp] {notification.title}", body, None, [notification.user.email])


def _backoff(retries: int) -> float:
    return settings.ONRAMP_EMAIL_RETRY_BASE_DELAY * 2**retries


def _retry_alone(notification, error) -> None:
    services.notification_record_email(notification_id=notification.pk, error=str(error) or type(error).__name__)
    logger.warning("E-mail for notification %s failed: %s", notification.pk, error)
    send_notification_email.apply_async((notification.pk,), retries=1, countdown=_backoff(0))
