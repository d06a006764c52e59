"""The revalidation tasks: explicit names, queued by name, and the names they had before the move."""

import pytest
from celery import current_app

from outbox.models import OutboxMessage
from outbox.services import enqueue, outbox_relay
from tests.peerings.factories import AdvertisedPrefixFactory, PeeringFactory
from tests.registry.factories import RouteObjectFactory
from validation import tasks

pytestmark = pytest.mark.django_db

OLD_NAMES = {
    "registry.tasks.peering_revalidate": "validation.revalidate_peering",
    "registry.tasks.microsoft_peerings_revalidate": "validation.revalidate_microsoft_peerings",
}


@pytest.fixture
def waiting():
    """A Microsoft peering whose prefix waits for validation, and the route object that validates it."""
    peering = PeeringFactory(microsoft=True, peer_asn=13335, routing_registry_name="RADB")
    AdvertisedPrefixFactory(peering=peering, prefix="80.10.5.0/24", validation_state="Configuring")
    RouteObjectFactory(prefix="80.10.0.0/16", origin=13335, source="RADB")
    return peering


PER_PEERING = {"registry.tasks.peering_revalidate", "validation.revalidate_peering"}


def _args(name, peering):
    return [peering.pk, "queued"] if name in PER_PEERING else ["queued"]


def test_every_task_is_registered_under_its_explicit_name():
    assert tasks.revalidate_peering.name == "validation.revalidate_peering"
    assert tasks.revalidate_microsoft_peerings.name == "validation.revalidate_microsoft_peerings"
    assert set(OLD_NAMES.values()) <= set(current_app.tasks)


@pytest.mark.parametrize("old_name", OLD_NAMES)
def test_the_old_names_stay_registered_for_messages_queued_before_the_move(old_name):
    assert old_name in current_app.tasks


@pytest.mark.parametrize("name", [*OLD_NAMES, *OLD_NAMES.values()])
def test_a_message_waiting_in_the_outbox_under_either_name_is_published_and_runs(waiting, name):
    message = OutboxMessage.objects.create(task=name, args=_args(name, waiting))

    assert outbox_relay() == 1

    message.refresh_from_db()
    waiting.refresh_from_db()
    assert message.sent_at is not None and not message.last_error
    assert waiting.advertised_prefixes.get().validation_state == "Configured"
    assert waiting.advertised_public_prefixes_state == "Configured"


def test_a_service_queues_revalidation_by_name_without_importing_the_task(waiting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue("validation.revalidate_peering", waiting.pk, "New prefixes.")

    message.refresh_from_db()
    assert (message.task, message.args, message.sent_at is not None) == (
        "validation.revalidate_peering",
        [waiting.pk, "New prefixes."],
        True,
    )
    assert waiting.advertised_prefixes.get().validation_state == "Configured"
