"""OpenID Connect sign-in (mozilla-django-oidc), configured from the environment.

Endpoints left unset come from the issuer's discovery document, so ONRAMP_OIDC_ISSUER alone
(Entra ID: https://login.microsoftonline.com/<tenant>/v2.0) is enough. docs/SSO.md."""

import functools
import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .services import sso_memberships_apply

logger = logging.getLogger(__name__)

_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def sso_enabled():
    return bool(settings.OIDC_RP_CLIENT_ID and (settings.ONRAMP_OIDC_ISSUER or settings.OIDC_OP_AUTHORIZATION_ENDPOINT))


@functools.lru_cache(maxsize=4)
def provider_metadata(issuer):
    """The issuer's discovery document; a failed fetch is not cached, so the next log-in tries again."""
    response = requests.get(f"{issuer.rstrip('/')}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    return response.json()


def oidc_setting(name, *default):
    """mozilla-django-oidc's setting lookup, with the endpoints not set explicitly found by discovery."""
    value = import_from_settings(name, *default)
    if not value and name in _DISCOVERED and settings.ONRAMP_OIDC_ISSUER:
        return provider_metadata(settings.ONRAMP_OIDC_ISSUER).get(_DISCOVERED[name])
    return value


def claims_email(claims):
    """Entra ID sends `email` only as an optional claim; its `preferred_username` is the sign-in address."""
    for name in ("email", "preferred_username", "upn"):
        value = claims.get(name)
        if isinstance(value, str) and "@" in value:
            return value.strip().lower()
    return None


class OIDCBackend(OIDCAuthenticationBackend):
    """Finds or creates the user by e-mail address, then re-applies their roles and teams from the
    group claims (GroupMapping). Used through accounts.backends.OnrampBackend."""

    get_settings = staticmethod(oidc_setting)

    def authenticate(self, request, **kwargs):
        try:
            return super().authenticate(request, **kwargs)
        except requests.RequestException as error:
            # Only the status and the provider's URL: a token response is never logged.
            status = getattr(error.response, "status_code", None)
            logger.warning("Single sign-on failed: the provider answered %s (%s)", status, type(error).__name__)
            return None

    def get_userinfo(self, access_token, id_token, payload):
        # Entra ID puts groups and app roles in the ID token only; its userinfo endpoint leaves them out.
        return {**payload, **super().get_userinfo(access_token, id_token, payload)}

    def verify_claims(self, claims):
        return claims_email(claims) is not None

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email__iexact=claims_email(claims))

    def create_user(self, claims):
        email = claims_email(claims)
        user = self.UserModel.objects.create_user(
            username=email[:150],
            email=email,
            first_name=str(claims.get("given_name", ""))[:150],
            last_name=str(claims.get("family_name", ""))[:150],
        )  # no password: this user signs in only through the provider
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        return sso_memberships_apply(user=user, claims=claims)


def _unless_sso_enabled():
    if not sso_enabled():
        raise Http404("Single sign-on is not configured.")


@method_decorator(login_not_required, name="dispatch")
class AuthenticateView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider; back to the log-in page with a message if it cannot be reached."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the endpoint is looked up per request, where a failure can be answered
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        _unless_sso_enabled()
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except requests.RequestException:
            logger.warning("Single sign-on: the discovery document of %s is unreachable", settings.ONRAMP_OIDC_ISSUER)
            messages.error(request, f"{settings.ONRAMP_OIDC_NAME} cannot be reached; try again in a moment.")
            return redirect("login")
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class CallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        _unless_sso_enabled()
        try:
            return super().get(request)
        except SuspiciousOperation:
            # A replayed or forged callback (unknown state): refuse it like any failed sign-in.
            logger.warning("Single sign-on: callback with an unknown state refused")
            return self.login_failure()
