"""Log-in throttling with django-axes: the authentication backend and the client address it counts by."""

import ipaddress

from axes.backends import AxesBackend
from django.contrib.auth.backends import ModelBackend


class ThrottledModelBackend(AxesBackend):
    """Django's model backend behind axes' lockout check, as one backend.

    One backend rather than axes' recommended pair, because with several backends Django needs an
    explicit `backend=` wherever it asks "which users have this permission" (`with_perm`) or logs a
    user in without authenticate() (`force_login`)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        super().authenticate(request, username=username, password=password, **kwargs)  # raises when locked out
        return ModelBackend.authenticate(self, request, username=username, password=password, **kwargs)


def client_ip(request):
    """The peer's address, or None when the server gave none that parses (a Unix socket gives ""):
    axes stores it in an IP address column, and a failed log-in must never fail on that."""
    try:
        return str(ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")))
    except ValueError:
        return None


def attempted_username(request, credentials):
    """The username tried, cut to the 255 characters axes stores: Django's log-in form takes any length."""
    username = (request.POST if credentials is None else credentials).get("username")
    return username[:255] if isinstance(username, str) else username
