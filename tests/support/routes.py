"""The product's URLs, walked by the security and hostile suites, and the smallest PDF they upload."""

from django.urls import URLPattern, URLResolver, get_resolver

PRODUCT_NAMESPACES = ("circuits", "peerings", "approvals", "billing", "notifications", "webhooks")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def product_routes():
    """(namespace, name, parameters) of every URL the product's apps define."""
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace in PRODUCT_NAMESPACES:
            for pattern in entry.url_patterns:
                if isinstance(pattern, URLPattern):
                    yield entry.namespace, pattern.name, list(pattern.pattern.converters)
