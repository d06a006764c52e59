"""The engineer's actions on a circuit: each declared once over tests/support/actions.py (the form, the
service it calls, the refusal it shows, who may), then what is particular to one action: keys shown
once, Azure's blockers, rules that span fields, nothing half-saved, secrets never rendered back."""

import pytest
from django.urls import reverse
from django.utils import timezone

from circuits.models import Authorization, Circuit, ProviderOrder
from tests.accounts.factories import TeamFactory, UserFactory
from tests.circuits.factories import AuthorizationFactory, CircuitFactory, ProviderOrderFactory, VNetLinkFactory
from tests.peerings.factories import PeeringFactory
from tests.support.actions import ActionCase, ActionViewTests
from tests.support.snapshots import domain_snapshot

SUBSCRIPTION = "6f1c1d2e-0000-4000-8000-000000000001"
OTHER_SUBSCRIPTION = "6f1c1d2e-0000-4000-8000-000000000002"


def url(name, circuit, *args):
    return reverse(f"circuits:{name}", args=[circuit.pk, *args])


def vnet_id(subscription, name="vnet-hub"):
    return f"/subscriptions/{subscription}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/{name}"


@pytest.fixture
def own_circuit(team):
    return CircuitFactory(team=team, subscription_id=SUBSCRIPTION)


@pytest.fixture
def ready_circuit(team):
    """Provisioned, with private peering: ready for VNet links."""
    return PeeringFactory(circuit=CircuitFactory(team=team, subscription_id=SUBSCRIPTION, provisioned=True)).circuit


@pytest.fixture
def unchanged(db):
    """Assert the block leaves every domain row exactly as it was."""

    class Unchanged:
        def __enter__(self):
            self.before = domain_snapshot()

        def __exit__(self, *exc):
            assert domain_snapshot() == self.before

    return Unchanged


# Every action, declared once (tests/support/actions.py): the form, the service, the refusal, the roles.


def provisioned(team):
    return CircuitFactory(team=team, subscription_id=SUBSCRIPTION, provisioned=True)


def ready(team):
    """Provisioned, with private peering: ready for VNet links."""
    return PeeringFactory(circuit=provisioned(team)).circuit


def with_microsoft_peering(team):
    return PeeringFactory(circuit=provisioned(team), microsoft=True).circuit


def microsoft_peering(circuit):
    return {"peering_pk": circuit.peerings.get(peering_type="MicrosoftPeering").pk}


TOO_LONG_REASON = {"reason": "x" * 201}
REASON_REFUSED = ("reason", "at most 200 characters")
ORDER = {"status": "ordered", "provider_reference": "EQX-1234", "requested_on": "2026-11-01"}
ORDER_DATES_REVERSED = {"status": "ordered", "requested_on": "2026-11-10", "promised_on": "2026-11-01"}
PRIVATE_PEERING = {
    "peering_type": "AzurePrivatePeering",
    "peer_asn": 65010,
    "vlan_id": 100,
    "primary_peer_address_prefix": "192.168.100.128/30",
    "secondary_peer_address_prefix": "192.168.100.132/30",
}


class TestProviderOrderCreate(ActionViewTests):
    case = ActionCase(
        "order_create",
        circuit=lambda team: CircuitFactory(team=team),
        data=lambda circuit: ORDER,
        service="circuits.services.provider_order_save",
        bad_data=lambda circuit: ORDER_DATES_REVERSED,
        refusal=("promised_on", "cannot be before the requested date"),
    )


class TestProviderOrderUpdate(ActionViewTests):
    case = ActionCase(
        "order_update",
        circuit=lambda team: ProviderOrderFactory(circuit=CircuitFactory(team=team)).circuit,
        url_kwargs=lambda circuit: {"order_pk": circuit.provider_orders.get().pk},
        data=lambda circuit: ORDER,
        service="circuits.services.provider_order_save",
        bad_data=lambda circuit: ORDER_DATES_REVERSED,
        refusal=("promised_on", "cannot be before the requested date"),
    )


