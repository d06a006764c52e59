"""`Authorization: Token <key>` or `Bearer <key>`: a person's API token, looked up by its digest."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .selectors import api_token_for_key
from .services import api_token_seen

KEYWORDS = ("token", "bearer")


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() not in KEYWORDS:
            return None  # not ours: the session may still authenticate
        if len(parts) != 2:
            raise AuthenticationFailed("Send the key as `Authorization: Token <key>`, with no spaces in the key.")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("This is not an Onramp API key.") from None
        token = api_token_for_key(key)
        if token is None:
            raise AuthenticationFailed("This key is unknown, expired or revoked: create a new token.")
        api_token_seen(token=token)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (Your API tokens page); `Token <key>` is accepted too.",
        }
