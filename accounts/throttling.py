"""Log-in throttling with django-axes (the backend and the client address it counts by), and the
password-reset rate limits kept in the cache."""

import hashlib
import ipaddress

from axes.backends import AxesBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import Q


class ThrottledModelBackend(AxesBackend):
    """Django's model backend behind axes' lockout check, as one backend.

    One backend rather than axes' recommended pair, because with several backends Django needs an
    explicit `backend=` wherever it asks "which users have this permission" (`with_perm`) or logs a
    user in without authenticate() (`force_login`)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        super().authenticate(request, username=username, password=password, **kwargs)  # raises when locked out
        return ModelBackend.authenticate(self, request, username=username, password=password, **kwargs)

    def get_all_permissions(self, user_obj, obj=None):
        """The user's own and their groups' permissions in one query (Django's backend takes two)."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            names = permissions.values_list("content_type__app_label", "codename").order_by()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in names}
        return user_obj._perm_cache


def client_ip(request):
    """The client's address: the peer's, or behind ONRAMP_TRUSTED_PROXIES reverse proxies the one the
    outermost of them saw (that many entries from the right of X-Forwarded-For; entries further left
    are the client's own claims). None when nothing parses (a Unix socket gives ""): axes stores it in
    an IP address column, and a failed log-in must never fail on that."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.ONRAMP_TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        address = forwarded[-proxies] if len(forwarded) >= proxies else ""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def attempted_username(request, credentials):
    """The username tried, cut to the 255 characters axes stores: Django's log-in form takes any length."""
    username = (request.POST if credentials is None else credentials).get("username")
    return username[:255] if isinstance(username, str) else username


def within_rate(key, *, limit, window):
    """Count one more use of `key` in the cache and say whether it is still within `limit` per
    `window` seconds (the window starts at the first use)."""
    cache.add(key, 0, window)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr: this is the first use of a new window
        cache.add(key, 1, window)
        return True


def password_reset_client_allowed(request):
    client = client_ip(request) or "unknown"
    return within_rate(
        f"onramp:reset:client:{client}",
        limit=settings.ONRAMP_PASSWORD_RESET_PER_CLIENT,
        window=settings.ONRAMP_PASSWORD_RESET_WINDOW,
    )


def password_reset_address_allowed(email):
    # A digest, so the cache never holds the addresses people typed.
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return within_rate(
        f"onramp:reset:address:{digest}",
        limit=settings.ONRAMP_PASSWORD_RESET_PER_ADDRESS,
        window=settings.ONRAMP_PASSWORD_RESET_WINDOW,
    )
