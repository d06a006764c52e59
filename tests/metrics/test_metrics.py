"""/metrics: Prometheus text, protected, figures read from the database at scrape time."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from tests.circuits.factories import CircuitFactory
from tests.webhooks.factories import DeliveryFactory

pytestmark = pytest.mark.django_db
METRIC = re.compile(r"\bonramp_[a-z_]+")
TOKEN = {"HTTP_AUTHORIZATION": "Bearer test-metrics-token"}


def scrape(client):
    response = client.get(reverse("metrics"), **TOKEN)
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def test_without_the_token_metrics_are_refused(client):
    assert client.get(reverse("metrics")).status_code == 403
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer wrong").status_code == 403


def test_an_allowed_network_needs_no_token(client, settings):
    settings.ONRAMP_METRICS_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    assert client.get(reverse("metrics")).status_code == 200


def test_circuits_are_counted_by_provider_state_step_and_stuck(client):
    CircuitFactory.create_batch(2, provisioned=True)
    CircuitFactory(is_stuck=True, service_provider_provisioning_state="Provisioning")
    samples = scrape(client)
    assert samples[("onramp_circuits", (("provider_state", "Provisioned"), ("step", "4"), ("stuck", "false")))] == 2
    assert samples[("onramp_circuits", (("provider_state", "Provisioning"), ("step", "3"), ("stuck", "true")))] == 1


def test_outbox_backlog_and_webhook_deliveries_are_reported(client):
    DeliveryFactory.create_batch(2)
    samples = scrape(client)
    assert samples[("onramp_webhook_deliveries", (("status", "pending"),))] == 2
    assert ("onramp_outbox_pending", ()) in samples
    assert samples[("onramp_inbound_events_total", (("outcome", "unknown"),))] == 0


def test_request_latency_is_a_histogram_by_view(client):
    client.get(reverse("metrics"), **TOKEN)
    samples = scrape(client)
    assert samples[("onramp_http_request_duration_seconds_count", (("method", "GET"), ("view", "metrics")))] >= 1


def test_every_metric_the_grafana_dashboard_plots_is_exported(client, settings):
    dashboard = json.loads((Path(settings.BASE_DIR) / "deploy" / "grafana-dashboard.json").read_text())
    plotted = {
        name for panel in dashboard["panels"] for target in panel["targets"] for name in METRIC.findall(target["expr"])
    }
    text = client.get(reverse("metrics"), **TOKEN).content.decode()
    families = {family.name for family in text_string_to_metric_families(text)}  # with or without samples yet
    unknown = {name for name in plotted if re.sub(r"_(bucket|total)$", "", name) not in families}
    assert not unknown
