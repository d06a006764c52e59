"""Secrets entered once (a BGP MD5 key, an authorization key, a webhook signing secret) are never shown
back: not in a page, a live fragment, a CSV export, the log, an audit event, a notification or an e-mail."""

import logging
import uuid

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from tests.circuits.factories import CircuitFactory
from webhooks.models import Endpoint

MD5_KEY = "Md5Key-Zq9xWv7Ty"  # letters outside hex, so a digest never contains it by chance
BILLING_TABLES = ("categories", "providers", "teams", "subscriptions", "months", "wasting")


@pytest.fixture
def entered_secrets(superuser_client, estate, team, caplog):
    """Enter both secrets through the forms, as an engineer would; returns them and the new circuit."""
    caplog.set_level(logging.DEBUG)
    circuit = CircuitFactory(team=team, provisioned=True, service_provider=estate.circuit.service_provider)
    configured = superuser_client.post(
        reverse("circuits:peering_create", kwargs={"pk": circuit.pk}),
        {
            "peering_type": "AzurePrivatePeering",
            "peer_asn": 65010,
            "vlan_id": 200,
            "primary_peer_address_prefix": "192.168.100.128/30",
            "secondary_peer_address_prefix": "192.168.100.132/30",
            "shared_key": MD5_KEY,
        },
    )
    assert configured.status_code == 302, configured.content.decode()
    created = superuser_client.post(
        reverse("circuits:authorization_create", kwargs={"pk": circuit.pk}), {"name": "partner-sub"}
    )
    authorization_key = created.context["key"]
    linked = superuser_client.post(
        reverse("circuits:vnet_link_create", kwargs={"pk": circuit.pk}),
        {
            "name": "partner-link",
            "vnet_resource_id": f"/subscriptions/{uuid.uuid4()}/resourceGroups/rg/providers/"
            "Microsoft.Network/virtualNetworks/partner",
            "gateway_name": "ergw",
            "authorization_key": authorization_key,
        },
    )
    assert linked.status_code == 302, linked.content.decode()
    hooked = superuser_client.post(
        reverse("webhooks:endpoint_create"),
        {"name": "chatops", "url": "http://127.0.0.1:9/", "teams": [team.pk], "event_types": ["circuit.created"]},
    )
    return circuit, (MD5_KEY, authorization_key, hooked.context["secret"])


def assert_absent(text, secrets, where):
    for secret in secrets:
        assert secret not in text, f"a secret appears in {where}"


def test_secrets_never_appear_in_any_page_or_fragment(superuser_client, every_page, entered_secrets):
    circuit, secrets = entered_secrets
    pages = [*every_page, reverse("circuits:circuit_detail", kwargs={"pk": circuit.pk}), "/admin/circuits/circuit/"]
    pages += [f"/admin/peerings/peering/{peering.pk}/change/" for peering in circuit.peerings.all()]
    pages += [f"/admin/circuits/authorization/{a.pk}/change/" for a in circuit.authorizations.all()]
    pages += [f"/admin/webhooks/endpoint/{pk}/change/" for pk in Endpoint.objects.values_list("pk", flat=True)]
    for url in pages:
        for headers in ({}, {"HX-Request": "true"}):
            response = superuser_client.get(url, headers=headers)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert_absent(body.decode(errors="replace"), secrets, url)


def test_secrets_never_appear_in_csv_exports(superuser_client, entered_secrets):
    _, secrets = entered_secrets
    exports = [reverse("circuits:circuit_export"), reverse("circuits:circuit_export") + "?deleted=include"]
    exports += [reverse("billing:export", kwargs={"table": table}) for table in BILLING_TABLES]
    for url in exports:
        response = superuser_client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, url
        assert_absent(body.decode(), secrets, url)


def test_secrets_never_appear_in_the_log(entered_secrets, caplog):
    _, secrets = entered_secrets
    records = caplog.get_records("setup")  # the secrets were entered while setting up

    assert records  # the capture worked
    assert_absent("\n".join(f"{record.getMessage()} {record.__dict__}" for record in records), secrets, "the log")


def test_secrets_never_appear_in_audit_events_notifications_or_e_mail(entered_secrets):
    _, secrets = entered_secrets
    for model in django_apps.get_app_config("audit").get_models():
        assert_absent(repr(list(model.objects.values())), secrets, model._meta.label)
    assert_absent(repr(list(Notification.objects.values())), secrets, "notifications")
    assert_absent(repr([(m.subject, m.body) for m in mail.outbox]), secrets, "e-mail")


def test_secrets_are_stored_only_as_digests(entered_secrets):
    circuit, secrets = entered_secrets
    for label in ("circuits", "peerings"):
        for model in django_apps.get_app_config(label).get_models():
            assert_absent(repr(list(model.objects.values())), secrets, model._meta.label)
    assert circuit.peerings.get().shared_key_digest
