"""Writes for billing: refreshing the price table from the Azure Retail Prices API, the
subscriptions' display names, and the stored accrual runs (billing/accruals.py)."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from itertools import batched

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from circuits.choices import SkuFamilyChoices, SkuTierChoices, ZoneChoices
from circuits.models import Circuit
from core.errors import DomainError

from .accruals import circuit_runs
from .history import price_periods
from .models import AccrualRun, AccrualState, PortPrice, SubscriptionName
from .selectors import circuit_history_rows, report_currency, stale_accrual_circuit_ids

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
    return len(rows)


def _refresh_chunk(circuit_ids, *, today, prices) -> int:
    rows = list(circuit_history_rows(as_of=today, circuit_ids=circuit_ids))
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
    return len(rows)


@transaction.atomic
def accruals_refresh(*, circuit_ids) -> int:
    """Recompute the stored runs of these circuits from their history and the price table. The
    circuits are locked (no key: audit events may still point at them) so two refreshes of one
    circuit never interleave their delete and insert. Returns how many circuits got runs."""
    today = timezone.localdate()
    locked = Circuit.objects.filter(pk__in=circuit_ids).order_by("pk").select_for_update(no_key=True)
    ids = list(locked.values_list("pk", flat=True))
    prices = price_periods(report_currency())
    return sum(_refresh_chunk(chunk, today=today, prices=prices) for chunk in batched(ids, REFRESH_CHUNK))


def accruals_refresh_stale(*, circuit_ids=None) -> int:
    """Refresh the circuits whose runs are stale (of `circuit_ids` only, when given): what the
    receivers and the nightly task call, and the billing page before it sums the runs. One query
    when nothing is stale; the refresh itself is atomic."""
    stale = stale_accrual_circuit_ids(circuit_ids=circuit_ids)
    return accruals_refresh(circuit_ids=stale) if stale else 0


def accruals_invalidate_prices(*, price: PortPrice) -> None:
    """Mark stale the runs of every circuit a price row applies to, in the caller's transaction."""
    AccrualState.objects.filter(
        circuit__express_route_direct=price.express_route_direct,
        circuit__sku_tier=price.sku_tier,
        circuit__sku_family=price.sku_family,
        circuit__bandwidth_mbps=price.bandwidth_mbps,
        circuit__peering_location__zone=price.zone,
    ).delete()
