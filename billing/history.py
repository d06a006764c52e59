"""Which billing category a circuit was in on each day, from its history, and what those days cost.

A circuit's days fall into a few periods, each a [from, until) range of day positions
(billing/proration.py):

- provisioned: from the provider's last move to Provisioned until its next provider-state change
  (audit events; a circuit Provisioned now with no such event counts from `state_changed_at`);
- working (in use), inside it: from the first BGP session established or VNet link connected after
  that, until one stopped (a circuit in use today is still working);
- orphaned: from the day the orphaned figures start, for a circuit orphaned today;
- idle from `created_at` + the idle threshold; waiting before.

Read in the tables' order (orphaned, in use, provisioned, idle, waiting), the periods give each day
one category, and the last day the category the tables show. A day belongs to the category the
circuit was in at its end, as the tables count the as-of day. What history cannot tell is not
guessed: a circuit with no recorded provisioning is idle or waiting until it was orphaned, and a
circuit not working today was in use only between recorded events.

The moments come from the database in one query (each subquery once per circuit); the periods and
the per-day money are integer arithmetic here, with the SQL's proration and rounding (once per
circuit, month and category), because a correlated expression per period and month made
PostgreSQL re-evaluate the history subqueries for every price row. The page reads the runs these
periods are stored as (billing/accruals.py); this direct computation stays as their reference.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DateTimeField, F, OuterRef, Q, Subquery
from django.utils import timezone

from audit.models import AuditEvent
from circuits.choices import ConnectionStatusChoices
from circuits.choices import ServiceProviderProvisioningStateChoices as ProviderState
from peerings.choices import BgpStateChoices

from .choices import BillingCategoryChoices as Category
from .models import PortPrice
from .proration import FAR, UNITS_PER_MONTH, day_start

PROVIDER_STATE_FIELD = "service_provider_provisioning_state"
WORKING_FIELDS = ("state", "connection_status")  # a BGP session's state, a VNet link's status
WORKING_VALUES = (BgpStateChoices.ESTABLISHED, ConnectionStatusChoices.CONNECTED)
CENT = Decimal("0.01")


def _event_time(events, *, latest: bool):
    ordered = events.order_by("-created_at" if latest else "created_at").values("created_at")[:1]
    return Subquery(ordered, output_field=DateTimeField())


def _circuit_events(**filters):
    return AuditEvent.objects.filter(circuit=OuterRef("pk"), **filters).order_by()


def with_history(circuits, *, orphaned: Q, in_use: Q):
    """`circuits` as dicts with what the periods need. `orphaned` and `in_use` are the tables'
    conditions for today's category; `circuits` has the start/end/orphaned/idle position aliases."""
    provider_events = _circuit_events(field=PROVIDER_STATE_FIELD)
    working_events = _circuit_events(field__in=WORKING_FIELDS, to_value__in=WORKING_VALUES)
    return (
        circuits.annotate(
            provisioned_at=_event_time(provider_events.filter(to_value=ProviderState.PROVISIONED), latest=True),
        )
        .annotate(
            provisioned_until_at=_event_time(
                provider_events.filter(created_at__gt=OuterRef("provisioned_at")), latest=False
            ),
            working_at=_event_time(working_events.filter(created_at__gte=OuterRef("provisioned_at")), latest=False),
            stopped_at=_event_time(
                _circuit_events(field__in=WORKING_FIELDS, from_value__in=WORKING_VALUES), latest=True
            ),
            is_orphaned=Q(orphaned),
            is_in_use=Q(in_use),
            is_provisioned=Q(service_provider_provisioning_state=ProviderState.PROVISIONED),
            billed_from=F("start_units"),
            billed_until=F("end_units"),
            orphaned_from=F("orphaned_units"),
            idle_from=F("idle_units"),
        )
        .values(
            "pk",
            "version",
            "deleted_at",
            "express_route_direct",
            "sku_tier",
            "sku_family",
            "bandwidth_mbps",
            "peering_location__zone",
            "state_changed_at",
            "provisioned_at",
            "provisioned_until_at",
            "working_at",
            "stopped_at",
            "is_orphaned",
            "is_in_use",
            "is_provisioned",
            "billed_from",
            "billed_until",
            "orphaned_from",
            "idle_from",
        )
        .order_by()
    )


