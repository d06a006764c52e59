"""Log-in, password and session pages; they take the names of Django's auth URLs they replace,
so they are included before django.contrib.auth.urls."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import oidc, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("password_change/", views.local_login_only(views.PasswordChangeView.as_view()), name="password_change"),
    path("password_reset/", views.local_login_only(views.PasswordResetView.as_view()), name="password_reset"),
    path(
        "reset/<uidb64>/<token>/",
        views.local_login_only(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/end/", views.session_end, name="session_end"),
    path("oidc/authenticate/", oidc.AuthenticateView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
]
