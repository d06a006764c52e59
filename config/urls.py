from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from metrics.views import metrics
from webhooks.views import azure_events

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="circuits:circuit_list", permanent=False)),
    path("accounts/", include("accounts.urls")),  # before Django's: replaces some of its views
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("circuits/", include("circuits.urls")),
    path("circuits/", include("sync.urls")),  # asking the source now, about one circuit
    path("peerings/", include("peerings.urls")),
    path("approvals/", include("validation.urls")),
    path("billing/", include("billing.urls")),
    path("", include("health.urls")),  # /healthz and the background-work banner
    path("insights/", include("insights.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/", include("api.urls")),
    path("webhooks/", include("webhooks.urls")),
    path("hooks/azure/", azure_events, name="azure_events"),  # Azure Event Grid: a circuit changed, check it now
    path("metrics", metrics, name="metrics"),
]
handler500 = "core.errorpages.server_error"  # 503 while the database is unreachable
