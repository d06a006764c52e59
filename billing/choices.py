"""Billing categories: where each circuit's money goes."""

from core.choices import ChoiceSet


class BillingCategoryChoices(ChoiceSet):
    IN_USE = "in_use"
    UNUSED = "unused"
    WAITING = "waiting"
    IDLE = "idle"
    ORPHANED = "orphaned"
    DELETED = "deleted"

    CHOICES = (
        (IN_USE, "In use", "green"),
        (UNUSED, "Provisioned, nothing working", "orange"),
        (WAITING, "Waiting for the provider", "blue"),
        (IDLE, "Idle (never provisioned)", "red"),
        (ORPHANED, "Orphaned (deprovisioned, not deleted)", "purple"),
        (DELETED, "Deleted", "gray"),
    )
    # Paid for nothing: these have waste figures and a saving if deleted.
    WASTING = (IDLE, ORPHANED)
    # Still billed: every category but deleted.
    BILLED = (IN_USE, UNUSED, WAITING, IDLE, ORPHANED)
