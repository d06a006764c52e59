"""The peering actions are circuit actions now (/circuits/<pk>/peerings/…); these are their old addresses."""

from django.urls import path

from core.redirects import moved_to

app_name = "peerings"
urlpatterns = [
    path("circuit/<int:pk>/add/", moved_to("circuits:peering_create"), name="peering_create"),
    path(
        "circuit/<int:pk>/<int:peering_pk>/route-filter/",
        moved_to("circuits:peering_route_filter"),
        name="peering_route_filter",
    ),
    path("circuit/<int:pk>/<int:peering_pk>/prefixes/", moved_to("circuits:peering_prefixes"), name="peering_prefixes"),
]
