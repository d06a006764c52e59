from rest_framework.pagination import CursorPagination, PageNumberPagination


class PagePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "per_page"
    max_page_size = 200


class NewestFirstCursorPagination(CursorPagination):
    """Audit events: an append-only log read newest first; a cursor never repeats or skips a row as
    events are added, where page numbers would shift."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "per_page"
    max_page_size = 200
