"""Writes for accounts: who holds which session, and the roles and teams single sign-on grants."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .devices import device_summary
from .models import GroupMapping, Team, UserSession
from .roles import ROLES
from .throttling import client_ip


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


@transaction.atomic
def user_session_start(*, request, user):
    """Record the session a log-in has just created (the session row exists: log-in saved it)."""
    now = timezone.now()
    seen = {
        "user": user,
        "device": device_summary(request.headers.get("User-Agent", "")),
        "ip_address": client_ip(request),
        "last_seen_at": now,
    }
    UserSession.objects.update_or_create(
        session_id=request.session.session_key, defaults=seen, create_defaults={**seen, "created_at": now}
    )
    cache.set(_seen_mark(request.session.session_key), True, settings.ONRAMP_SESSION_SEEN_EVERY)


def _seen_mark(session_key):
    return f"onramp:session-seen:{session_key}"


def user_session_seen(*, request):
    """Note that the session was used now, from this address, unless that was noted in the last
    minute: one write a minute per session, whatever the pages poll (a cache key marks the minute)."""
    key = request.session.session_key
    if cache.add(_seen_mark(key), True, settings.ONRAMP_SESSION_SEEN_EVERY):
        UserSession.objects.filter(session_id=key, user=request.user).update(
            last_seen_at=timezone.now(), ip_address=client_ip(request)
        )


@transaction.atomic
def user_sessions_end(*, user, session_keys=None, keep=None):
    """End the user's sessions (those named, else all), except `keep`: deleted from the cache and the
    database, so their cookies no longer sign anyone in. Returns how many ended."""
    sessions = UserSession.objects.filter(user=user)
    if session_keys is not None:
        sessions = sessions.filter(session_id__in=session_keys)
    if keep:
        sessions = sessions.exclude(session_id=keep)
    keys = list(sessions.values_list("session_id", flat=True))
    store = _session_store()
    for key in keys:
        store(session_key=key).delete()  # its UserSession row goes with it (cascade)
    return len(keys)


def user_password_changed(*, request, user):
    """After a password change: end the user's other sessions, keep this one (with a new key)."""
    user_sessions_end(user=user, keep=request.session.session_key)
    update_session_auth_hash(request, user)  # cycles the key: the old row and its UserSession are gone
    user_session_start(request=request, user=user)


def _claim_values(claims):
    values = set()
    for name in settings.ONRAMP_OIDC_GROUP_CLAIMS:
        value = claims.get(name) or []
        values.update(str(item) for item in ([value] if isinstance(value, str) else value))
    return values


@transaction.atomic
def sso_memberships_apply(*, user, claims):
    """Give an SSO user exactly the roles and teams their group claims map to: what the provider
    no longer says is taken away at this log-in. Groups that are not roles are left alone."""
    mappings = list(GroupMapping.objects.filter(claim_value__in=_claim_values(claims)))
    roles = {mapping.role_id for mapping in mappings if mapping.role_id}
    teams = {mapping.team_id for mapping in mappings if mapping.team_id}
    user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(pk__in=roles))
    user.groups.add(*roles)
    user.teams.set(Team.objects.filter(pk__in=teams))
    return user
