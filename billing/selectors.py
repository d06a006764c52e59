"""Billing exposure, computed by the database.

Each circuit row is annotated (correlated subqueries over the price table, Case/When for the
category) and the page's tables are GROUP BY aggregations of those annotations, so a page costs
the same number of queries for 5 circuits or 5,000 and no Python loop touches a circuit's money.
Day basis and rounding: see billing/proration.py.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least
from django.utils import timezone

from circuits.choices import CircuitProvisioningStateChoices, ConnectionStatusChoices
from circuits.choices import ServiceProviderProvisioningStateChoices as ProviderState
from circuits.models import Circuit, VNetLink
from peerings.choices import BgpStateChoices, PeeringStateChoices
from peerings.models import BgpSession

from .accruals import accrued_by_window, accrued_from_runs, fresh_state
from .choices import BillingCategoryChoices as Category
from .history import accrued_by_category, price_periods, with_history
from .models import (
    AccrualMonthTotal,
    AccrualPending,
    AccrualSummary,
    AccrualTotal,
    PortPrice,
    SubscriptionName,
)
from .proration import FAR, cents, day_end, day_end_sql, day_start, day_start_sql, money_sql

MONEY = DecimalField(max_digits=14, decimal_places=2)
CHART_MONTHS = 12


def idle_after_days() -> int:
    return settings.BILLING_IDLE_AFTER_DAYS


def report_currency() -> str:
    """Prices in other currencies are not mixed in: a circuit priced only in those is price unknown."""
    return settings.BILLING_CURRENCY


def _prices_of(*, zone, currency):
    """Price rows of the outer row's SKU, bandwidth and kind (provider or Direct) in the given zone and currency."""
    return PortPrice.objects.filter(
        express_route_direct=OuterRef("express_route_direct"),
        sku_tier=OuterRef("sku_tier"),
        sku_family=OuterRef("sku_family"),
        bandwidth_mbps=OuterRef("bandwidth_mbps"),
        zone=zone,
        currency=currency,
    )


def _prices_of_outer_circuit():
    return _prices_of(zone=OuterRef("peering_location__zone"), currency=report_currency())


def _prices_of_outer_price_key():
    return _prices_of(zone=OuterRef("zone"), currency=OuterRef("currency"))


def _accrued(start, end):
    """Money the outer circuit accrues between two positions, each price applying from its date
    until the next one's (the first price of a key also covers the days before it was captured)."""
    later = _prices_of_outer_price_key().filter(valid_from__gt=OuterRef("valid_from")).order_by("valid_from")
    earlier = _prices_of_outer_price_key().filter(valid_from__lt=OuterRef("valid_from"))
    periods = _prices_of_outer_circuit().annotate(
        period_start=Case(When(Exists(earlier), then=day_start_sql("valid_from")), default=Value(-FAR)),
        period_end=Coalesce(Subquery(later.annotate(position=day_start_sql("valid_from")).values("position")[:1]), FAR),
        units=Greatest(Least(F("period_end"), end) - Greatest(F("period_start"), start), Value(0)),
    )
    total = periods.values("sku_tier").annotate(total=money_sql(Sum(F("monthly_fee") * F("units")))).values("total")
    return Subquery(total, output_field=MONEY)


def _monthly_fee(as_of: date):
    prices = _prices_of_outer_circuit()
    current = prices.filter(valid_from__lte=as_of).order_by("-valid_from").values("monthly_fee")[:1]
    first = prices.order_by("valid_from").values("monthly_fee")[:1]
    return Coalesce(Subquery(current), Subquery(first), output_field=MONEY)


def _category_conditions(as_of: date, idle_days: int):
    """(category, condition) in the order they are tried; a circuit matching none is waiting."""
    provisioned = Q(service_provider_provisioning_state=ProviderState.PROVISIONED)
    enabled = Q(circuit_provisioning_state=CircuitProvisioningStateChoices.ENABLED)
    working = Q(
        Exists(
            BgpSession.objects.filter(
                peering__circuit=OuterRef("pk"),
                peering__state=PeeringStateChoices.ENABLED,
                state=BgpStateChoices.ESTABLISHED,
            )
        )
    ) | Q(Exists(VNetLink.objects.filter(circuit=OuterRef("pk"), connection_status=ConnectionStatusChoices.CONNECTED)))
    return (
        (Category.DELETED, Q(deleted_at__date__lte=as_of)),
        (
            Category.ORPHANED,
            Q(deprovisioned_at__date__lte=as_of)
            | Q(service_provider_provisioning_state__in=(ProviderState.DEPROVISIONING, ProviderState.DEPROVISIONED)),
        ),
        (Category.IN_USE, provisioned & enabled & working),
        (Category.UNUSED, provisioned),
        (Category.IDLE, Q(created_at__date__lte=as_of - timedelta(days=idle_days))),
    )


