"""The circuit list's rows, each rendered once and then taken from the cache (ARCHITECTURE.md, "Live pages").

A row is cached under a key made of everything it shows: the circuit's `version` (bumped by every
write to the circuit or anything its checklist reads) and what that does not cover: the catalog
names it prints (renaming a provider, location or team bumps no version), the provider's layer (the
checklist's wording), insights' forecast (refreshed without a bump), the display time zone, the
templates and code the row is drawn by, and a minute's time bucket, because a row says
how long ago things happened ("3 days", "for 2 hours"): a cached row's relative times are at most
ROW_TIME_BUCKET_SECONDS old. Only the rows not found are given the checklist's prefetches and
rendered; a cache that fails is read as empty and the rows are rendered as before.
"""

from dataclasses import dataclass

from django.db.models import prefetch_related_objects
from django.template.context import Context
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from circuits.checklist import circuit_checklist
from circuits.selectors import circuit_onboarding_prefetches
from core.fragments import drawn_by, fragment_key, fragments_get, fragments_set, time_bucket

ROW_TEMPLATE = "circuits/circuit_list.html#row"
ROW_TEMPLATES = ("circuits/circuit_list.html", "circuits/_progress.html")
ROW_MODULES = ("circuits.checklist", "circuits.choices", "core.templatetags.ui", __name__)
ROW_TIME_BUCKET_SECONDS = 60
ROW_CACHE_SECONDS = 300  # keys change with every write and every minute: old rows only wait to expire
WHAT = "list rows"  # in the log, when the cache fails


@dataclass(frozen=True)
class ListRow:
    html: SafeString
    settled: bool  # deleted or onboarded: the list may poll slowly when every row is


def _drawn_by() -> str:
    return drawn_by(ROW_TEMPLATES, ROW_MODULES)


def _forecast_shown(circuit):
    forecast = getattr(circuit, "forecast", None)  # select_related: None when insights has none
    if forecast is None:
        return None
    return forecast.ready_low, forecast.ready_by, forecast.ready_high, forecast.is_late


def row_key(circuit, *, now: int) -> str:
    """The cache key of `circuit`'s row as drawn at `now` (a Unix time)."""
    provider = circuit.service_provider
    shown = (
        circuit.pk,
        circuit.version,
        provider.name,
        provider.layer,
        circuit.peering_location.name,
        circuit.team.name,
        _forecast_shown(circuit),
        timezone.get_current_timezone_name(),
        _drawn_by(),
        time_bucket(now, seconds=ROW_TIME_BUCKET_SECONDS, spread=circuit.pk),
    )
    return fragment_key(f"circuits:row:{circuit.pk}", shown)


def _render(circuits):
    """The rows of circuits read without the checklist's prefetches: prefetched here, all at once."""
    prefetch_related_objects(circuits, *circuit_onboarding_prefetches())
    template = get_template(ROW_TEMPLATE).template
    rows = []
    for circuit in circuits:
        checklist = circuit_checklist(circuit)
        html = template.render(Context({"circuit": circuit, "checklist": checklist}))
        rows.append(ListRow(mark_safe(html), circuit.is_deleted or checklist.is_complete))
    return rows


def list_rows(circuits) -> list[ListRow]:
    """The list's rows of `circuits` (read by circuit_row_queryset), in their order."""
    circuits = list(circuits)
    now = int(timezone.now().timestamp())
    keys = [row_key(circuit, now=now) for circuit in circuits]
    found = {key: ListRow(mark_safe(html), settled) for key, (html, settled) in fragments_get(keys, what=WHAT).items()}
    missing = [(key, circuit) for key, circuit in zip(keys, circuits, strict=True) if key not in found]
    if missing:
        drawn = dict(zip([key for key, _ in missing], _render([circuit for _, circuit in missing]), strict=True))
        rows = {key: (str(row.html), row.settled) for key, row in drawn.items()}
        fragments_set(rows, timeout=ROW_CACHE_SECONDS, what=WHAT)
        found.update(drawn)
    return [found[key] for key in keys]
