"""The live-poll protocol of the circuit pages (ARCHITECTURE.md, "Live pages").

A live page polls with `v`, the fingerprint it was drawn from. An unchanged fingerprint is answered
204 without rendering; a changed one gets the page's live regions, each an out-of-band swap; 286
tells htmx to stop once nothing can change (a deleted circuit)."""

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from circuits.selectors import EMPTY_FINGERPRINT

NOTHING_CHANGED = 204  # answered without rendering: htmx 2 keeps the page as it is
STOP_POLLING = 286  # htmx 2: swap this answer, then stop polling
LIVE_FRAGMENT = "live"  # the partial that carries every live region of a page


def poll_seconds(*, onboarded=False):
    """How often a live page asks again: slower once onboarded, where changes are rare but still
    matter (a BGP session dropping, a link disconnecting, the provider deprovisioning)."""
    if onboarded:
        return settings.ONRAMP_LIVE_POLL_ONBOARDED_SECONDS
    return settings.ONRAMP_LIVE_POLL_SECONDS


def is_poll(request):
    """A live region asking whether its data (fingerprint `v`) is still current."""
    return bool(request.htmx) and "v" in request.GET


def unchanged(request, fingerprint):
    """True when the poll's fingerprint `v` is still `fingerprint` (from the cache, or one query).

    An empty result (no such circuit, no permission, an empty page) is never "unchanged": the full
    view answers it, with its own permission check.
    """
    return fingerprint != EMPTY_FINGERPRINT and request.GET["v"] == fingerprint


def live_response(request, template, context, *, finished=False):
    """The live regions for htmx polls, the whole page otherwise; polls stop only once nothing can
    change (a deleted circuit)."""
    if request.htmx:
        fragment = f"{template}#{LIVE_FRAGMENT}"
        response = render(request, fragment, context, status=STOP_POLLING if finished else 200)
    else:
        response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response
