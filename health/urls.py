from django.urls import path

from . import views

app_name = "health"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Under /notifications/ where pages have always asked for it.
    path("notifications/health-banner/", views.health_banner, name="banner"),
]
