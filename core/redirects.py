"""Old addresses of pages that moved."""

from django.views.generic import RedirectView


def moved_to(pattern_name):
    """A permanent redirect to the named URL with the same arguments and query string. 308, not 301:
    a form posted to the old address is posted again to the new one. It carries no data and answers
    alike whether the object exists or not: the new address does the scoping."""
    return RedirectView.as_view(pattern_name=pattern_name, permanent=True, query_string=True, preserve_request=True)
