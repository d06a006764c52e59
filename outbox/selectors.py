from django.db.models import Count, Min
from django.utils import timezone

from .models import OutboxMessage


def outbox_backlog() -> dict:
    """How many tasks still wait for the broker, and how long the oldest has waited (one query)."""
    backlog = OutboxMessage.objects.filter(sent_at=None).aggregate(pending=Count("pk"), oldest=Min("created_at"))
    oldest = backlog["oldest"]
    age = None if oldest is None else round((timezone.now() - oldest).total_seconds(), 1)
    return {"pending": backlog["pending"], "oldest_age_seconds": age}
