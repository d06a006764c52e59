import functools

from rest_framework.pagination import CursorPagination, PageNumberPagination

from circuits.selectors import ListCount
from core.pagination import CountingPaginator


def _without_examples(schema):
    """DRF's page schemas carry made-up examples (api.example.org/accounts/): the schema keeps none."""
    if isinstance(schema, dict):
        return {key: _without_examples(value) for key, value in schema.items() if key != "example"}
    return schema


class PagePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "per_page"
    max_page_size = 200

    def get_paginated_response_schema(self, schema):
        return _without_examples(super().get_paginated_response_schema(schema))


class CircuitPagePagination(PagePagination):
    """The circuits' pages as the list page counts them: from the list's cached count under the same
    filters (ListCount), else inside the page's own query (CountingPaginator), never a COUNT of the
    whole estate per request."""

    def paginate_queryset(self, queryset, request, view=None):
        count = ListCount(request.user, request.query_params)
        self.django_paginator_class = functools.partial(CountingPaginator, known_count=count.found)
        page = super().paginate_queryset(queryset, request, view)
        if page is not None:
            count.store(self.page.paginator.count)
        return page


class NewestFirstCursorPagination(CursorPagination):
    """Audit events and webhook delivery logs: logs read newest first; a cursor never repeats or skips
    a row as rows are added, where page numbers would shift."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "per_page"
    max_page_size = 200

    def get_paginated_response_schema(self, schema):
        return _without_examples(super().get_paginated_response_schema(schema))
