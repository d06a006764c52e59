"""Folding each circuit's stays into the one row /insights/ reads of it (Onboarding).

The page summarises every circuit in scope: grouping their stays in the query (MIN of the onboarded
stay, EXISTS of a deprovisioning) cost a join and a GROUP BY over every stay at each view. The fold runs
where the stays are written instead (insights.refresh, and the migration that added the table).

Times are integer microseconds since the epoch: JSON carries them on PostgreSQL and SQLite alike, and
(left - entered) / 10**6 is exactly timedelta.total_seconds(), so every duration is the one the
datetimes give."""

from datetime import UTC, datetime, timedelta

from circuits.choices import ServiceProviderProvisioningStateChoices as ProviderState

from .choices import StayKindChoices
from .durations import ONBOARDED

DEPROVISIONED_STATES = (ProviderState.DEPROVISIONING, ProviderState.DEPROVISIONED)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def microseconds(moment: datetime) -> int:
    return (moment - EPOCH) // MICROSECOND


def onboarding_rows(stays) -> list[dict]:
    """Onboarding(**row) of each circuit that has stays (dicts with Stay's fields, circuit_id included)."""
    rows = {}
    for stay in stays:
        circuit_id = stay["circuit_id"]
        row = rows.get(circuit_id)
        if row is None:
            row = rows[circuit_id] = {
                "circuit_id": circuit_id,
                "onboarded_at": None,
                "deprovisioned": False,
                "steps": [],
            }
        if stay["kind"] == StayKindChoices.STATE:
            row["deprovisioned"] |= stay["name"] in DEPROVISIONED_STATES
        elif stay["name"] == str(ONBOARDED):
            entered = stay["entered_at"]
            row["onboarded_at"] = entered if row["onboarded_at"] is None else min(row["onboarded_at"], entered)
        else:
            left = None if stay["left_at"] is None else microseconds(stay["left_at"])
            row["steps"].append([int(stay["name"]), microseconds(stay["entered_at"]), left, stay["finished"]])
    return list(rows.values())
