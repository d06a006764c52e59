from circuits.checklist import circuit_checklist
from circuits.demo import seed_demo_estate
from circuits.models import Circuit
from circuits.selectors import circuit_list


def test_seed_demo_creates_an_estate_covering_every_state_once(db):
    created, users = seed_demo_estate()
    assert created >= 40
    assert {"engineer", "approver", "manager"} <= set(users)
    states = set(Circuit.objects.values_list("service_provider_provisioning_state", flat=True))
    assert {"NotProvisioned", "Provisioning", "Provisioned", "Deprovisioning"} <= states
    assert Circuit.objects.filter(deleted_at__isnull=True, deprovisioned_at__isnull=False).exists()
    assert any(circuit_checklist(c).is_complete for c in circuit_list())

    assert seed_demo_estate()[0] == 0


def test_seed_demo_prices_are_labelled_illustrative_and_leave_some_circuits_unpriced(db):
    from billing.models import PortPrice
    from circuits.demo import DEMO_PRICE_SOURCE

    seed_demo_estate()
    assert PortPrice.objects.filter(source=DEMO_PRICE_SOURCE).exists()
    assert not PortPrice.objects.filter(zone="Zone 4").exists()


def test_seed_demo_microsoft_peerings_show_each_registry_verdict(db):
    from peerings.models import AdvertisedPrefix, PrefixValidationTicket

    seed_demo_estate()
    states = set(AdvertisedPrefix.objects.values_list("validation_state", flat=True))
    assert {"Configured", "AsnValidationFailed", "ValidationNeeded"} <= states
    assert PrefixValidationTicket.objects.filter(status="open").exists()


def test_seed_demo_flags_its_stuck_circuits_through_the_audited_service(db):
    from audit.models import AuditEvent

    seed_demo_estate()
    stuck = Circuit.objects.filter(is_stuck=True)
    assert stuck.exists()
    assert AuditEvent.objects.filter(field="is_stuck", to_value="True").count() == stuck.count()
