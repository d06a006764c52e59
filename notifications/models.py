from django.conf import settings
from django.db import models

from core.choices import ChoiceSet


class EmailStatusChoices(ChoiceSet):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    NOT_NEEDED = "not_needed"

    CHOICES = (
        (PENDING, "E-mail queued", "blue"),
        (SENT, "E-mail sent", "green"),
        (FAILED, "E-mail failed", "red"),
        (NOT_NEEDED, "No e-mail address", "gray"),
    )


class Notification(models.Model):
    """A change someone was waiting for, shown in the app and sent by e-mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    circuit = models.ForeignKey(
        "circuits.Circuit", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=16, choices=EmailStatusChoices.choices, default=EmailStatusChoices.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return f"{self.user}: {self.title}"

    @property
    def is_read(self):
        return self.read_at is not None

    @property
    def email_status_color(self):
        return EmailStatusChoices.color(self.email_status)


class Watch(models.Model):
    """Someone outside the owner team who wants a circuit's notifications too."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches")
    circuit = models.ForeignKey("circuits.Circuit", on_delete=models.CASCADE, related_name="watches")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "circuit"], name="watch_unique_per_user")]

    def __str__(self):
        return f"{self.user} watches {self.circuit}"


class Heartbeat(models.Model):
    """When a background component last showed signs of life ("beat", "worker"); written and read by health."""

    name = models.CharField(max_length=20, primary_key=True)
    at = models.DateTimeField()
    detail = models.CharField(max_length=200, blank=True)

    def __str__(self):
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"
