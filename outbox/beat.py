"""The relay runs inside beat, the one process production always has exactly one of.

It is a thread started when beat starts, not a scheduled task: a task would need the broker that
is down to be delivered, and a worker would need it to run. Every ONRAMP_OUTBOX_RELAY_INTERVAL
seconds it publishes whatever is still pending; while the broker is down each try fails fast.
"""

import logging
import threading

from celery.signals import beat_init
from django.conf import settings
from django.db import close_old_connections

from .services import outbox_relay

logger = logging.getLogger(__name__)


def relay_forever(*, interval: float, stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    while not stop.wait(interval):
        close_old_connections()  # a database restart leaves a dead connection: drop it, reconnect
        try:
            delivered = outbox_relay()
        except Exception:  # the loop must outlive a database or broker outage
            logger.exception("Outbox relay failed; trying again in %s s.", interval)
        else:
            if delivered:
                logger.info("Outbox relay delivered %s pending tasks.", delivered)


@beat_init.connect(dispatch_uid="outbox.relay")
def _start_relay(sender=None, **kwargs):
    thread = threading.Thread(
        target=relay_forever,
        kwargs={"interval": settings.ONRAMP_OUTBOX_RELAY_INTERVAL},
        name="outbox-relay",
        daemon=True,
    )
    thread.start()
