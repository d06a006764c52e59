from django.urls import path

from . import views

app_name = "billing"
urlpatterns = [
    path("", views.billing_dashboard, name="dashboard"),
    path("export/<slug:table>.csv", views.billing_export, name="export"),
]
