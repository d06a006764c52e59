"""Sending e-mail notifications."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from . import services
from .models import EmailStatusChoices, Notification

logger = logging.getLogger(__name__)

MAX_EMAIL_RETRIES = 5


@shared_task(bind=True, name="notifications.send_email", max_retries=MAX_EMAIL_RETRIES)
def send_notification_email(self, notification_id: int) -> None:
    """E-mail one notification; retried with backoff, and a final failure stays visible on it."""
    notification = Notification.objects.select_related("user", "circuit").get(pk=notification_id)
    if notification.email_status != EmailStatusChoices.PENDING:
        return
    body = notification.body
    if notification.circuit_id:
        link = reverse("circuits:circuit_detail", args=[notification.circuit_id])
        body += f"\n\nCircuit: {notification.circuit} ({link})"
    try:
        send_mail(f"[Onramp] {notification.title}", body, None, [notification.user.email])
    except Exception as error:  # any mail backend failure is retried, then recorded
        final = self.request.retries >= self.max_retries
        services.notification_record_email(
            notification_id=notification_id, error=str(error) or type(error).__name__, final=final
        )
        logger.warning("E-mail for notification %s failed: %s", notification_id, error)
        if final:
            return
        backoff = settings.ONRAMP_EMAIL_RETRY_BASE_DELAY * 2**self.request.retries
        raise self.retry(exc=error, countdown=backoff) from error
    services.notification_record_email(notification_id=notification_id)
