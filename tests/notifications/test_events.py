import pytest

from circuits import services as circuit_services
from core.actors import SIMULATOR
from notifications.models import Notification
from peerings import services as peering_services
from tests.circuits.factories import CircuitFactory
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory

pytestmark = pytest.mark.django_db


def _kinds(user):
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_bgp_up_is_notified(team, engineer):
    peering = PeeringFactory(circuit__team=team)
    session = peering.bgp_sessions.get(link="primary")
    peering_services.bgp_session_set_state(session=session, to="Established", actor=SIMULATOR)
    assert _kinds(engineer) == ["bgp_up"]


@pytest.mark.parametrize(
    ("state", "kind"), [("Configured", "prefixes_validated"), ("ValidationNeeded", "prefixes_need_validation")]
)
def test_prefix_validation_outcomes_are_notified(team, engineer, state, kind):
    prefix = AdvertisedPrefixFactory(peering__circuit__team=team)
    peering_services.prefix_set_validation_state(prefix=prefix, to=state, actor=SIMULATOR, reason="registry")
    assert _kinds(engineer) == [kind]


def test_a_stuck_circuit_is_notified(team, engineer):
    from datetime import datetime, timedelta

    now = datetime.fromisoformat("2026-11-16T10:00:00+00:00")
    start = now - timedelta(days=30)
    CircuitFactory(
        team=team, service_provider_provisioning_state="Provisioning", created_at=start, state_changed_at=start
    )
    circuit_services.circuits_flag_stuck(now=now)
    (notification,) = Notification.objects.filter(user=engineer)
    assert notification.kind == "stuck"
    assert "business days in Provisioning" in notification.body
