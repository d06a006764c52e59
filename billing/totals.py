"""The page's totals kept rather than computed per request: what one circuit's figures add to them.

A figure of the page is a sum over circuits of amounts each rounded once per circuit, and the
as-of day moves every day, so no sum can be moved forward without visiting every circuit. What can
be kept exactly is the sum on one day: the daily rebuild (services.accruals_summarise) stores each
circuit's figures on that day (AccrualFigures) and their sums per group (AccrualTotal), and every
refresh of some circuits' runs that day takes their old figures out of the sums and puts the new
ones in (services), so the page reads a few total rows whatever the number of circuits. These are
the pure parts: which groups a circuit's figures count in, and what they add.
"""

from collections import defaultdict
from dataclasses import dataclass, fields
from decimal import Decimal

from .choices import BillingCategoryChoices as Category

# grouping → (the figures' key field, the figures' label field)
GROUPS = {
    "categories": ("category", "category"),
    "providers": ("service_provider_id", "service_provider__name"),
    "teams": ("team_id", "team__name"),
    "subscriptions": ("subscription_id", "subscription_display_name"),
}


@dataclass
class Tally:
    circuits: int = 0
    fee_known: int = 0
    accrued_known: int = 0
    accrued: Decimal = Decimal(0)
    monthly_burn: Decimal = Decimal(0)
    waste: Decimal = Decimal(0)
    wasted_monthly_burn: Decimal = Decimal(0)

    def add(self, other: "Tally", sign: int) -> None:
        for name in (field.name for field in fields(self)):
            setattr(self, name, getattr(self, name) + sign * getattr(other, name))

    def is_zero(self) -> bool:
        return not any(getattr(self, field.name) for field in fields(self))


def tally_of(figures) -> Tally | None:
    """What one circuit's figures add to each of its groups: nothing unless it is billed."""
    category = figures["category"]
    if category not in Category.BILLED:
        return None
    fee, accrued, wasting = figures["monthly_fee"], figures["accrued"], category in Category.WASTING
    return Tally(
        circuits=1,
        fee_known=int(fee is not None),
        accrued_known=int(accrued is not None),
        accrued=accrued or Decimal(0),
        monthly_burn=fee or Decimal(0),
        waste=(figures["waste"] or Decimal(0)) if wasting else Decimal(0),
        wasted_monthly_burn=(fee or Decimal(0)) if wasting else Decimal(0),
    )


class GroupChanges:
    """{(grouping, key): (label, change)}: what taking figures out of the totals (sign -1) and
    putting figures in (sign 1) changes; a label is "" where only old figures (which keep none)
    name the group."""

    def __init__(self):
        self._changes = defaultdict(lambda: ["", Tally()])

    def add(self, rows, sign: int) -> "GroupChanges":
        for figures in rows:
            tally = tally_of(figures)
            if tally is None:
                continue
            for grouping, (key_field, label_field) in GROUPS.items():
                change = self._changes[(grouping, str(figures[key_field]))]
                change[0] = str(figures.get(label_field) or change[0])
                change[1].add(tally, sign)
        return self

    def nonzero(self) -> dict[tuple[str, str], tuple[str, Tally]]:
        return {key: (label, tally) for key, (label, tally) in sorted(self._changes.items()) if not tally.is_zero()}


def month_changes(old, new) -> dict[tuple, Decimal]:
    """{(window index, category): change} between two accruals.accrued_by_window() answers."""
    changes = defaultdict(Decimal)
    for sign, rows in ((-1, old), (1, new)):
        for index, category, amount in rows:
            changes[(index, category)] += sign * amount
    return {key: amount for key, amount in sorted(changes.items()) if amount}
