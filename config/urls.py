from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from notifications.views import healthz

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="circuits:circuit_list", permanent=False)),
    path("accounts/", include("accounts.urls")),  # before Django's: replaces some of its views
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("circuits/", include("circuits.urls")),
    path("circuits/", include("sync.urls")),  # asking the source now, about one circuit
    path("peerings/", include("peerings.urls")),
    path("approvals/", include("peerings.approval_urls")),
    path("billing/", include("billing.urls")),
    path("insights/", include("insights.urls")),
    path("notifications/", include("notifications.urls")),
    path("healthz", healthz, name="healthz"),
]
handler500 = "core.errorpages.server_error"  # 503 while the database is unreachable