class TestAuthorizationCreate(ActionViewTests):
    case = ActionCase(
        "authorization_create",
        circuit=ready,
        data=lambda circuit: {"name": "other-sub"},
        service="circuits.services.authorization_create",
        bad_data=lambda circuit: {"name": "-other sub"},
        refusal=("name", "1–80 letters"),
        success_status=200,  # the key, shown once
    )


class TestAuthorizationDelete(ActionViewTests):
    case = ActionCase(
        "authorization_delete",
        circuit=lambda team: AuthorizationFactory(circuit=ready(team)).circuit,
        url_kwargs=lambda circuit: {"authorization_pk": circuit.authorizations.get().pk},
        data=lambda circuit: {"reason": "moved"},
        service="circuits.services.authorization_delete",
        bad_data=lambda circuit: TOO_LONG_REASON,
        refusal=REASON_REFUSED,
    )


class TestVNetLinkCreate(ActionViewTests):
    case = ActionCase(
        "vnet_link_create",
        circuit=ready,
        data=lambda circuit: {"name": "hub", "vnet_resource_id": vnet_id(SUBSCRIPTION), "gateway_name": "ergw"},
        service="circuits.services.vnet_link_create",
        bad_data=lambda circuit: {
            "name": "hub",
            "vnet_resource_id": vnet_id(SUBSCRIPTION),
            "gateway_name": "ergw",
            "address_space": circuit.peerings.get().primary_peer_address_prefix,
        },
        refusal=("address_space", "overlaps the private peering subnet"),
    )


class TestVNetLinkDelete(ActionViewTests):
    case = ActionCase(
        "vnet_link_delete",
        circuit=lambda team: VNetLinkFactory(circuit=ready(team)).circuit,
        url_kwargs=lambda circuit: {"link_pk": circuit.vnet_links.get().pk},
        data=lambda circuit: {"reason": "moved"},
        service="circuits.services.vnet_link_delete",
        bad_data=lambda circuit: TOO_LONG_REASON,
        refusal=REASON_REFUSED,
    )


class TestUpgrade(ActionViewTests):
    case = ActionCase(
        "circuit_upgrade",
        circuit=lambda team: CircuitFactory(team=team, bandwidth_mbps=1000),
        data=lambda circuit: {"sku_tier": "Premium", "sku_family": "UnlimitedData", "bandwidth_mbps": 2000},
        service="circuits.services.circuit_upgrade",
        bad_data=lambda circuit: {"sku_tier": "Standard", "sku_family": "MeteredData", "bandwidth_mbps": 500},
        refusal=("bandwidth_mbps", "can only go up"),
    )


class TestDeprovision(ActionViewTests):
    case = ActionCase(
        "circuit_deprovision",
        circuit=provisioned,
        data=lambda circuit: {"reason": "Site closed."},
        service="circuits.services.circuit_request_deprovision",
        bad_data=lambda circuit: TOO_LONG_REASON,
        refusal=REASON_REFUSED,
    )


class TestCircuitDelete(ActionViewTests):
    case = ActionCase(
        "circuit_delete",
        circuit=lambda team: CircuitFactory(team=team),
        data=lambda circuit: {"reason": "unused"},
        service="circuits.services.circuit_delete",
        bad_data=lambda circuit: TOO_LONG_REASON,
        refusal=REASON_REFUSED,
    )


class TestPeeringCreate(ActionViewTests):
    case = ActionCase(
        "peering_create",
        circuit=provisioned,
        data=lambda circuit: PRIVATE_PEERING,
        service="peerings.services.peering_configure",
        bad_data=lambda circuit: {**PRIVATE_PEERING, "vlan_id": 5000},
        refusal=("vlan_id", "less than or equal to 4094"),
    )


class TestRouteFilter(ActionViewTests):
    case = ActionCase(
        "peering_route_filter",
        circuit=with_microsoft_peering,
        url_kwargs=microsoft_peering,
        data=lambda circuit: {"route_filter": "rf-microsoft-365"},
        service="peerings.services.peering_set_route_filter",
        bad_data=lambda circuit: {"route_filter": "x" * 401},
        refusal=("route_filter", "at most 400 characters"),
    )


