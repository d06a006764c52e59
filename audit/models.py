from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit events are append-only.")

    def delete(self):
        raise TypeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One change of state: what changed, from what, to what, who or what did it, and why.

    Append-only: rows are never updated or deleted. `circuit` lets a circuit's timeline include its
    peerings', links' and tickets' events with one indexed query.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    circuit = models.ForeignKey(
        "circuits.Circuit", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    object_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    object_repr = models.CharField(max_length=200)
    field = models.CharField(max_length=64)
    from_value = models.CharField(max_length=200, blank=True)
    to_value = models.CharField(max_length=200, blank=True)
    actor_kind = models.CharField(max_length=20)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # TextField: rows written before the limit may be longer and can never be rewritten (append-only).
    reason = models.TextField(blank=True, max_length=1000)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["circuit", "-created_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self):
        return f"{self.object_repr}.{self.field}: {self.from_value or '∅'} → {self.to_value or '∅'}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are append-only.")

    @property
    def actor_display(self):
        return self.actor_user.get_username() if self.actor_user_id else self.actor_kind
