"""Subscription display names: recorded by a service, read from ARM by the Azure sync."""

from unittest import mock

import pytest

from billing.models import SubscriptionName
from billing.services import subscription_names_record
from sync import tasks
from tests.support.azure import BASE, LIST_PATH, PORTS_PATH, SUBSCRIPTION, arm_ok, recorded_source

pytestmark = pytest.mark.django_db

# Shaped like ARM's "Subscriptions - Get" answer (GET /subscriptions/{id}?api-version=2022-12-01).
SUBSCRIPTION_GET = {
    "id": BASE,
    "subscriptionId": SUBSCRIPTION,
    "tenantId": "4f1b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    "displayName": "Contoso Network Production",
    "state": "Enabled",
    "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01", "quotaId": "EnterpriseAgreement_2014-09-01"},
    "authorizationSource": "RoleBased",
}
LISTING = {
    LIST_PATH: [arm_ok("circuits_list_page1.json")],
    f"{LIST_PATH}?api-version=2026-03-01&%24skiptoken=page2": [arm_ok("circuits_list_page2.json")],
    PORTS_PATH: [arm_ok("express_route_ports_list.json")],
}


def test_a_recorded_name_replaces_the_old_one_and_a_blank_one_is_skipped():
    subscription_names_record(names={SUBSCRIPTION: "Old"})
    assert subscription_names_record(names={SUBSCRIPTION: "Contoso", "9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d": " "}) == 1
    assert list(SubscriptionName.objects.values_list("display_name", flat=True)) == ["Contoso"]


def test_the_azure_sync_records_each_subscriptions_display_name(settings, team):
    settings.ONRAMP_AZURE_TEAM = team.name
    source, _ = recorded_source({BASE: [(200, {}, SUBSCRIPTION_GET)], **LISTING})
    with mock.patch("sync.sources.azure.AzureSource.from_settings", return_value=source):
        tasks.azure_sync()
    assert SubscriptionName.objects.get().display_name == "Contoso Network Production"


def test_the_azure_sync_still_syncs_circuits_when_names_cannot_be_read(settings, team):
    settings.ONRAMP_AZURE_TEAM = team.name
    source, _ = recorded_source(LISTING)  # the subscription's own path answers 404
    with mock.patch("sync.sources.azure.AzureSource.from_settings", return_value=source):
        assert tasks.azure_sync() == "2 created, 0 updated, 0 unchanged"
    assert not SubscriptionName.objects.exists()