def _per_category(conditions, values, *, output_field):
    """A Case giving each category's value (None where not given); written on the raw fields, not
    on the category annotation, because nesting that annotation overflows SQLite's parser."""
    return Case(
        *(When(condition, then=values.get(category)) for category, condition in conditions),
        default=values.get(Category.WAITING),
        output_field=output_field,
    )


ORPHANED_SINCE = Coalesce("deprovisioned_at", "deprovision_requested_at", "state_changed_at")


def _idle_since(idle_days):
    return ExpressionWrapper(F("created_at") + timedelta(days=idle_days), output_field=DateTimeField())


def _billed_days(*, as_of: date, idle_days: int):
    """Circuits that existed on `as_of`, with the positions of their billed days: from creation to
    the deletion day or `as_of`, and where idle and orphaned waste would start."""
    return Circuit.objects.filter(created_at__date__lte=as_of).alias(
        start_units=day_start_sql("created_at"),
        end_units=Case(When(deleted_at__date__lte=as_of, then=day_end_sql("deleted_at")), default=day_end(as_of)),
        orphaned_units=day_start_sql(ORPHANED_SINCE),
        idle_units=day_start_sql(_idle_since(idle_days)),
    )


def billing_circuits(*, as_of: date, idle_days: int | None = None, materialised: bool = False):
    """Circuits that existed on `as_of`, annotated with category, accrued, monthly_fee (null: price
    unknown), waste_from and waste (idle and orphaned only). `materialised` sums the circuits' stored
    runs (billing/accruals.py; fresh ones: services.accruals_refresh_stale) instead of prorating the
    price table per circuit, which stays the reference."""
    idle_days = idle_after_days() if idle_days is None else idle_days
    conditions = _category_conditions(as_of, idle_days)
    end = OuterRef("end_units")
    if materialised:

        def accrued(start):
            return accrued_from_runs(start, end, output_field=MONEY)

    else:

        def accrued(start):
            return _accrued(start, end)

    return (
        _billed_days(as_of=as_of, idle_days=idle_days)
        .annotate(
            category=_per_category(
                conditions, {category: Value(category) for category in Category.values()}, output_field=CharField()
            ),
            waste_from=_per_category(
                conditions,
                {Category.ORPHANED: ORPHANED_SINCE, Category.IDLE: _idle_since(idle_days)},
                output_field=DateTimeField(),
            ),
            monthly_fee=_monthly_fee(as_of),
        )
        .annotate(
            accrued=accrued(OuterRef("start_units")),
            waste=_per_category(
                conditions,
                {
                    Category.ORPHANED: accrued(OuterRef("orphaned_units")),
                    Category.IDLE: accrued(OuterRef("idle_units")),
                },
                output_field=MONEY,
            ),
        )
    )


def _summary(circuits, *group):
    wasting = Q(category__in=Category.WASTING)
    return (
        circuits.filter(category__in=Category.BILLED)
        .values(*group)
        .annotate(
            circuits=Count("pk"),
            price_unknown=Count("pk", filter=Q(monthly_fee__isnull=True)),
            accrued=Sum("accrued", output_field=MONEY),
            monthly_burn=Sum("monthly_fee", output_field=MONEY),
            # Zero, not unknown, where nothing is wasting; the price_unknown count flags the rest.
            waste=Coalesce(Sum("waste", filter=wasting), 0, output_field=MONEY),
            wasted_monthly_burn=Coalesce(Sum("monthly_fee", filter=wasting), 0, output_field=MONEY),
            saving_per_year=Coalesce(Sum(F("monthly_fee") * 12, filter=wasting), 0, output_field=MONEY),
        )
        .order_by(*group)
    )


def summary_by_category(*, as_of, idle_days=None, materialised=False):
    rows = list(_summary(billing_circuits(as_of=as_of, idle_days=idle_days, materialised=materialised), "category"))
    rows.sort(key=lambda row: Category.values().index(row["category"]))
    return rows


def summary_by(*keys: str, as_of, idle_days=None, materialised=False):
    """Totals grouped by circuit field paths (service_provider__name, team__name, subscription_id, …),
    or by subscription_display_name: the subscription's name where one is known, else its id."""
    circuits = _with_subscription_display_name(
        billing_circuits(as_of=as_of, idle_days=idle_days, materialised=materialised)
    )
    return list(_summary(circuits, *keys))


