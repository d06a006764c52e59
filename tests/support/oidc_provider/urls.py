from django.contrib.auth.views import LoginView
from django.urls import include, path

from .views import set_groups

urlpatterns = [
    path("login/", LoginView.as_view(template_name="login.html"), name="login"),
    path("openid/", include("oidc_provider.urls", namespace="oidc_provider")),
    path("test/groups/<str:username>/", set_groups),
]
