import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from .choices import DeliveryStatusChoices, EventTypeChoices, InboundOutcomeChoices


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class Endpoint(models.Model):
    """A URL that hears about the chosen events of the chosen teams' circuits, signed with its secret.

    The secret is needed to sign, so it is kept encrypted (webhooks.secrets: a key derived from
    SECRET_KEY) and never shown back. After a rotation the previous secret also signs until
    `previous_secret_until`, so receivers can switch without losing a message."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    teams = models.ManyToManyField("accounts.Team", related_name="webhook_endpoints")
    event_types = models.JSONField(default=list, help_text="Event types this endpoint receives.")
    is_active = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=500, blank=True)
    secret_encrypted = models.TextField(editable=False)
    previous_secret_encrypted = models.TextField(blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("webhooks:endpoint_detail", args=[self.pk])

    @property
    def event_type_labels(self):
        return [EventTypeChoices.label(value) for value in self.event_types]


class WebhookEvent(models.Model):
    """One thing that happened, with the payload every endpoint receives (the same bytes each try)."""

    message_id = models.CharField(max_length=40, unique=True, default=new_message_id, editable=False)
    type = models.CharField(max_length=50, choices=EventTypeChoices.choices)
    circuit = models.ForeignKey(
        "circuits.Circuit", null=True, blank=True, on_delete=models.PROTECT, related_name="webhook_events"
    )
    audit_event = models.ForeignKey(
        "audit.AuditEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="webhook_events"
    )
    body = models.TextField(help_text="The JSON payload, serialised once: retries sign and send these bytes.")
    # Derived events (billing categories) are sent once per circuit and category.
    dedupe_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["type", "dedupe_key"], condition=~Q(dedupe_key=""), name="webhook_event_once"
            )
        ]

    def __str__(self):
        return f"{self.type} {self.message_id}"


class Delivery(models.Model):
    """One event for one endpoint: created in the event's transaction, sent until delivered or a day has passed."""

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        max_length=16, choices=DeliveryStatusChoices.choices, default=DeliveryStatusChoices.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True, help_text="When a send was last queued.")
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    retry_from = models.DateTimeField(help_text="Retries go on for a day from here: creation, or the last redeliver.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["event", "endpoint"], name="delivery_once_per_endpoint")]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="delivery_due_idx"),
        ]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.event} → {self.endpoint}"

    @property
    def status_color(self):
        return DeliveryStatusChoices.color(self.status)


class DeliveryAttempt(models.Model):
    """One HTTP request of a delivery: the endpoint's delivery log."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    succeeded = models.BooleanField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(default=0)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.delivery}: {self.status_code or self.error}"


class CircuitStepMark(models.Model):
    """The onboarding step a circuit was last seen at, to tell when one is completed."""

    circuit = models.OneToOneField("circuits.Circuit", on_delete=models.CASCADE, related_name="webhook_step_mark")
    step = models.PositiveSmallIntegerField()

    def __str__(self):
        return f"{self.circuit_id} at step {self.step}"


class InboundTally(models.Model):
    """How many inbound Azure events had each outcome: a counter every process shares."""

    outcome = models.CharField(max_length=16, choices=InboundOutcomeChoices.choices, unique=True)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name_plural = "inbound tallies"

    def __str__(self):
        return f"{self.outcome}: {self.count}"
