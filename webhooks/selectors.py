"""Reads for webhooks, scoped by team: an engineer sees an endpoint only if it hears about nothing but
their own teams' circuits (its URL and log would otherwise leak another team's events)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Team
from accounts.roles import ENGINEER, has_role

from .models import Delivery, Endpoint


def user_may_manage_webhooks(user) -> bool:
    return user.is_superuser or has_role(user, ENGINEER)


def endpoints_visible_to(user):
    """SECURITY: superusers see every endpoint; engineers those whose every team is one of theirs."""
    if not user_may_manage_webhooks(user):
        raise PermissionDenied
    endpoints = Endpoint.objects.prefetch_related("teams")
    if user.is_superuser:
        return endpoints
    return endpoints.filter(teams__members=user).exclude(teams__in=Team.objects.exclude(members=user)).distinct()


def endpoint_for(user, pk) -> Endpoint:
    endpoint = endpoints_visible_to(user).filter(pk=pk).first()
    if endpoint is None:
        raise Http404("No such endpoint.")
    return endpoint


def delivery_for(user, pk, *, endpoint_pk=None) -> Delivery:
    """A delivery to an endpoint the user sees (and, given `endpoint_pk`, to that endpoint)."""
    deliveries = Delivery.objects.filter(pk=pk, endpoint__in=endpoints_visible_to(user))
    if endpoint_pk is not None:
        deliveries = deliveries.filter(endpoint_id=endpoint_pk)
    delivery = deliveries.select_related("endpoint", "event").first()
    if delivery is None:
        raise Http404("No such delivery.")
    return delivery


def endpoint_deliveries(endpoint: Endpoint):
    """The endpoint's deliveries with their event and attempts, newest first (fixed query count)."""
    return endpoint.deliveries.select_related("event").prefetch_related("log").order_by("-created_at", "-id")


def endpoint_log(endpoint: Endpoint, *, limit: int = 50):
    return list(endpoint_deliveries(endpoint)[:limit])


def teams_for_rules(user):
    return Team.objects.all() if user.is_superuser else Team.objects.filter(members=user)
