"""/metrics in the Prometheus text format, for a bearer token or an allowed network only."""

import hmac
import ipaddress
import os

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from accounts.throttling import client_ip

from .instruments import INSTRUMENTS


def _allowed(request) -> bool:
    token = settings.ONRAMP_METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and given and hmac.compare_digest(given.encode(), token.encode()):
        return True
    address = client_ip(request)
    if not address or not settings.ONRAMP_METRICS_ALLOWED_NETWORKS:
        return False
    return any(
        ipaddress.ip_address(address) in ipaddress.ip_network(network, strict=False)
        for network in settings.ONRAMP_METRICS_ALLOWED_NETWORKS
    )


def _instruments():
    """Every process's instruments added up under PROMETHEUS_MULTIPROC_DIR, else this process's."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return INSTRUMENTS
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


@login_not_required
@require_GET
def metrics(request):
    if not _allowed(request):
        return HttpResponse(
            "Send the metrics token (Authorization: Bearer …) or scrape from an allowed network.\n",
            status=403,
            content_type="text/plain",
        )
    body = generate_latest(REGISTRY) + generate_latest(_instruments())
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
