"""The five-step checklist in each situation a circuit can be in (derived, never stored)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from circuits.checklist import circuit_checklist
from circuits.models import Circuit
from circuits.selectors import ONBOARDED, circuit_onboarding_queryset, with_workflow_step
from tests.circuits.factories import CircuitFactory, ProviderOrderFactory, ServiceProviderFactory, VNetLinkFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory, PrefixValidationTicketFactory

pytestmark = pytest.mark.django_db


def checklist_of(circuit, django_assert_num_queries=None):
    """The checklist as a page computes it: from the prefetched circuit, with no further queries."""
    circuit = circuit_onboarding_queryset().get(pk=circuit.pk)
    if django_assert_num_queries is None:
        return circuit_checklist(circuit)
    with django_assert_num_queries(0):
        return circuit_checklist(circuit)


def summary(checklist):
    return [(step.number, step.status, step.who) for step in checklist.steps]


def step(circuit, number):
    return checklist_of(circuit).steps[number - 1]


def onboarded(layer="Layer2", **circuit_fields):
    circuit = CircuitFactory(provisioned=True, service_provider=ServiceProviderFactory(layer=layer), **circuit_fields)
    ProviderOrderFactory(circuit=circuit)
    PeeringFactory(circuit=circuit, sessions="Established")
    VNetLinkFactory(circuit=circuit, connection_status="Connected")
    return circuit


def test_new_circuit_waits_for_the_engineer_to_order():
    checklist = checklist_of(CircuitFactory())

    assert summary(checklist) == [
        (1, "done", ""),
        (2, "not_started", "engineer"),
        (3, "not_started", "provider"),
        (4, "not_started", ""),
        (5, "not_started", ""),
    ]
    assert checklist.current.number == 2
    assert "service key issued" in checklist.steps[0].reason


def test_a_circuit_whose_key_azure_has_not_issued_does_not_claim_one():
    checklist = checklist_of(CircuitFactory(service_key=None))
    assert "has not issued its service key yet" in checklist.steps[0].reason


def test_draft_order_is_in_progress_for_the_engineer():
    circuit = ProviderOrderFactory(status="draft").circuit

    assert (step(circuit, 2).status, step(circuit, 2).who) == ("in_progress", "engineer")


def test_ordered_circuit_waits_on_the_provider_with_its_promised_date():
    order = ProviderOrderFactory(promised_on=timezone.now().date() + timedelta(days=5))

    ordered = step(order.circuit, 2)

    assert (ordered.status, ordered.who) == ("waiting", "provider")
    assert f"{order.promised_on:%Y-%m-%d}" in ordered.next_action


def test_cancelled_order_counts_as_no_order():
    circuit = ProviderOrderFactory(status="cancelled").circuit

    assert step(circuit, 2).status == "not_started"


def test_provisioning_circuit_waits_on_the_provider():
    circuit = ProviderOrderFactory(circuit=CircuitFactory(service_provider_provisioning_state="Provisioning")).circuit

    assert summary(checklist_of(circuit))[1:3] == [(2, "done", ""), (3, "waiting", "provider")]


def test_stuck_provisioning_is_blocked_until_the_engineer_chases_the_provider():
    circuit = CircuitFactory(service_provider_provisioning_state="Provisioning", is_stuck=True)

    stuck = step(circuit, 3)

    assert (stuck.status, stuck.who) == ("blocked", "engineer")
    assert stuck.reason.startswith("Stuck")


def test_provisioned_layer2_circuit_waits_for_the_engineer_to_configure_routing():
    checklist = checklist_of(CircuitFactory(provisioned=True))

    assert summary(checklist)[2:4] == [(3, "done", ""), (4, "not_started", "engineer")]


def test_provisioned_layer3_circuit_waits_for_the_provider_to_configure_routing():
    circuit = CircuitFactory(provisioned=True, service_provider=ServiceProviderFactory(layer="Layer3"))

    assert summary(checklist_of(circuit))[3] == (4, "waiting", "provider")


def test_microsoft_status_not_enabled_blocks_on_microsoft():
    circuit = CircuitFactory(provisioned=True, circuit_provisioning_state="Disabled")

    checklist = checklist_of(circuit)

    assert summary(checklist)[2:4] == [(3, "blocked", "Microsoft"), (4, "not_started", "")]
    assert "Disabled" in checklist.steps[2].reason


@pytest.mark.parametrize(("layer", "who"), [("Layer2", "engineer"), ("Layer3", "provider")])
def test_peering_waits_on_bgp_from_whoever_runs_the_routers(layer, who):
    peering = PeeringFactory(
        circuit=CircuitFactory(provisioned=True, service_provider=ServiceProviderFactory(layer=layer))
    )
    session = peering.bgp_sessions.get(link="primary")
    session.state = "Established"
    session.save()

    routing = step(peering.circuit, 4)

    assert (routing.status, routing.who) == ("waiting", who)
    assert "secondary link" in routing.reason


def test_microsoft_peering_configuring_waits_on_microsoft():
    peering = PeeringFactory(microsoft=True)

    assert (step(peering.circuit, 4).status, step(peering.circuit, 4).who) == ("waiting", "Microsoft")


def test_microsoft_peering_validation_needed_without_ticket_is_blocked_on_the_engineer():
    peering = PeeringFactory(microsoft=True, advertised_public_prefixes_state="ValidationNeeded")
    AdvertisedPrefixFactory(peering=peering, prefix="80.1.16.0/22", validation_state="ValidationNeeded")

    routing = step(peering.circuit, 4)

    assert (routing.status, routing.who) == ("blocked", "engineer")
    assert "80.1.16.0/22" in routing.reason
    assert "RIPENCC" in routing.next_action


def test_microsoft_peering_validation_needed_with_open_ticket_waits_on_an_approver():
    ticket = PrefixValidationTicketFactory()
    AdvertisedPrefixFactory(peering=ticket.peering, validation_state="ValidationNeeded")

    routing = step(ticket.peering.circuit, 4)

    assert (routing.status, routing.who) == ("waiting", "approver")
    assert f"#{ticket.pk}" in routing.reason


def test_microsoft_peering_validation_needed_with_only_decided_tickets_is_blocked_again():
    ticket = PrefixValidationTicketFactory(status="rejected")

    assert step(ticket.peering.circuit, 4).status == "blocked"


def test_routing_up_without_links_waits_for_the_engineer_to_link_a_vnet():
    peering = PeeringFactory(sessions="Established")

    assert summary(checklist_of(peering.circuit))[3:] == [(4, "done", ""), (5, "not_started", "engineer")]


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["Connecting"], ("waiting", "Microsoft")),
        (["Unknown", "Connected"], ("waiting", "Microsoft")),
        (["Connected", "NotConnected"], ("blocked", "engineer")),
        (["Connected", "Connected"], ("done", "")),
    ],
)
def test_links_step_follows_the_connection_statuses(statuses, expected):
    circuit = PeeringFactory(sessions="Established").circuit
    for status in statuses:
        VNetLinkFactory(circuit=circuit, connection_status=status)

    links = step(circuit, 5)

    assert (links.status, links.who) == expected


def test_fully_onboarded_circuit_is_complete_in_a_fixed_number_of_queries(django_assert_num_queries):
    checklist = checklist_of(onboarded(), django_assert_num_queries)

    assert checklist.is_complete
    assert (checklist.current, checklist.done_count) == (None, 5)


def test_microsoft_only_circuit_needs_no_vnet_links():
    peering = PeeringFactory(microsoft=True, advertised_public_prefixes_state="Configured", sessions="Established")

    checklist = checklist_of(peering.circuit)

    assert checklist.is_complete
    assert "Microsoft peering only" in checklist.steps[4].reason


def test_deprovision_requested_waits_on_the_provider():
    circuit = onboarded(deprovision_requested_at=timezone.now())

    assert summary(checklist_of(circuit))[2] == (3, "waiting", "provider")


def test_deprovisioning_circuit_waits_on_the_provider_then_delete_or_reorder():
    circuit = CircuitFactory(service_provider_provisioning_state="Deprovisioning")

    deprovisioning = step(circuit, 3)

    assert (deprovisioning.status, deprovisioning.who) == ("waiting", "provider")
    assert "delete" in deprovisioning.next_action


@pytest.mark.parametrize("state", ["NotProvisioned", "DeProvisioned"])
def test_deprovisioned_but_not_deleted_is_blocked_on_the_engineer(state):
    circuit = ProviderOrderFactory(circuit=CircuitFactory(service_provider_provisioning_state=state)).circuit
    Circuit.objects.filter(pk=circuit.pk).update(deprovisioned_at=timezone.now())  # after the order

    checklist = checklist_of(circuit)

    assert summary(checklist)[1:3] == [(2, "blocked", "engineer"), (3, "blocked", "engineer")]
    assert "bills until the circuit is deleted" in checklist.steps[2].reason
    assert "delete the circuit" in checklist.steps[1].next_action


def test_deprovisioned_reported_without_a_date_is_still_deprovisioned():
    circuit = CircuitFactory(service_provider_provisioning_state="DeProvisioned")

    assert summary(checklist_of(circuit))[1:3] == [(2, "blocked", "engineer"), (3, "blocked", "engineer")]


def test_reorder_after_deprovisioning_waits_on_the_provider_again():
    circuit = CircuitFactory(deprovisioned_at=timezone.now() - timedelta(days=2))
    ProviderOrderFactory(circuit=circuit)

    assert summary(checklist_of(circuit))[1:3] == [(2, "waiting", "provider"), (3, "not_started", "provider")]


def test_deleted_circuit_blocks_every_step_after_creation():
    circuit = onboarded(created_at=timezone.now() - timedelta(days=30), deleted_at=timezone.now())

    checklist = checklist_of(circuit)

    assert [s.status for s in checklist.steps] == ["done", "blocked", "blocked", "blocked", "blocked"]
    assert all("deleted" in s.reason for s in checklist.steps[1:])


def test_microsoft_peering_without_a_route_filter_is_blocked_on_the_engineer():
    peering = PeeringFactory(
        microsoft=True, advertised_public_prefixes_state="Configured", sessions="Established", route_filter=""
    )

    step = checklist_of(peering.circuit).current

    assert (step.number, step.status, step.who) == (4, "blocked", "engineer")
    assert "no route filter" in step.reason


def test_circuits_older_than_august_2017_need_no_route_filter():
    circuit = CircuitFactory(provisioned=True, created_at=datetime(2017, 7, 31, tzinfo=UTC))
    PeeringFactory(
        circuit=circuit,
        microsoft=True,
        advertised_public_prefixes_state="Configured",
        sessions="Established",
        route_filter="",
    )

    assert checklist_of(circuit).is_complete


def test_a_new_microsoft_peering_needing_validation_keeps_an_onboarded_circuit_onboarded():
    circuit = onboarded()
    peering = PeeringFactory(circuit=circuit, microsoft=True, advertised_public_prefixes_state="ValidationNeeded")
    AdvertisedPrefixFactory(peering=peering, prefix="80.1.16.0/22", validation_state="ValidationNeeded")

    checklist = checklist_of(circuit)

    assert summary(checklist)[3:] == [(4, "done", "engineer"), (5, "done", "")]
    assert checklist.is_complete
    assert "Microsoft peering: 1 prefix needs validation (80.1.16.0/22)" in checklist.steps[3].reason
    assert with_workflow_step(Circuit.objects.filter(pk=circuit.pk)).get().workflow_step == ONBOARDED


def test_a_connected_vnet_link_is_done_whatever_routing_says():
    circuit = PeeringFactory().circuit  # BGP down
    VNetLinkFactory(circuit=circuit, connection_status="Connected")

    assert summary(checklist_of(circuit))[3:] == [(4, "waiting", "engineer"), (5, "done", "")]


@pytest.mark.parametrize(("count", "reason"), [(1, "1 prefix needs validation"), (2, "2 prefixes need validation")])
def test_the_prefix_count_is_spelled_for_its_number(count, reason):
    peering = PeeringFactory(microsoft=True, advertised_public_prefixes_state="ValidationNeeded")
    for n in range(count):
        AdvertisedPrefixFactory(peering=peering, prefix=f"80.1.{n}.0/24", validation_state="ValidationNeeded")

    assert reason in step(peering.circuit, 4).reason


def test_a_provider_state_azure_does_not_document_is_not_called_not_started():
    provisioning = step(CircuitFactory(service_provider_provisioning_state="Suspended"), 3)

    assert (provisioning.status, provisioning.who) == ("blocked", "engineer")
    assert "Suspended" in provisioning.reason and "has not started" not in provisioning.reason


PROVIDER_STATES = ["NotProvisioned", "Provisioning", "Provisioned", "Deprovisioning", "DeProvisioned", "Suspended"]
BGP_STATES = ["Idle", "Active", "Established"]
PREFIX_STATES = ["NotConfigured", "Configuring", "Configured", "ValidationNeeded"]
LINK_STATUSES = ["Unknown", "Connecting", "Connected", "NotConnected"]
peering_shapes = st.fixed_dictionaries(
    {"sessions": st.sampled_from(BGP_STATES), "prefixes": st.sampled_from(PREFIX_STATES), "filter": st.booleans()}
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    provider_state=st.sampled_from(PROVIDER_STATES),
    enabled=st.booleans(),
    layer=st.sampled_from(["Layer2", "Layer3"]),
    order=st.sampled_from([None, "draft", "ordered", "cancelled"]),
    private=st.one_of(st.none(), peering_shapes),
    microsoft=st.one_of(st.none(), peering_shapes),
    links=st.lists(st.sampled_from(LINK_STATUSES), max_size=3),
)
@example(  # found by hypothesis: the list's SQL called a Microsoft-only circuit with a link pending onboarded
    provider_state="Provisioned",
    enabled=True,
    layer="Layer2",
    order=None,
    private=None,
    microsoft={"sessions": "Established", "prefixes": "Configured", "filter": True},
    links=["Unknown"],
)
def test_no_step_reads_not_started_while_its_evidence_holds(
    provider_state, enabled, layer, order, private, microsoft, links
):
    circuit = CircuitFactory(
        service_provider=ServiceProviderFactory(layer=layer),
        service_provider_provisioning_state=provider_state,
        circuit_provisioning_state="Enabled" if enabled else "Disabled",
    )
    if order:
        ProviderOrderFactory(circuit=circuit, status=order)
    for shape, traits in ((private, {}), (microsoft, {"microsoft": True})):
        if shape:
            PeeringFactory(
                circuit=circuit,
                sessions=shape["sessions"],
                advertised_public_prefixes_state=shape["prefixes"] if traits else "NotConfigured",
                route_filter="rf" if shape["filter"] else "",
                **traits,
            )
    for status in links:
        VNetLinkFactory(circuit=circuit, connection_status=status)

    checklist = checklist_of(circuit)
    statuses = {s.number: s.status for s in checklist.steps}
    evidence = {
        2: (order and order != "cancelled") or provider_state != "NotProvisioned",
        3: provider_state != "NotProvisioned",
        4: bool(private or microsoft),
        5: bool(links),
    }
    for number, holds in evidence.items():
        assert not (holds and statuses[number] == "not_started"), (number, checklist.steps[number - 1].reason)
    if links and set(links) == {"Connected"}:
        assert statuses[5] == "done"
    current = checklist.current
    workflow_step = with_workflow_step(Circuit.objects.filter(pk=circuit.pk)).get().workflow_step
    assert workflow_step == (current.number if current else ONBOARDED)
