"""The one authentication backend: local passwords (throttled, can be turned off) and OpenID Connect.

One backend rather than two, for the reason given on ThrottledModelBackend."""

from django.conf import settings

from .oidc import OIDCBackend, sso_enabled
from .throttling import ThrottledModelBackend


class OnrampBackend(ThrottledModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if "nonce" in kwargs:  # mozilla-django-oidc's callback: a code to exchange at the provider
            return OIDCBackend().authenticate(request, **kwargs) if sso_enabled() else None
        if not settings.ONRAMP_LOCAL_LOGIN:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
