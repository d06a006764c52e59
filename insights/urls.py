from django.urls import path

from . import views
from .tables import EXPORTS

app_name = "insights"
urlpatterns = [
    path("", views.insights_page, name="page"),
    *(path(f"{table}.csv", views.insights_export, {"table": table}, name=f"export_{table}") for table in EXPORTS),
]
