"""Figures read from the database at scrape time: right whichever process answers the scrape."""

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from billing.selectors import summary_by_category
from circuits.models import Circuit
from circuits.selectors import with_workflow_step
from notifications.models import Heartbeat, Notification
from outbox.models import OutboxMessage


def _age(now, moment) -> float:
    return (now - moment).total_seconds() if moment else 0.0


def circuit_families(now):
    circuits = GaugeMetricFamily(
        "onramp_circuits",
        "Undeleted circuits by provider state, onboarding step (6: onboarded) and whether they look stuck.",
        labels=["provider_state", "step", "stuck"],
    )
    live = with_workflow_step(Circuit.objects.filter(deleted_at__isnull=True))
    rows = live.values("service_provider_provisioning_state", "workflow_step", "is_stuck").annotate(n=Count("pk"))
    for row in rows.order_by():
        circuits.add_metric(
            [row["service_provider_provisioning_state"], str(row["workflow_step"]), str(row["is_stuck"]).lower()],
            row["n"],
        )
    stale = GaugeMetricFamily("onramp_circuits_stale", "Undeleted circuits whose source reads keep failing.")
    stale.add_metric([], Circuit.objects.filter(deleted_at__isnull=True, is_stale=True).count())
    lag = GaugeMetricFamily(
        "onramp_circuit_check_lag_seconds", "Age of the least recently checked undeleted circuit's last check."
    )
    oldest = Circuit.objects.filter(deleted_at__isnull=True).aggregate(at=Min("last_checked_at"))["at"]
    lag.add_metric([], _age(now, oldest))
    return [circuits, stale, lag]


def background_families(now):
    pending = OutboxMessage.objects.filter(sent_at=None).aggregate(n=Count("pk"), oldest=Min("created_at"))
    backlog = GaugeMetricFamily("onramp_outbox_pending", "Background work queued but not yet taken by the broker.")
    backlog.add_metric([], pending["n"])
    age = GaugeMetricFamily("onramp_outbox_oldest_pending_seconds", "Age of the oldest pending outbox message.")
    age.add_metric([], _age(now, pending["oldest"]))
    heartbeats = GaugeMetricFamily(
        "onramp_heartbeat_age_seconds", "Seconds since each background component last beat.", labels=["component"]
    )
    for name, at in Heartbeat.objects.values_list("name", "at"):
        heartbeats.add_metric([name], _age(now, at))
    emails = GaugeMetricFamily(
        "onramp_notification_emails", "Notification e-mails by status (failed: gave up).", labels=["status"]
    )
    for status, count in Notification.objects.values_list("email_status").annotate(n=Count("pk")).order_by():
        emails.add_metric([status], count)
    return [backlog, age, heartbeats, emails]


def billing_families(now):
    burn = GaugeMetricFamily(
        "onramp_billing_monthly_burn", "Monthly fees of billed circuits by billing category.", labels=["category"]
    )
    count = GaugeMetricFamily("onramp_billing_circuits", "Billed circuits by billing category.", labels=["category"])
    for row in summary_by_category(as_of=timezone.localdate(now)):
        burn.add_metric([row["category"]], float(row["monthly_burn"] or 0))
        count.add_metric([row["category"]], row["circuits"])
    return [burn, count]


class OnrampCollector:
    FAMILIES = (circuit_families, background_families, billing_families)

    def describe(self):
        return []  # nothing to describe without the database; registering must not query it

    def collect(self):
        now = timezone.now()
        for families in self.FAMILIES:
            yield from families(now)


COLLECTOR = OnrampCollector()