def _with_subscription_display_name(circuits):
    return circuits.annotate(
        subscription_display_name=Coalesce(
            Subquery(
                SubscriptionName.objects.filter(subscription_id=OuterRef("subscription_id")).values("display_name")[:1]
            ),
            Cast("subscription_id", CharField()),
        )
    )


def _months_ending(as_of: date):
    first = date(as_of.year, as_of.month, 1)
    months = []
    for _ in range(CHART_MONTHS):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return months[::-1]


def month_windows(as_of: date):
    months = _months_ending(as_of)
    windows = [
        (day_start(first), day_end(min(first.replace(day=calendar.monthrange(first.year, first.month)[1]), as_of)))
        for first in months
    ]
    return months, windows


def _with_cost(totals):
    return {category: totals[category] for category in Category.values() if any(totals.get(category, ()))}


def monthly_accrued(*, as_of, idle_days=None, materialised=False):
    """Accrued cost of each of the last 12 months (up to as_of), each day in the category the
    circuit was in that day (billing/history.py), deleted circuits until their deletion day.
    Returns (months, {category: [amount, ...]}) with the categories that cost anything.

    `materialised` reads the stored runs, which hold today's view of each circuit's history with the
    configured idle threshold: another threshold, or a past as-of day (whose "orphaned today" may
    differ), is computed directly."""
    idle_days = idle_after_days() if idle_days is None else idle_days
    months, windows = month_windows(as_of)
    if materialised and idle_days == idle_after_days() and as_of >= timezone.localdate():
        totals = defaultdict(lambda: [Decimal(0)] * len(windows))
        with connection.cursor() as cursor:
            for index, category, amount in accrued_by_window(cursor, windows):
                totals[category][index] = cents(amount)
        return months, _with_cost(totals)
    conditions = dict(_category_conditions(as_of, idle_days))
    circuits = with_history(
        _billed_days(as_of=as_of, idle_days=idle_days),
        orphaned=conditions[Category.ORPHANED],
        in_use=conditions[Category.IN_USE],
    )
    totals = accrued_by_category(circuits.iterator(chunk_size=2000), price_periods(report_currency()), windows)
    return months, _with_cost(totals)


def circuit_history_rows(*, as_of: date, circuit_ids):
    """with_history() rows of the given circuits as of a day, for their stored runs."""
    idle_days = idle_after_days()
    conditions = dict(_category_conditions(as_of, idle_days))
    return with_history(
        _billed_days(as_of=as_of, idle_days=idle_days).filter(pk__in=circuit_ids),
        orphaned=conditions[Category.ORPHANED],
        in_use=conditions[Category.IN_USE],
    )


def stale_accrual_circuit_ids(*, circuit_ids=None) -> list[int]:
    """Circuits whose stored runs are missing or older than the circuit, its prices or the settings."""
    circuits = Circuit.objects.filter(~fresh_state())
    if circuit_ids is not None:
        circuits = circuits.filter(pk__in=circuit_ids)
    return list(circuits.order_by("pk").values_list("pk", flat=True))


def wasting_circuits(*, as_of, idle_days=None, materialised=False):
    """Idle and orphaned circuits, most money wasted first (price unknown last)."""
    return (
        billing_circuits(as_of=as_of, idle_days=idle_days, materialised=materialised)
        .filter(category__in=Category.WASTING)
        .select_related("service_provider", "team", "peering_location")
        .order_by(F("waste").desc(nulls_last=True), "waste_from", "name")
    )


def unpriced_circuits(*, as_of, idle_days=None, materialised=False):
    """Billed circuits whose SKU, bandwidth and zone have no price (in the report currency)."""
    return (
        billing_circuits(as_of=as_of, idle_days=idle_days, materialised=materialised)
        .filter(category__in=Category.BILLED, monthly_fee__isnull=True)
        .select_related("service_provider", "team", "peering_location")
        .order_by("name", "pk")
    )


# --- the stored figures and totals of one day (billing/totals.py) ------------------------------------


def billing_figures(*, as_of: date, circuit_ids=None):
    """Each circuit's figures as the page's tables show them (from its runs), with the groups they
    count in: what AccrualFigures stores and billing/totals.py sums."""
    circuits = _with_subscription_display_name(billing_circuits(as_of=as_of, materialised=True))
    if circuit_ids is not None:
        circuits = circuits.filter(pk__in=circuit_ids)
    return circuits.values(
        "pk",
        "category",
        "accrued",
        "monthly_fee",
        "waste",
        "waste_from",
        "service_provider_id",
        "service_provider__name",
        "team_id",
        "team__name",
        "subscription_id",
        "subscription_display_name",
    ).order_by("pk")


