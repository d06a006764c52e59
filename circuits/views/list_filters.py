"""The circuit list's filter panel, drawn once per query string and catalog (ARCHITECTURE.md, "Live pages").

The panel shows the query's filter values, their refusals, and menus naming every service provider,
peering location and team (the same for everyone: circuits.filtersets.menu_choices). So it is cached
per query string with the catalog stamp (core/stamps.py, circuits/stamps.py), forgotten when any of
them is saved or deleted. Only a shared cache carries stamps: elsewhere, and while the cache fails,
the panel is drawn on every page.
"""

import hashlib

from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from circuits.stamps import CATALOG_STAMP
from core.fragments import drawn_by
from core.stamps import stamped_get, stamped_set, stamps_take

PANEL_TEMPLATE = "circuits/circuit_list.html#filters"
PANEL_SOURCES = (("circuits/circuit_list.html",), ("circuits.filtersets", __name__))
PANEL_CACHE_SECONDS = 300  # also bounds what a catalog write the stamps cannot see leaves (a data migration)


class FilterPanel:
    """Looked up before the view reads the filters: a catalog change made meanwhile forgets the
    stamp this panel is stored with, so a panel drawn from the old catalog is never used."""

    def __init__(self, request):
        query = repr(sorted(request.GET.lists())).encode()
        self.key = f"circuits:filters:{drawn_by(*PANEL_SOURCES)}:{hashlib.blake2b(query, digest_size=16).hexdigest()}"
        self.found = stamped_get(self.key, [CATALOG_STAMP])
        self.stamps = None if self.found is not None else stamps_take([CATALOG_STAMP])

    def html(self, request, context) -> SafeString:
        """The panel, drawn from the page's `context` unless it was found."""
        if self.found is None:
            self.found = get_template(PANEL_TEMPLATE).render({**context, "request": request})
            stamped_set(self.key, str(self.found), self.stamps, timeout=PANEL_CACHE_SECONDS)
        return mark_safe(self.found)
