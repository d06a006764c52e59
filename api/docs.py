"""Swagger UI and ReDoc, served from drf-spectacular-sidecar's static files (no CDN), behind log-in.

Both render with JavaScript that sets inline styles (and ReDoc starts a blob: worker), so these two
pages, and only they, relax the CSP's style-src and worker-src; scripts stay 'self' only (the
Swagger UI's start-up script is a separate file: SpectacularSwaggerSplitView)."""

from django.conf import settings
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

DOCS_CSP = {
    **settings.SECURE_CSP,
    "style-src": ["'self'", "'unsafe-inline'"],
    "worker-src": ["'self'", "blob:"],
}

swagger_ui = csp_override(DOCS_CSP)(
    SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")
)
redoc = csp_override(DOCS_CSP)(SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"))