def pending_accrual_circuit_ids() -> list[int]:
    return list(AccrualPending.objects.order_by("circuit_id").values_list("circuit_id", flat=True))


def accruals_summary_is_of(as_of: date) -> bool:
    """The stored figures and totals are those of `as_of`, with today's settings."""
    return AccrualSummary.objects.filter(day=as_of, idle_days=idle_after_days(), currency=report_currency()).exists()


def _stored_summary(total: AccrualTotal) -> dict:
    """A stored total as a _summary() row: sums without a known amount are unknown, not zero."""
    return {
        "circuits": total.circuits,
        "price_unknown": total.circuits - total.fee_known,
        "accrued": total.accrued if total.accrued_known else None,
        "monthly_burn": total.monthly_burn if total.fee_known else None,
        "waste": total.waste,
        "wasted_monthly_burn": total.wasted_monthly_burn,
        "saving_per_year": total.wasted_monthly_burn * 12,
    }


def stored_summary_by_category() -> list[dict]:
    totals = AccrualTotal.objects.filter(grouping="categories")
    rows = [{"category": total.key, **_stored_summary(total)} for total in totals]
    rows.sort(key=lambda row: Category.values().index(row["category"]))
    return rows


def stored_summary_by(grouping: str, label_key: str, filter_key: str, *, limit: int | None = None) -> list[dict]:
    """The stored totals of providers, teams or subscriptions in the order of their names, as
    summary_by() rows keyed by its label and filter paths; the first `limit` only, when given."""
    totals = AccrualTotal.objects.filter(grouping=grouping).order_by("label", "key")
    if limit is not None:
        totals = totals[:limit]
    return [{label_key: total.label, filter_key: total.key, **_stored_summary(total)} for total in totals]


def stored_monthly_accrued(*, as_of: date):
    """monthly_accrued() from the stored month totals of `as_of` (the summary's day)."""
    months = month_windows(as_of)[0]
    totals = defaultdict(lambda: [Decimal(0)] * len(months))
    for total in AccrualMonthTotal.objects.all():
        totals[total.category][months.index(total.month)] = total.accrued
    return months, _with_cost(totals)


def _stored_circuits(*filters):
    return (
        Circuit.objects.filter(*filters)
        .annotate(
            category=F("accrual_figures__category"),
            waste=F("accrual_figures__waste"),
            waste_from=F("accrual_figures__waste_from"),
            monthly_fee=F("accrual_figures__monthly_fee"),
        )
        .select_related("service_provider", "team", "peering_location")
    )


def stored_wasting_circuits():
    """wasting_circuits() on the summary's day, from the stored figures (an index gives the top)."""
    return _stored_circuits(Q(accrual_figures__category__in=Category.WASTING)).order_by(
        F("accrual_figures__waste").desc(nulls_last=True), "accrual_figures__waste_from", "name"
    )


def stored_unpriced_circuits():
    return _stored_circuits(
        Q(accrual_figures__category__in=Category.BILLED, accrual_figures__monthly_fee__isnull=True)
    ).order_by("name", "pk")


def days_wasted(waste_from, as_of: date) -> int:
    """Billed days since waste started, both ends included (0 when it starts after as_of)."""
    return max((as_of - timezone.localdate(waste_from)).days + 1, 0)


@dataclass(frozen=True)
class CircuitBilling:
    as_of: date
    currency: str
    category: str
    accrued: Decimal | None
    monthly_fee: Decimal | None
    waste: Decimal | None
    days_wasted: int | None

    @property
    def category_label(self):
        return Category.label(self.category)

    @property
    def category_color(self):
        return Category.color(self.category)

    @property
    def price_known(self):
        return self.monthly_fee is not None

    @property
    def saving_per_year(self):
        return self.monthly_fee * 12 if self.waste is not None else None


def circuit_billing(circuit, *, as_of: date | None = None, team_member=None) -> CircuitBilling | None:
    """One circuit's billing figures as of a date (today by default), in one query. None if it did
    not exist yet, or if `team_member` is given and is not in the circuit's team."""
    as_of = as_of or timezone.localdate()
    circuits = billing_circuits(as_of=as_of).filter(pk=circuit.pk)
    if team_member is not None:
        circuits = circuits.filter(team__members=team_member)
    row = circuits.values("category", "accrued", "monthly_fee", "waste", "waste_from").first()
    if row is None:
        return None
    return CircuitBilling(
        as_of=as_of,
        currency=report_currency(),
        category=row["category"],
        accrued=cents(row["accrued"]),
        monthly_fee=cents(row["monthly_fee"]),
        waste=cents(row["waste"]),
        days_wasted=days_wasted(row["waste_from"], as_of) if row["waste_from"] else None,
    )
