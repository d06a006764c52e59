from django.urls import path

from .views import actions, export, pages, peering_actions

app_name = "circuits"
urlpatterns = [
    path("", pages.circuit_list, name="circuit_list"),
    path("export.csv", export.circuit_export, name="circuit_export"),
    path("add/", pages.CircuitCreateView.as_view(), name="circuit_create"),
    path("<int:pk>/", pages.circuit_detail, name="circuit_detail"),
    path("<int:pk>/diagnostics/", pages.circuit_diagnostics, name="circuit_diagnostics"),
    path("<int:pk>/history/", pages.circuit_history, name="circuit_history"),
    path("<int:pk>/watch/", actions.circuit_watch, name="circuit_watch"),
    path("<int:pk>/order/", actions.ProviderOrderView.as_view(), name="order_create"),
    path("<int:pk>/order/<int:order_pk>/", actions.ProviderOrderView.as_view(), name="order_update"),
    path("<int:pk>/authorizations/add/", actions.AuthorizationCreateView.as_view(), name="authorization_create"),
    path(
        "<int:pk>/authorizations/<int:authorization_pk>/remove/",
        actions.AuthorizationDeleteView.as_view(),
        name="authorization_delete",
    ),
    path("<int:pk>/links/add/", actions.VNetLinkCreateView.as_view(), name="vnet_link_create"),
    path("<int:pk>/links/<int:link_pk>/remove/", actions.VNetLinkDeleteView.as_view(), name="vnet_link_delete"),
    path("<int:pk>/upgrade/", actions.UpgradeView.as_view(), name="circuit_upgrade"),
    path("<int:pk>/deprovision/", actions.DeprovisionView.as_view(), name="circuit_deprovision"),
    path("<int:pk>/delete/", actions.CircuitDeleteView.as_view(), name="circuit_delete"),
    path("<int:pk>/peerings/add/", peering_actions.PeeringCreateView.as_view(), name="peering_create"),
    path(
        "<int:pk>/peerings/<int:peering_pk>/route-filter/",
        peering_actions.RouteFilterView.as_view(),
        name="peering_route_filter",
    ),
    path(
        "<int:pk>/peerings/<int:peering_pk>/prefixes/",
        peering_actions.PeeringPrefixesView.as_view(),
        name="peering_prefixes",
    ),
]
