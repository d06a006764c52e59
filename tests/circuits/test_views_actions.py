"""The engineer's action forms: each role's access, refusals next to the field, nothing half-saved,
and secrets never rendered back."""

import pytest
from django.urls import reverse
from django.utils import timezone

from circuits.models import Authorization, Circuit, ProviderOrder, VNetLink
from tests.accounts.factories import TeamFactory, UserFactory
from tests.circuits.factories import (
    AuthorizationFactory,
    CircuitFactory,
    ServiceProviderFactory,
    VNetLinkFactory,
)
from tests.peerings.factories import PeeringFactory
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


def create_data(provider, team, **overrides):
    return {
        "name": "er-ams-prod-01",
        "team": team.pk,
        "subscription_id": SUBSCRIPTION,
        "resource_group": "rg-network",
        "region": "westeurope",
        "service_provider": provider.pk,
        "peering_location": provider.peering_locations.first().pk,
        "bandwidth_mbps": 1000,
        "sku_tier": "Standard",
        "sku_family": "MeteredData",
        **overrides,
    }


# Access


@pytest.mark.parametrize(
    "name", ["order_create", "authorization_create", "vnet_link_create", "circuit_upgrade", "circuit_delete"]
)
@pytest.mark.parametrize("role", ["approver", "manager"])
def test_read_only_roles_get_403_on_every_action(client, request, role, name, own_circuit):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(name, own_circuit)).status_code == 403
    assert client.post(url(name, own_circuit), {"reason": "x"}).status_code == 403


def test_read_only_roles_cannot_create_circuits(client, manager):
    client.force_login(manager)
    assert client.get(reverse("circuits:circuit_create")).status_code == 403


@pytest.mark.parametrize("name", ["order_create", "circuit_deprovision", "circuit_delete", "circuit_upgrade"])
def test_engineers_cannot_reach_other_teams_circuits_by_id(engineer_client, name, unchanged):
    other = CircuitFactory(team=TeamFactory(name="Elsewhere"), provisioned=True)
    with unchanged():
        assert engineer_client.get(url(name, other)).status_code == 404
        assert engineer_client.post(url(name, other), {"reason": "x"}).status_code == 404


def test_superusers_act_on_any_circuit(client, db):
    client.force_login(UserFactory(username="root", is_superuser=True))
    circuit = CircuitFactory(team=TeamFactory(name="Elsewhere"))
    client.post(url("circuit_delete", circuit), {"reason": "unused"})
    assert Circuit.objects.get(pk=circuit.pk).is_deleted


# Step 1: create


def test_creating_a_circuit_shows_the_service_key_to_hand_over(engineer_client, team):
    provider = ServiceProviderFactory(name="Equinix")
    response = engineer_client.post(reverse("circuits:circuit_create"), create_data(provider, team), follow=True)
    circuit = Circuit.objects.get(name="er-ams-prod-01")
    assert response.redirect_chain[-1][0] == circuit.get_absolute_url()
    assert f"give the service key {circuit.service_key} to Equinix" in response.content.decode()


def test_a_bandwidth_the_provider_does_not_offer_is_refused_next_to_the_field(engineer_client, team, refused_post):
    provider = ServiceProviderFactory(bandwidths_offered=[50, 100])
    response = refused_post(engineer_client, reverse("circuits:circuit_create"), create_data(provider, team))
    assert response.status_code == 200
    assert "offers these bandwidths (Mbps): 50, 100" in " ".join(response.context["form"].errors["bandwidth_mbps"])


def test_a_circuit_name_azure_refuses_is_refused(engineer_client, team, refused_post):
    provider = ServiceProviderFactory()
    response = refused_post(
        engineer_client, reverse("circuits:circuit_create"), create_data(provider, team, name="-bad!")
    )
    assert "name" in response.context["form"].errors


def test_engineers_create_circuits_only_for_their_own_teams(engineer_client, refused_post):
    provider, other = ServiceProviderFactory(), TeamFactory(name="Elsewhere")
    response = refused_post(engineer_client, reverse("circuits:circuit_create"), create_data(provider, other))
    assert "team" in response.context["form"].errors