class TestPeeringPrefixes(ActionViewTests):
    case = ActionCase(
        "peering_prefixes",
        circuit=with_microsoft_peering,
        url_kwargs=microsoft_peering,
        data=lambda circuit: {"advertised_public_prefixes": "80.9.16.0/22", "routing_registry_name": "RIPENCC"},
        service="peerings.services.peering_update_prefixes",
        bad_data=lambda circuit: {"advertised_public_prefixes": "10.0.0.0/24", "routing_registry_name": "RIPENCC"},
        refusal=("advertised_public_prefixes", "10.0.0.0/24"),
    )


# Access beyond the declarations below


def test_superusers_act_on_any_circuit(client, db):
    client.force_login(UserFactory(username="root", is_superuser=True))
    circuit = CircuitFactory(team=TeamFactory(name="Elsewhere"))
    client.post(url("circuit_delete", circuit), {"reason": "unused"})
    assert Circuit.objects.get(pk=circuit.pk).is_deleted


# Step 2: the provider order


def test_recording_the_order_moves_step_two_to_waiting_for_the_provider(engineer_client, own_circuit):
    response = engineer_client.post(
        url("order_create", own_circuit),
        {"status": "ordered", "provider_reference": "EQX-1234", "requested_on": "2026-11-01"},
        follow=True,
    )
    assert ProviderOrder.objects.get(circuit=own_circuit).provider_reference == "EQX-1234"
    assert "the provider has not started yet" in response.content.decode()


def test_an_order_can_be_updated(engineer_client, own_circuit):
    engineer_client.post(url("order_create", own_circuit), {"status": "draft", "provider_reference": "A-1"})
    order = ProviderOrder.objects.get()
    form = engineer_client.get(url("order_update", own_circuit, order.pk)).context["form"]
    assert form.initial["provider_reference"] == "A-1"
    engineer_client.post(url("order_update", own_circuit, order.pk), {"status": "ordered", "provider_reference": "A-2"})
    assert ProviderOrder.objects.get().provider_reference == "A-2"


# Step 5: authorizations and VNet links


def test_an_authorization_key_is_shown_once_and_never_again(engineer_client, ready_circuit):
    response = engineer_client.post(url("authorization_create", ready_circuit), {"name": "other-sub"})
    key = response.context["key"]
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert Authorization.objects.get().authorization_key_digest != key
    assert key not in engineer_client.get(ready_circuit.get_absolute_url()).content.decode()


def test_a_wrong_authorization_key_is_refused_next_to_the_field_and_not_rendered_back(
    engineer_client, ready_circuit, refused_post
):
    AuthorizationFactory(circuit=ready_circuit)
    response = refused_post(
        engineer_client,
        url("vnet_link_create", ready_circuit),
        {
            "name": "spoke",
            "vnet_resource_id": vnet_id(OTHER_SUBSCRIPTION),
            "gateway_name": "ergw",
            "authorization_key": "typed-secret-key-123",
        },
    )
    assert "No authorization of this circuit has that key." in response.context["form"].errors["authorization_key"]
    assert "typed-secret-key-123" not in response.content.decode()


def test_a_used_authorization_key_is_refused(engineer_client, ready_circuit):
    used = AuthorizationFactory(circuit=ready_circuit, name="used", authorization_use_status="InUse")
    response = engineer_client.post(
        url("vnet_link_create", ready_circuit),
        {
            "name": "spoke",
            "vnet_resource_id": vnet_id(OTHER_SUBSCRIPTION),
            "gateway_name": "ergw",
            "authorization_key": f"key-{used.name}",
        },
    )
    assert "already in use" in " ".join(response.context["form"].errors["authorization_key"])


def test_a_malformed_vnet_resource_id_is_refused(engineer_client, ready_circuit, refused_post):
    response = refused_post(
        engineer_client,
        url("vnet_link_create", ready_circuit),
        {"name": "hub", "vnet_resource_id": "vnet-hub", "gateway_name": "ergw"},
    )
    assert "vnet_resource_id" in response.context["form"].errors


