"""Webhook figures for /metrics, computed from the database at scrape time.

Every process (gunicorn workers, Celery) writes the same tables, so figures read from them at scrape
time are right whichever process answers the scrape; nothing here is kept in process memory.
"""

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from .choices import DeliveryStatusChoices, InboundOutcomeChoices
from .models import Delivery, DeliveryAttempt, Endpoint, InboundTally


def _families():
    return {
        "deliveries": GaugeMetricFamily(
            "onramp_webhook_deliveries", "Webhook deliveries by status.", labels=["status"]
        ),
        "attempts": CounterMetricFamily(
            "onramp_webhook_delivery_attempts",
            "HTTP requests made to deliver webhooks, by outcome.",
            labels=["outcome"],
        ),
        "oldest": GaugeMetricFamily(
            "onramp_webhook_oldest_pending_seconds", "Age of the oldest webhook delivery not yet delivered."
        ),
        "disabled": GaugeMetricFamily("onramp_webhook_endpoints_disabled", "Webhook endpoints disabled after failing."),
        "inbound": CounterMetricFamily(
            "onramp_inbound_events", "Azure Event Grid events received, by outcome.", labels=["outcome"]
        ),
    }


class WebhookCollector:
    def describe(self):
        return list(_families().values())  # described without querying: registering must not touch the database

    def collect(self):
        families, now = _families(), timezone.now()
        by_status = dict(Delivery.objects.values_list("status").annotate(n=Count("pk")).order_by())
        for status in DeliveryStatusChoices.values():
            families["deliveries"].add_metric([status], by_status.get(status, 0))
        by_outcome = dict(DeliveryAttempt.objects.values_list("succeeded").annotate(n=Count("pk")).order_by())
        families["attempts"].add_metric(["success"], by_outcome.get(True, 0))
        families["attempts"].add_metric(["failure"], by_outcome.get(False, 0))
        oldest = Delivery.objects.filter(status=DeliveryStatusChoices.PENDING).aggregate(at=Min("created_at"))["at"]
        families["oldest"].add_metric([], (now - oldest).total_seconds() if oldest else 0)
        families["disabled"].add_metric([], Endpoint.objects.filter(is_active=False).count())
        tallies = dict(InboundTally.objects.values_list("outcome", "count"))
        for outcome in InboundOutcomeChoices.values():
            families["inbound"].add_metric([outcome], tallies.get(outcome, 0))
        yield from families.values()


COLLECTOR = WebhookCollector()