def test_a_second_circuit_for_the_same_azure_resource_is_refused_naming_the_first(engineer_client, team, refused_post):
    provider = ServiceProviderFactory()
    first = CircuitFactory(name="er-ams-prod-01", subscription_id=SUBSCRIPTION, resource_group="rg-network")
    response = refused_post(
        engineer_client,
        reverse("circuits:circuit_create"),
        create_data(provider, team, name="ER-AMS-PROD-01", resource_group="RG-Network"),
    )
    body = response.content.decode()
    assert f"Circuit er-ams-prod-01 (#{first.pk}) is already this Azure resource" in body
    assert f'<a href="{first.get_absolute_url()}">Open er-ams-prod-01</a>' in body


def test_a_deleted_circuit_does_not_hold_its_azure_resource(engineer_client, team):
    provider = ServiceProviderFactory()
    CircuitFactory(
        name="er-ams-prod-01",
        subscription_id=SUBSCRIPTION,
        resource_group="rg-network",
        created_at=timezone.now() - timezone.timedelta(days=2),
        deleted_at=timezone.now(),
    )
    engineer_client.post(reverse("circuits:circuit_create"), create_data(provider, team))
    assert Circuit.objects.filter(name="er-ams-prod-01", deleted_at=None).count() == 1


# Step 2: the provider order


def test_recording_the_order_moves_step_two_to_waiting_for_the_provider(engineer_client, own_circuit):
    response = engineer_client.post(
        url("order_create", own_circuit),
        {"status": "ordered", "provider_reference": "EQX-1234", "requested_on": "2026-11-01"},
        follow=True,
    )
    assert ProviderOrder.objects.get(circuit=own_circuit).provider_reference == "EQX-1234"
    assert "the provider has not started yet" in response.content.decode()


def test_a_promised_date_before_the_requested_date_is_refused(engineer_client, own_circuit, refused_post):
    response = refused_post(
        engineer_client,
        url("order_create", own_circuit),
        {"status": "ordered", "requested_on": "2026-11-10", "promised_on": "2026-11-01"},
    )
    assert "promised_on" in response.context["form"].errors


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


def test_linking_a_vnet_in_the_same_subscription(engineer_client, ready_circuit):
    engineer_client.post(
        url("vnet_link_create", ready_circuit),
        {"name": "hub", "vnet_resource_id": vnet_id(SUBSCRIPTION), "gateway_name": "ergw"},
    )
    assert VNetLink.objects.get().subscription_id.hex == SUBSCRIPTION.replace("-", "")


def test_a_vnet_overlapping_the_peering_subnets_is_refused_next_to_the_address_space(
    engineer_client, ready_circuit, refused_post
):
    subnet = ready_circuit.peerings.get().primary_peer_address_prefix
    response = refused_post(
        engineer_client,
        url("vnet_link_create", ready_circuit),
        {"name": "hub", "vnet_resource_id": vnet_id(SUBSCRIPTION), "gateway_name": "ergw", "address_space": subnet},
    )
    assert "overlaps the private peering subnet" in str(response.context["form"].errors["address_space"])


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


def test_removing_a_vnet_link_and_an_authorization(engineer_client, ready_circuit):
    link = VNetLinkFactory(circuit=ready_circuit)
    authorization = AuthorizationFactory(circuit=ready_circuit)
    engineer_client.post(url("vnet_link_delete", ready_circuit, link.pk), {"reason": "moved"})
    engineer_client.post(url("authorization_delete", ready_circuit, authorization.pk), {})
    assert not VNetLink.objects.exists()
    assert not Authorization.objects.exists()


# Deprovision and delete


def test_deprovisioning_is_requested_from_the_provider(engineer_client, team):
    circuit = CircuitFactory(team=team, provisioned=True)
    engineer_client.post(url("circuit_deprovision", circuit), {"reason": "Site closed."})
    assert Circuit.objects.get(pk=circuit.pk).deprovision_requested_at is not None


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


def test_a_bandwidth_downgrade_is_refused_next_to_the_field(engineer_client, own_circuit, refused_post):
    response = refused_post(
        engineer_client,
        url("circuit_upgrade", own_circuit),
        {"sku_tier": "Standard", "sku_family": "MeteredData", "bandwidth_mbps": 500},
    )
    assert "can only go up" in " ".join(response.context["form"].errors["bandwidth_mbps"])


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
