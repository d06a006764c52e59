"""Reads of notifications: whether a person watches a circuit and hears about it."""

from .models import Watch
from .services import circuit_watchers


def watch_state(*, user, circuit) -> dict:
    """`watching`: the user chose to watch the circuit; `notified`: they get its notifications (by
    that choice or as a member of its team, the rule notify_circuit_watchers applies)."""
    return {
        "circuit": circuit.pk,
        "watching": Watch.objects.filter(user=user, circuit=circuit).exists(),
        "notified": circuit_watchers(circuit).filter(pk=user.pk).exists(),
    }
