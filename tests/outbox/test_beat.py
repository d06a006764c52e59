"""Beat's relay loop: it delivers what is pending and outlives failures of the database or broker."""

import threading
from unittest import mock

import pytest

from outbox import beat


@pytest.mark.django_db
def test_the_relay_loop_keeps_running_through_failures():
    stop = threading.Event()
    calls = []

    def relay():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database restarting")
        if len(calls) == 3:
            stop.set()
        return 1

    with mock.patch.object(beat, "outbox_relay", side_effect=relay):
        beat.relay_forever(interval=0.01, stop=stop)
    assert len(calls) == 3


def test_beat_starting_starts_the_relay_thread(settings):
    settings.ONRAMP_OUTBOX_RELAY_INTERVAL = 60
    with mock.patch.object(beat.threading, "Thread") as thread:
        beat._start_relay()
    assert thread.call_args.kwargs["kwargs"] == {"interval": 60}
    assert thread.call_args.kwargs["daemon"] is True
    thread.return_value.start.assert_called_once()
