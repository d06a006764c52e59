"""The circuit page's live regions, drawn once per state of the circuit and kind of viewer, then taken
from the cache (ARCHITECTURE.md, "Live pages"; core.fragments).

The regions (the announcement, head, main and side) are cached together under a key of everything
they show:
- the circuit's row as read, every column: its `version`, bumped by every write to the circuit or to
  anything the regions read of it (peerings, BGP sessions, prefixes, tickets, VNet links,
  authorizations, orders, Global Reach connections), and the columns the sweep writes without a bump
  (when it was last checked);
- the rows beside it that no version covers: its provider, peering location and team (catalog edits)
  and insights' forecast;
- the viewer, as far as the regions show them: whether they may change the circuit (the actions, the
  service key in full) and may delete its VNet links and authorizations. The regions are drawn from
  that alone (a plain Context: no request, no user, no other permission), so no other part of a viewer
  can end up in the regions another viewer is served;
- whether htmx asks (the regions are then out-of-band swaps and the announcement speaks), the display
  time zone, the templates and code that draw them, and a minute's time bucket (relative times).

Step 4's verification is not in them: its last reading is kept in the cache, outside the circuit's
version, and its "Check now" form carries the viewer's CSRF token. The main region is cached as two
halves around it, and the page draws it on every request. Only on a miss is the circuit given the
regions' prefetches (circuit_page_prefetches) and the regions drawn; a cache that fails is read as
empty, so the page is drawn as if never cached.
"""

from dataclasses import dataclass

from django.db.models import prefetch_related_objects
from django.template.context import Context
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from circuits import services
from circuits.checklist import DONE, circuit_checklist
from circuits.choices import ProviderOrderStatusChoices
from circuits.selectors import circuit_page_prefetches, service_key_shown
from core.fragments import drawn_by, fragment_key, fragments_get, fragments_set, time_bucket
from peerings.choices import AdvertisedPublicPrefixesStateChoices

PAGE_TEMPLATE = "circuits/circuit_detail.html"
REGIONS = ("announce", "head", "main_top", "main_end", "side")  # partials of PAGE_TEMPLATE
REGION_TEMPLATES = (
    PAGE_TEMPLATE,
    "circuits/_freshness.html",
    "insights/_forecast.html",
    "circuits/_azure_details.html",
)
REGION_MODULES = (
    "circuits.checklist",
    "circuits.choices",
    "circuits.models",
    "circuits.selectors",
    "circuits.services",
    "peerings.choices",
    "peerings.models",
    "core.templatetags.ui",
    __name__,
)
REGION_TIME_BUCKET_SECONDS = 60
REGION_CACHE_SECONDS = 300  # keys change with every write and every minute: old regions only wait to expire
WHAT = "circuit page regions"  # in the log, when the cache fails


@dataclass(frozen=True)
class Viewer:
    """What the regions show of the person looking at them, and nothing more."""

    can_change: bool  # the actions, and the service key in full (service_key_shown)
    may_delete_links: bool
    may_delete_authorizations: bool

    @classmethod
    def of(cls, user, *, can_change: bool):
        return cls(
            can_change=can_change,
            may_delete_links=user.has_perm("circuits.delete_vnetlink"),
            may_delete_authorizations=user.has_perm("circuits.delete_authorization"),
        )


@dataclass(frozen=True)
class PageRegions:
    announce: SafeString
    head: SafeString
    main_top: SafeString  # the main region up to Step 4's verification, which the page draws itself
    main_end: SafeString  # … and after it
    side: SafeString
    onboarded: bool  # every step done: the page polls slowly


def _row(instance) -> tuple | None:
    """Every column of a row as read (None for a missing one), for a key."""
    if instance is None:
        return None
    return tuple(getattr(instance, field.attname) for field in instance._meta.concrete_fields)


def regions_key(circuit, *, viewer: Viewer, htmx: bool, now: int) -> str:
    """The cache key of `circuit`'s regions as `viewer` is shown them at `now` (a Unix time)."""
    shown = (
        _row(circuit),
        _row(circuit.service_provider),
        _row(circuit.peering_location),
        _row(circuit.team),
        _row(getattr(circuit, "forecast", None)),  # select_related: None when insights has none
        viewer,
        htmx,
        timezone.get_current_timezone_name(),
        drawn_by(REGION_TEMPLATES, REGION_MODULES),
        time_bucket(now, seconds=REGION_TIME_BUCKET_SECONDS, spread=circuit.pk),
    )
    return fragment_key(f"circuits:page:{circuit.pk}", shown)


def _order_needed(circuit, checklist):
    """Offer 'Record provider order' while step 2 is open and no live order covers it."""
    if checklist.steps[1].status == DONE:
        return False
    active = [order for order in circuit.provider_orders.all() if order.status != ProviderOrderStatusChoices.CANCELLED]
    return not active or circuit.deprovisioned_at is not None


def _draw(circuit, *, viewer: Viewer, htmx: bool) -> tuple[tuple[str, ...], bool]:
    """The regions' HTML and whether the circuit is onboarded, drawn from the circuit read with the
    rows beside it (circuit_page_for): what else they read is prefetched here."""
    prefetch_related_objects([circuit], *circuit_page_prefetches())
    checklist = circuit_checklist(circuit)
    context = Context(
        {
            "circuit": circuit,
            "checklist": checklist,
            "can_change": viewer.can_change,
            "perms": {
                "circuits": {
                    "delete_vnetlink": viewer.may_delete_links,
                    "delete_authorization": viewer.may_delete_authorizations,
                }
            },
            "service_key": service_key_shown(circuit, full=viewer.can_change),
            "delete_blockers": [] if circuit.is_deleted else services.circuit_delete_blockers(circuit),
            "order_needed": _order_needed(circuit, checklist),
            "polling": not circuit.is_deleted,
            "validation_needed": AdvertisedPublicPrefixesStateChoices.VALIDATION_NEEDED,
            "request": {"htmx": htmx},
        }
    )
    html = tuple(get_template(f"{PAGE_TEMPLATE}#{name}").template.render(context) for name in REGIONS)
    return html, checklist.is_complete


def page_regions(circuit, *, viewer: Viewer, htmx: bool) -> PageRegions:
    """`circuit`'s regions as `viewer` is shown them, from the cache or drawn (and then cached)."""
    key = regions_key(circuit, viewer=viewer, htmx=htmx, now=int(timezone.now().timestamp()))
    found = fragments_get([key], what=WHAT).get(key)
    if found is None:
        found = _draw(circuit, viewer=viewer, htmx=htmx)
        fragments_set({key: found}, timeout=REGION_CACHE_SECONDS, what=WHAT)
    html, onboarded = found
    return PageRegions(*map(mark_safe, html), onboarded=onboarded)