def test_a_vnet_link_before_private_peering_is_refused_with_the_reason(engineer_client, team, refused_post):
    circuit = CircuitFactory(team=team, subscription_id=SUBSCRIPTION, provisioned=True)
    response = refused_post(
        engineer_client,
        url("vnet_link_create", circuit),
        {"name": "hub", "vnet_resource_id": vnet_id(SUBSCRIPTION), "gateway_name": "ergw"},
    )
    assert "Configure Azure private peering first" in " ".join(response.context["form"].non_field_errors())


# Deprovision and delete


def test_deleting_a_provisioned_circuit_is_refused_with_azures_reason(engineer_client, team, refused_post):
    circuit = CircuitFactory(team=team, provisioned=True)
    page = engineer_client.get(url("circuit_delete", circuit)).content.decode()
    assert "ask the provider to deprovision first" in page
    response = refused_post(engineer_client, url("circuit_delete", circuit), {"reason": "x"})
    assert "ConflictError" in response.content.decode()


def test_the_delete_button_is_disabled_while_azure_would_refuse_and_the_refusal_shows_once(
    engineer_client, team, refused_post
):
    circuit = CircuitFactory(team=team, provisioned=True)
    page = engineer_client.get(url("circuit_delete", circuit)).content.decode()
    assert 'class="btn btn-danger solid" disabled' in page
    response = refused_post(engineer_client, url("circuit_delete", circuit), {"reason": "x"})
    assert response.content.decode().count("ask the provider to deprovision first") == 1


def test_deleting_a_not_provisioned_circuit_stops_billing(engineer_client, own_circuit):
    response = engineer_client.post(url("circuit_delete", own_circuit), {"reason": "unused"}, follow=True)
    assert Circuit.objects.get(pk=own_circuit.pk).deleted_at is not None
    assert "billing stops" in response.content.decode()


def test_a_deleted_circuit_refuses_further_actions(engineer_client, team, refused_post):
    now = timezone.now()
    circuit = CircuitFactory(team=team, created_at=now - timezone.timedelta(days=1), deleted_at=now)
    response = refused_post(engineer_client, url("order_create", circuit), {"status": "ordered"})
    assert "deleted" in " ".join(response.context["form"].non_field_errors())


# Upgrade


def test_bandwidth_and_sku_upgrade(engineer_client, own_circuit):
    engineer_client.post(
        url("circuit_upgrade", own_circuit),
        {"sku_tier": "Premium", "sku_family": "UnlimitedData", "bandwidth_mbps": 2000},
    )
    circuit = Circuit.objects.get(pk=own_circuit.pk)
    assert (circuit.sku_tier, circuit.sku_family, circuit.bandwidth_mbps) == ("Premium", "UnlimitedData", 2000)


def test_an_upgrade_with_no_change_says_nothing_changed(engineer_client, own_circuit):
    circuit = own_circuit
    response = engineer_client.post(
        url("circuit_upgrade", circuit),
        {"sku_tier": circuit.sku_tier, "sku_family": circuit.sku_family, "bandwidth_mbps": circuit.bandwidth_mbps},
        follow=True,
    )
    page = response.content.decode()
    assert "Nothing changed" in page and "Circuit upgraded." not in page
    assert not circuit.audit_events.exists()


def test_unlimited_back_to_metered_is_refused_and_rolls_back_the_bandwidth(engineer_client, team, refused_post):
    circuit = CircuitFactory(team=team, sku_family="UnlimitedData")
    response = refused_post(
        engineer_client,
        url("circuit_upgrade", circuit),
        {"sku_tier": "Standard", "sku_family": "MeteredData", "bandwidth_mbps": 2000},
    )
    assert "UnlimitedData back to MeteredData" in " ".join(response.context["form"].errors["sku_family"])


# CSRF


def test_htmx_and_form_posts_need_the_csrf_token(engineer, own_circuit):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(engineer)
    assert client.post(url("circuit_delete", own_circuit), {}).status_code == 403
    client.get(own_circuit.get_absolute_url())
    token = client.cookies["csrftoken"].value
    response = client.post(url("circuit_delete", own_circuit), {}, headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 302