def price_key(row) -> tuple:
    """A with_history() row's key into price_periods()."""
    return (
        row["express_route_direct"],
        row["sku_tier"],
        row["sku_family"],
        row["bandwidth_mbps"],
        row["peering_location__zone"],
    )


def _position(moment, default=FAR):
    return default if moment is None else day_start(timezone.localdate(moment))


def category_periods(row) -> dict[str, list[tuple[int, int]]]:
    """{category: [(from, until), ...]}: disjoint ranges that together cover every day from creation."""
    provisioned_from = _position(
        row["provisioned_at"], _position(row["state_changed_at"]) if row["is_provisioned"] else FAR
    )
    provisioned_until = _position(row["provisioned_until_at"])
    orphaned_from = row["orphaned_from"] if row["is_orphaned"] else FAR
    idle_from = row["idle_from"]
    working_from = _position(row["working_at"], provisioned_from if row["is_in_use"] else FAR)
    working_until = FAR if row["is_in_use"] else max(_position(row["stopped_at"], working_from), working_from)

    provisioned_end = min(provisioned_until, orphaned_from)
    in_use_from = max(provisioned_from, working_from)
    in_use_until = max(min(working_until, provisioned_end), in_use_from)
    not_provisioned_until = min(provisioned_from, orphaned_from)
    return {
        Category.ORPHANED: [(orphaned_from, FAR)],
        Category.IN_USE: [(in_use_from, in_use_until)],
        Category.UNUSED: [
            (provisioned_from, min(in_use_from, provisioned_end)),
            (max(in_use_until, provisioned_from), provisioned_end),
        ],
        Category.IDLE: [(idle_from, not_provisioned_until), (max(idle_from, provisioned_until), orphaned_from)],
        Category.WAITING: [
            (-FAR, min(idle_from, not_provisioned_until)),
            (provisioned_until, min(idle_from, orphaned_from)),
        ],
    }


@dataclass(frozen=True)
class PricePeriod:
    start: int
    end: int
    monthly_fee: Decimal


def price_periods(currency) -> dict[tuple, list[PricePeriod]]:
    """Each price key's fees as position ranges: a price applies from its date until the next one's,
    and the first of a key also covers the days before it was captured (as billing/selectors.py,
    whose key includes Direct or not: ExpressRoute Direct prices never apply to provider circuits)."""
    by_key = defaultdict(list)
    for price in PortPrice.objects.filter(currency=currency).order_by("valid_from"):
        by_key[(price.express_route_direct, price.sku_tier, price.sku_family, price.bandwidth_mbps, price.zone)].append(
            price
        )
    periods = {}
    for key, prices in by_key.items():
        starts = [-FAR, *(day_start(price.valid_from) for price in prices[1:])]
        ends = [*starts[1:], FAR]
        periods[key] = [
            PricePeriod(start, end, price.monthly_fee) for start, end, price in zip(starts, ends, prices, strict=True)
        ]
    return periods


def _fee_units(prices: list[PricePeriod], start: int, end: int) -> Decimal:
    """fee × units over one range, each price over its own part of it."""
    return sum(
        (price.monthly_fee * max(min(price.end, end) - max(price.start, start), 0) for price in prices),
        start=Decimal(0),
    )


def accrued_by_category(circuits, prices, windows) -> dict[str, list[Decimal]]:
    """{category: [amount per window]} over `circuits` (with_history rows), each window a
    (start, end) range of positions. Each circuit's amount per window and category is divided and
    rounded once, as the tables do; circuits without a price add nothing (they are counted apart)."""
    totals = defaultdict(lambda: [Decimal(0)] * len(windows))
    for row in circuits:
        key = price_key(row)
        if key not in prices:
            continue
        for category, ranges in category_periods(row).items():
            fee_units = defaultdict(Decimal)
            for since, until in ranges:
                since, until = max(since, row["billed_from"]), min(until, row["billed_until"])
                for index, (window_start, window_end) in enumerate(windows):
                    start, end = max(since, window_start), min(until, window_end)
                    if start < end:
                        fee_units[index] += _fee_units(prices[key], start, end)
            for index, amount in fee_units.items():
                totals[category][index] += (amount / UNITS_PER_MONTH).quantize(CENT, rounding=ROUND_HALF_UP)
    return totals
