import pytest

from outbox.models import OutboxMessage
from tests.accounts.factories import UserFactory


@pytest.mark.django_db
def test_administrators_see_pending_messages_and_their_errors(client):
    OutboxMessage.objects.create(task="notifications.send_email", args=[7], last_error="Connection refused")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get("/admin/outbox/outboxmessage/?sent_at__isempty=1").content.decode()
    assert "notifications.send_email" in page and "Connection refused" in page
