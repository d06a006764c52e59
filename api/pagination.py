from rest_framework.pagination import CursorPagination, PageNumberPagination


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


class NewestFirstCursorPagination(CursorPagination):
    """Audit events and webhook delivery logs: logs read newest first; a cursor never repeats or skips
    a row as rows are added, where page numbers would shift."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "per_page"
    max_page_size = 200

    def get_paginated_response_schema(self, schema):
        return _without_examples(super().get_paginated_response_schema(schema))
