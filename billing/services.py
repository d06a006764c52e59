"""Writes for billing: refreshing the price table from the Azure Retail Prices API, the
subscriptions' display names, and the stored accrual runs (billing/accruals.py)."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from itertools import batched

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from circuits.choices import SkuFamilyChoices, SkuTierChoices, ZoneChoices
from circuits.models import Circuit
from core.errors import DomainError

from .accruals import accrued_by_window, circuit_runs
from .history import price_periods
from .models import (
    AccrualFigures,
    AccrualMonthTotal,
    AccrualPending,
    AccrualRun,
    AccrualState,
    AccrualSummary,
    AccrualTotal,
    PortPrice,
    SubscriptionName,
)
from .selectors import (
    accruals_summary_is_of,
    billing_figures,
    circuit_history_rows,
    idle_after_days,
    month_windows,
    pending_accrual_circuit_ids,
    report_currency,
    stale_accrual_circuit_ids,
)
from .totals import GroupChanges, month_changes

REFRESH_CHUNK = 2000

# "Standard Metered Data 1 Gbps Circuit", "Premium Unlimited Data 50 Mbps Circuit", "Local 10 Gbps Circuit"
PORT_METER = re.compile(
    r"^(?P<tier>[A-Za-z]+)\s+(?:(?P<family>Metered|Unlimited)\s+Data\s+)?(?P<amount>\d+)\s*(?P<unit>Mbps|Gbps)\s+Circuit$"
)
FAMILIES = {"Metered": SkuFamilyChoices.METERED_DATA, "Unlimited": SkuFamilyChoices.UNLIMITED_DATA}
MONTHLY = "1/Month"
CURRENCY_CODE = re.compile(r"[A-Z]{3}")  # ISO 4217
_fee_field = PortPrice._meta.get_field("monthly_fee")
MAX_FEE = Decimal(10) ** (_fee_field.max_digits - _fee_field.decimal_places)  # what the column holds


@dataclass
class PriceImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)


def _port_price_key(item: dict) -> dict:
    """The price table key of a Retail Prices API item, or DomainError saying why it is not a port fee."""
    meter = str(item.get("meterName", "")).strip()
    if item.get("serviceName") != "ExpressRoute":
        raise DomainError(f"not an ExpressRoute meter ({item.get('serviceName')!r})")
    match = PORT_METER.match(meter)
    if not match or item.get("unitOfMeasure") != MONTHLY:
        raise DomainError(f"unknown meter {meter!r} ({item.get('unitOfMeasure')}): not a monthly circuit port fee")
    tier = match["tier"]
    if tier not in SkuTierChoices.values():
        raise DomainError(f"unknown SKU tier {tier!r} in meter {meter!r}")
    if tier == SkuTierChoices.LOCAL:
        family = SkuFamilyChoices.UNLIMITED_DATA
        if match["family"] == "Metered":
            raise DomainError(f"meter {meter!r}: a Local circuit is always UnlimitedData")
    elif match["family"]:
        family = FAMILIES[match["family"]]
    else:
        raise DomainError(f"meter {meter!r} names no data plan (Metered or Unlimited)")
    zone = item.get("armRegionName")
    if zone not in ZoneChoices.values():
        raise DomainError(f"meter {meter!r}: {zone!r} is not a billing zone (Zone 1 to Zone 4)")
    bandwidth = int(match["amount"]) * (1000 if match["unit"] == "Gbps" else 1)
    return {"sku_tier": tier, "sku_family": family, "bandwidth_mbps": bandwidth, "zone": zone}


def _fee_currency_date(item: dict) -> tuple[Decimal, str, date]:
    try:
        fee = Decimal(str(item["retailPrice"])).quantize(Decimal("0.01"))
        valid_from = datetime.fromisoformat(str(item["effectiveStartDate"]).replace("Z", "+00:00")).date()
    except (KeyError, InvalidOperation, ValueError) as error:
        meter = item.get("meterName")
        raise DomainError(f"meter {meter!r}: missing or invalid retailPrice or effectiveStartDate") from error
    meter = item.get("meterName")
    if not fee.is_finite() or fee < 0:
        raise DomainError(f"meter {meter!r}: price {fee} is not a positive amount")
    if fee >= MAX_FEE:
        raise DomainError(f"meter {meter!r}: price {fee} is larger than any monthly port fee ({MAX_FEE})")
    currency = str(item.get("currencyCode") or "USD")
    if not CURRENCY_CODE.fullmatch(currency):
        raise DomainError(f"meter {meter!r}: {currency!r:.20} is not a currency code such as USD")
    return fee, currency, valid_from


@transaction.atomic
def prices_import(*, items: list, source: str) -> PriceImportResult:
    """Add or update port prices from Retail Prices API items (a page's "Items"). Items that are
    not a recognisable monthly port fee are reported in `skipped`, never guessed."""
    result = PriceImportResult()
    source = source[: PortPrice._meta.get_field("source").max_length]  # a long file name is still a source
    for item in items:
        if not isinstance(item, dict):
            result.skipped.append(f"not a price item: {item!r:.80}")
            continue
        try:
            key = _port_price_key(item)
            fee, currency, valid_from = _fee_currency_date(item)
        except DomainError as error:
            result.skipped.append(error.message)
            continue
        price, created = PortPrice.objects.get_or_create(
            **key, currency=currency, valid_from=valid_from, defaults={"monthly_fee": fee, "source": source}
        )
        if created:
            result.created += 1
        elif price.monthly_fee != fee:
            price.monthly_fee, price.source = fee, source
            price.save(update_fields=["monthly_fee", "source"])
            result.updated += 1
        else:
            result.unchanged += 1
    accruals_refresh_stale()  # the receivers marked the circuits of every changed key stale
    return result


@transaction.atomic
def subscription_names_record(*, names: dict) -> int:
    """Record subscriptions' display names ({subscription id: name}); blank names are skipped, so a
    name is never replaced by nothing. Returns how many were recorded."""
    rows = [
        SubscriptionName(subscription_id=subscription_id, display_name=name.strip()[:200])
        for subscription_id, name in names.items()
        if name and name.strip()
    ]
    SubscriptionName.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["subscription_id"], update_fields=["display_name", "updated_at"]
    )
    for row in rows:  # the stored totals are listed by name
        AccrualTotal.objects.filter(grouping="subscriptions", key=str(row.subscription_id)).update(
            label=row.display_name
        )
    return len(rows)


def _summary_day():
    """Lock the summary row (every writer of the stored totals does, after any circuits it locks)
    and say the day whose figures are stored, or None when they are not today's with today's
    settings (then nothing is kept up to date: the next page or the nightly task rebuilds them)."""
    # The migration creates the row; a database emptied since (a test's flush) gets it back here.
    summary = AccrualSummary.objects.select_for_update().get_or_create(pk=1)[0]
    today = timezone.localdate()
    current = (summary.day, summary.idle_days, summary.currency) == (today, idle_after_days(), report_currency())
    return summary, (today if current else None)


def _stored_figures(rows) -> list[AccrualFigures]:
    return [
        AccrualFigures(
            circuit_id=row["pk"],
            category=row["category"],
            accrued=row["accrued"],
            monthly_fee=row["monthly_fee"],
            waste=row["waste"],
            waste_from=row["waste_from"],
            service_provider_id=row["service_provider_id"],
            team_id=row["team_id"],
            subscription_id=row["subscription_id"],
        )
        for row in rows
    ]


def _add_to_totals(model, conflict: tuple[str, ...], rows: list[dict]) -> None:
    """Add each row's numbers to the stored row of its key (inserting it where there is none), in
    one statement, in key order so that two writers never wait on each other crosswise."""
    if not rows:
        return
    table, columns = model._meta.db_table, list(rows[0])
    added = [column for column in columns if column not in (*conflict, "label")]
    updates = [f"{column} = t.{column} + EXCLUDED.{column}" for column in added]
    if "label" in columns:  # old figures keep no label: "" leaves the stored one
        updates.append("label = CASE WHEN EXCLUDED.label = '' THEN t.label ELSE EXCLUDED.label END")
    values = ", ".join([f"({', '.join(['%s'] * len(columns))})"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} AS t ({', '.join(columns)}) VALUES {values} "
            f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {', '.join(updates)}",
            [row[column] for row in rows for column in columns],
        )


def _group_rows(changes) -> list[dict]:
    return [
        {"grouping": grouping, "key": key, "label": label, **vars(tally)}
        for (grouping, key), (label, tally) in changes.items()
    ]


def _month_rows(changes, months) -> list[dict]:
    return [
        {"month": months[index], "category": category, "accrued": amount}
        for (index, category), amount in changes.items()
    ]


def _months_of(day, circuit_ids=None):
    months, windows = month_windows(day)
    with connection.cursor() as cursor:
        return months, accrued_by_window(cursor, windows, circuit_ids=circuit_ids)


def _totals_follow(circuit_ids, *, day, old_months, gone=False) -> None:
    """Replace these circuits' stored figures with their figures from their new runs (none when they
    are `gone`), and move the totals by the difference (old_months: their chart amounts from the
    runs they had)."""
    old = list(
        AccrualFigures.objects.filter(circuit_id__in=circuit_ids).values(
            "category", "accrued", "monthly_fee", "waste", "service_provider_id", "team_id", "subscription_id"
        )
    )
    new = [] if gone else list(billing_figures(as_of=day, circuit_ids=circuit_ids))
    AccrualFigures.objects.filter(circuit_id__in=circuit_ids).delete()
    AccrualFigures.objects.bulk_create(_stored_figures(new))
    changes = GroupChanges().add(old, -1).add(new, 1).nonzero()
    _add_to_totals(AccrualTotal, ("grouping", "key"), _group_rows(changes))
    AccrualTotal.objects.filter(circuits=0, key__in={key for _, key in changes}).delete()
    months, new_months = (month_windows(day)[0], []) if gone else _months_of(day, circuit_ids)
    _add_to_totals(AccrualMonthTotal, ("month", "category"), _month_rows(month_changes(old_months, new_months), months))


def _refresh_chunk(circuit_ids, *, today, prices, summary_day) -> int:
    rows = list(circuit_history_rows(as_of=today, circuit_ids=circuit_ids))
    old_months = _months_of(summary_day, circuit_ids)[1] if summary_day else None
    AccrualRun.objects.filter(circuit_id__in=circuit_ids).delete()
    AccrualRun.objects.bulk_create(run for row in rows for run in circuit_runs(row, prices))
    AccrualState.objects.bulk_create(
        [
            AccrualState(
                circuit_id=row["pk"],
                version=row["version"],
                idle_days=settings.BILLING_IDLE_AFTER_DAYS,
                currency=settings.BILLING_CURRENCY,
            )
            for row in rows
        ],
        update_conflicts=True,
        unique_fields=["circuit"],
        update_fields=["version", "idle_days", "currency", "computed_at"],
    )
    if summary_day:
        _totals_follow(circuit_ids, day=summary_day, old_months=old_months)
    return len(rows)


@transaction.atomic
def accruals_refresh(*, circuit_ids) -> int:
    """Recompute the stored runs of these circuits from their history and the price table, and
    with them their stored figures and the totals, when those are today's. The circuits are locked
    (no key: audit events may still point at them) so two refreshes of one circuit never
    interleave their delete and insert. Returns how many circuits got runs."""
    today = timezone.localdate()
    locked = Circuit.objects.filter(pk__in=circuit_ids).order_by("pk").select_for_update(no_key=True)
    ids = list(locked.values_list("pk", flat=True))
    summary_day = _summary_day()[1]
    prices = price_periods(report_currency())
    AccrualPending.objects.filter(circuit_id__in=ids).delete()
    return sum(
        _refresh_chunk(chunk, today=today, prices=prices, summary_day=summary_day)
        for chunk in batched(ids, REFRESH_CHUNK)
    )


def accruals_refresh_stale(*, circuit_ids=None) -> int:
    """Refresh the circuits whose runs are stale (of `circuit_ids` only, when given): what the
    outbox task and the nightly task call. One query when nothing is stale."""
    stale = stale_accrual_circuit_ids(circuit_ids=circuit_ids)
    return accruals_refresh(circuit_ids=stale) if stale else 0


@transaction.atomic
def accruals_complete() -> int:
    """The daily work: refresh every stale circuit (whatever wrote it without an audited change),
    then, unless today's figures are stored already (a page or an earlier run stored them), store
    each circuit's figures as of today and their totals, replacing the day before's. Returns how
    many circuits' runs were refreshed."""
    refreshed = accruals_refresh_stale()
    summary, summary_day = _summary_day()
    if summary_day:
        return refreshed
    day = timezone.localdate()
    AccrualFigures.objects.all().delete()
    AccrualTotal.objects.all().delete()
    AccrualMonthTotal.objects.all().delete()
    changes = GroupChanges()
    for rows in batched(billing_figures(as_of=day).iterator(chunk_size=REFRESH_CHUNK), REFRESH_CHUNK):
        AccrualFigures.objects.bulk_create(_stored_figures(rows))
        changes.add(rows, 1)
    AccrualTotal.objects.bulk_create(AccrualTotal(**row) for row in _group_rows(changes.nonzero()))
    months, amounts = _months_of(day)
    AccrualMonthTotal.objects.bulk_create(
        AccrualMonthTotal(**row) for row in _month_rows(month_changes([], amounts), months)
    )
    summary.day, summary.idle_days, summary.currency = day, idle_after_days(), report_currency()
    summary.save()
    # Replaced wholesale: without fresh statistics the planner sorts every unpriced circuit by name
    # instead of walking the name index for the page's first rows.
    with connection.cursor() as cursor:
        for model in (AccrualFigures, AccrualTotal):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return refreshed


