"""The demo's broker under load: publishers in several processes, one consumer, every message
delivered once and the consumer alive at the end.

The filesystem variant documents why the demo left Kombu's filesystem transport: its consumer can
read a message file its publisher has not finished writing and dies of a JSONDecodeError (the
demo's worker died so, minutes after start). It is expected to fail, and did in about 4 runs of 5 on
the development machine: not strict, as a race that does not show in one run must not fail the
suite. `pytest --runxfail -k filesystem` shows the JSONDecodeError.
"""

import multiprocessing
import traceback

import pytest
from kombu import Connection, Exchange, Queue

import config.celery  # noqa: F401 (registers the demo's sqlite:// transport)

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PUBLISHERS = 4
# Big enough that a file is written in more than one system call, as a Celery message with a
# circuit's payload can be.
PAYLOAD = "x" * 20_000
IDLE_SECONDS = 10  # the consumer gives up when nothing has arrived for this long
QUEUE = Queue("stress", Exchange("stress", type="direct"), routing_key="stress")


def _sqlite_broker(folder):
    return {
        "hostname": f"sqlite:///{folder / 'broker.sqlite3'}",
        "transport_options": {"polling_interval": 0.01},
    }


def _filesystem_broker(folder):
    queue = folder / "queue"
    queue.mkdir()
    (folder / "processed").mkdir()
    options = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "polling_interval": 0.01,
    }
    return {"hostname": "filesystem://", "transport_options": options}


def _publish(broker, publisher, messages_each):
    with Connection(**broker) as connection:
        producer = connection.Producer(serializer="json")
        for number in range(messages_each):
            producer.publish(
                {"id": f"{publisher}-{number}", "payload": PAYLOAD},
                exchange=QUEUE.exchange,
                routing_key="stress",
                declare=[QUEUE],
            )


def _consume(broker, expected, results):
    received = []
    try:
        with (
            Connection(**broker) as connection,
            connection.Consumer(QUEUE, callbacks=[lambda body, message: (received.append(body["id"]), message.ack())]),
        ):
            while len(received) < expected:
                connection.drain_events(timeout=IDLE_SECONDS)
    except Exception:  # reported to the test: a consumer that dies is the failure under test
        results.put(("died", traceback.format_exc(), received))
    else:
        results.put(("alive", "", received))


@pytest.mark.parametrize(
    ("broker_of", "messages_each"),
    [
        pytest.param(_sqlite_broker, 60, id="sqlite"),
        # Kombu's SQLAlchemy transport costs the CPU more per message: the filesystem one is given
        # more messages, so that its race is all but certain to show within a few seconds.
        pytest.param(
            _filesystem_broker,
            250,
            id="filesystem",
            marks=pytest.mark.xfail(strict=False, reason="Kombu's filesystem transport reads half-written messages"),
        ),
    ],
)
def test_every_message_from_concurrent_publishers_is_consumed_once_and_the_consumer_survives(
    broker_of, messages_each, tmp_path
):
    broker = broker_of(tmp_path)
    with Connection(**broker) as connection:
        QUEUE(connection.default_channel).declare()  # before any publisher, as a worker does
    processes = multiprocessing.get_context("fork")
    results = processes.Queue()
    consumer = processes.Process(target=_consume, args=(broker, PUBLISHERS * messages_each, results))
    consumer.start()
    publishers = [
        processes.Process(target=_publish, args=(broker, number, messages_each)) for number in range(PUBLISHERS)
    ]
    for publisher in publishers:
        publisher.start()
    for publisher in publishers:
        publisher.join(timeout=60)
    outcome, error, received = results.get(timeout=60)
    consumer.join(timeout=10)

    assert outcome == "alive", error
    assert sorted(received) == sorted(f"{p}-{n}" for p in range(PUBLISHERS) for n in range(messages_each))
    assert all(publisher.exitcode == 0 for publisher in publishers)
