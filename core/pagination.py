"""Paging a queryset without a COUNT query of its own (the circuit list, page and API)."""

from django.core.paginator import Paginator
from django.db.models import Count, Subquery, Value


class CountingPaginator(Paginator):
    """Counts the rows inside the page's own query (an uncorrelated scalar subquery, evaluated once)
    instead of a COUNT query of its own, while the page itself can still come from an index; a
    `known_count` (e.g. circuits.selectors.ListCount's) is not counted again. Only a page number past
    the end, or not a number, falls back to Django's way: `get_page` then shows the nearest page,
    `page` raises InvalidPage (what DRF answers 404 for)."""

    def __init__(self, object_list, per_page, *, known_count=None):
        super().__init__(object_list, per_page)
        if known_count is not None:
            self.count = known_count

    def get_page(self, number):
        return self._counted_page(number) or super().get_page(number)

    def page(self, number):
        return self._counted_page(number) or super().page(number)

    def _counted_page(self, number):
        number = page_number(number)
        if number is None:
            return None
        offset = (number - 1) * self.per_page
        if "count" in self.__dict__:
            rows = list(self.object_list[offset : offset + self.per_page])
        else:
            matching = self.object_list.order_by().annotate(one=Value(1)).values("one")
            total = Subquery(matching.annotate(total=Count("pk")).values("total"))
            rows = list(self.object_list.annotate(total_rows=total)[offset : offset + self.per_page])
            if rows:
                self.count = rows[0].total_rows
        return self._get_page(rows, number, self) if rows else None


def page_number(value):
    """A page number the fast paths can use, else None: a positive whole number whose offset fits the
    database's range ("²" is a digit to str.isdigit but not to int(); 10**19 overflows OFFSET)."""
    text = str(value)
    return (int(text) or None) if text.isdecimal() and len(text) <= 9 else None
