from io import StringIO

import pytest
from django.core.management import call_command

from notifications.tasks import heartbeat
from outbox.models import OutboxMessage


@pytest.mark.django_db
def test_outbox_relay_publishes_what_is_pending():
    OutboxMessage.objects.create(task=heartbeat.name)
    out = StringIO()
    call_command("outbox_relay", stdout=out)
    assert out.getvalue() == "1 outbox messages published.\n"
    assert not OutboxMessage.objects.filter(sent_at=None).exists()
