from django.urls import path

from . import views

app_name = "peerings"
urlpatterns = [
    path("circuit/<int:pk>/add/", views.PeeringCreateView.as_view(), name="peering_create"),
    path(
        "circuit/<int:pk>/<int:peering_pk>/route-filter/", views.RouteFilterView.as_view(), name="peering_route_filter"
    ),
    path("circuit/<int:pk>/<int:peering_pk>/prefixes/", views.PeeringPrefixesView.as_view(), name="peering_prefixes"),
]
