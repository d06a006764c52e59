"""The circuit list's columns: sortable headers for the page, and the columns of the CSV export."""

from dataclasses import dataclass

from django.http import QueryDict

from .checklist import circuit_checklist


@dataclass(frozen=True)
class Column:
    label: str
    sort: str = ""  # the value of ?sort= that orders by this column; empty when not sortable
    css: str = ""  # "wide-only" hides a column on narrow screens


COLUMNS = (
    Column("Circuit", "name"),
    Column("Provider", "provider", "wide-only"),
    Column("Location", "location", "wide-only"),
    Column("Bandwidth", "bandwidth", "wide-only"),
    Column("Provider state", "state"),
    Column("Onboarding", "step"),
    Column("In state for", "changed", "wide-only"),
    Column("Ready by", "ready", "wide-only"),  # insights' forecast, through circuit.forecast
    Column("Team", "team", "wide-only"),
)


PER_PAGE_CHOICES = (25, 50, 100, 200)
# Smaller than the demo's 48 circuits, so the pages (and their navigation) show from the start.
DEFAULT_PER_PAGE = 25
COMPACT = "compact"


def per_page(query: QueryDict) -> int:
    """Rows per page from ?per_page=, one of PER_PAGE_CHOICES; anything else gets the default."""
    value = query.get("per_page", "")
    return int(value) if value in {str(choice) for choice in PER_PAGE_CHOICES} else DEFAULT_PER_PAGE


def _link(query: QueryDict, **changes) -> str:
    """The same list with some parameters changed (None removes one), back on its first page."""
    params = query.copy()
    for name in ("page", "v", *changes):
        params.pop(name, None)
    for name, value in changes.items():
        if value is not None:
            params[name] = value
    return f"?{params.urlencode()}"


@dataclass(frozen=True)
class Choice:
    label: str
    url: str
    current: bool


def per_page_choices(query: QueryDict) -> list[Choice]:
    current = per_page(query)
    return [Choice(str(size), _link(query, per_page=str(size)), size == current) for size in PER_PAGE_CHOICES]


def density_choices(query: QueryDict) -> list[Choice]:
    compact = query.get("density") == COMPACT
    return [
        Choice("Comfortable", _link(query, density=None), not compact),
        Choice("Compact", _link(query, density=COMPACT), compact),
    ]


@dataclass(frozen=True)
class Header:
    column: Column
    url: str
    direction: str  # "ascending", "descending" or "" (aria-sort values)


def sortable_headers(query: QueryDict) -> list[Header]:
    """Each header links to the same filters sorted by its column; clicking again reverses."""
    current = query.get("sort", "")
    headers = []
    for column in COLUMNS:
        if not column.sort:
            headers.append(Header(column, "", ""))
            continue
        direction = {column.sort: "ascending", f"-{column.sort}": "descending"}.get(current, "")
        sort = f"-{column.sort}" if direction == "ascending" else column.sort
        headers.append(Header(column, _link(query, sort=sort), direction))
    return headers


# The export never includes secrets: authorization keys and MD5 keys are not even stored in clear.
# Each column reads (circuit, current checklist step or None when onboarded).
CSV_COLUMNS = (
    ("name", lambda c, s: c.name),
    ("resourceId", lambda c, s: c.azure_resource_id),
    ("serviceKey", lambda c, s: c.service_key_shown),
    ("serviceProviderName", lambda c, s: c.service_provider.name),
    ("peeringLocation", lambda c, s: c.peering_location.name),
    ("bandwidthInMbps", lambda c, s: c.bandwidth_mbps),
    ("sku", lambda c, s: c.sku_name),
    ("serviceProviderProvisioningState", lambda c, s: c.service_provider_provisioning_state),
    ("circuitProvisioningState", lambda c, s: c.circuit_provisioning_state),
    ("provisioningState", lambda c, s: c.provisioning_state),
    ("team", lambda c, s: c.team.name),
    ("onboardingStep", lambda c, s: s.number if s else "done"),
    ("onboardingStatus", lambda c, s: s.status_label if s else "Onboarded"),
    ("onboardingReason", lambda c, s: s.reason if s else ""),
    ("stuck", lambda c, s: c.is_stuck),
    ("stale", lambda c, s: c.is_stale),
    ("createdAt", lambda c, s: c.created_at.isoformat()),
    ("stateChangedAt", lambda c, s: c.state_changed_at.isoformat()),
    ("deletedAt", lambda c, s: c.deleted_at.isoformat() if c.deleted_at else ""),
    # The forecast (insights.CircuitForecast, related_name "forecast"); empty for onboarded or deleted circuits.
    ("readyBy", lambda c, s: _forecast(c, "ready_by")),
    ("readyLow", lambda c, s: _forecast(c, "ready_low")),
    ("readyHigh", lambda c, s: _forecast(c, "ready_high")),
    ("late", lambda c, s: _forecast(c, "is_late")),
)


def _forecast(circuit, name):
    forecast = getattr(circuit, "forecast", None)
    value = getattr(forecast, name, "") if forecast and not circuit.deleted_at else ""
    return value.isoformat() if hasattr(value, "isoformat") else value


def csv_rows(circuits, *, service_key):
    """The CSV lines; `service_key(circuit)` is the key as the reader may see it (selectors.service_key_display)."""
    yield [header for header, _ in CSV_COLUMNS]
    for circuit in circuits:
        circuit.service_key_shown = service_key(circuit)
        step = circuit_checklist(circuit).current
        yield [get(circuit, step) for _, get in CSV_COLUMNS]