@transaction.atomic
def accruals_catch_up(*, as_of) -> bool:
    """What the billing page does before it reads: refresh the circuits a cost change left pending
    (usually none: the outbox task did), and for today make sure today's figures are stored.
    True when the stored figures are those of `as_of`."""
    pending = pending_accrual_circuit_ids()
    if pending:
        accruals_refresh(circuit_ids=pending)
    if as_of != timezone.localdate():
        return False
    if not accruals_summary_is_of(as_of):
        accruals_complete()
    return True


@transaction.atomic
def accruals_forget(*, circuit_ids) -> None:
    """Take circuits about to be removed from the database (not the soft deletion: only circuits
    no audit event protects) out of today's totals; their figures and runs go with them."""
    list(Circuit.objects.filter(pk__in=circuit_ids).order_by("pk").select_for_update().values_list("pk"))
    summary_day = _summary_day()[1]
    if summary_day:
        _, old_months = _months_of(summary_day, circuit_ids)
        _totals_follow(circuit_ids, day=summary_day, old_months=old_months, gone=True)


def accruals_invalidate_prices(*, price: PortPrice) -> None:
    """Mark stale the runs of every circuit a price row applies to, in the caller's transaction."""
    circuits = Circuit.objects.filter(
        express_route_direct=price.express_route_direct,
        sku_tier=price.sku_tier,
        sku_family=price.sku_family,
        bandwidth_mbps=price.bandwidth_mbps,
        peering_location__zone=price.zone,
    )
    AccrualState.objects.filter(circuit__in=circuits).delete()
    accruals_mark_pending(circuit_ids=circuits.values_list("pk", flat=True))


def accruals_mark_pending(*, circuit_ids) -> None:
    """Say these circuits' runs need a refresh, in the caller's transaction (the page catches up)."""
    AccrualPending.objects.bulk_create(
        [AccrualPending(circuit_id=circuit_id) for circuit_id in circuit_ids], ignore_conflicts=True
    )
