from django.urls import path

from . import views

app_name = "circuits"
urlpatterns = [
    path("", views.circuit_list, name="circuit_list"),
    path("export.csv", views.circuit_export, name="circuit_export"),
    path("add/", views.CircuitCreateView.as_view(), name="circuit_create"),
    path("<int:pk>/", views.circuit_detail, name="circuit_detail"),
    path("<int:pk>/diagnostics/", views.circuit_diagnostics, name="circuit_diagnostics"),
    path("<int:pk>/order/", views.ProviderOrderView.as_view(), name="order_create"),
    path("<int:pk>/order/<int:order_pk>/", views.ProviderOrderView.as_view(), name="order_update"),
    path("<int:pk>/authorizations/add/", views.AuthorizationCreateView.as_view(), name="authorization_create"),
    path(
        "<int:pk>/authorizations/<int:authorization_pk>/remove/",
        views.AuthorizationDeleteView.as_view(),
        name="authorization_delete",
    ),
    path("<int:pk>/links/add/", views.VNetLinkCreateView.as_view(), name="vnet_link_create"),
    path("<int:pk>/links/<int:link_pk>/remove/", views.VNetLinkDeleteView.as_view(), name="vnet_link_delete"),
    path("<int:pk>/upgrade/", views.UpgradeView.as_view(), name="circuit_upgrade"),
    path("<int:pk>/deprovision/", views.DeprovisionView.as_view(), name="circuit_deprovision"),
    path("<int:pk>/delete/", views.CircuitDeleteView.as_view(), name="circuit_delete"),
]
