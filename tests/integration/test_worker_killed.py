"""A task whose worker dies under it is run again: tasks are acknowledged late
(CELERY_TASK_ACKS_LATE), so the broker still holds a message until its task has finished.

Deterministic: the task (tests/support/celery_tasks.py) says it started and then waits to be
released, so the kill always lands in the middle of a run."""

import os
import signal
import time

import pytest
from celery import Celery

from tests.support import celery_tasks
from tests.support.processes import Workers, kill, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture
def test_workers(broker, tmp_path, transactional_db):
    """Workers without beat that also know the test-only tasks."""
    started = Workers(broker, tmp_path, include=[celery_tasks.__name__])
    yield started
    started.stop_all()


@pytest.fixture
def held_task(broker, tmp_path):
    """Queue one hold_until_released task; returns the folder it reports in."""
    folder = tmp_path / "task"
    folder.mkdir()
    with Celery(broker=broker) as client:
        client.send_task(celery_tasks.HOLD, args=[str(folder)])
    return folder


def _started(folder):
    return sorted(int(path.name.removeprefix("started-")) for path in folder.glob("started-*"))


def test_a_task_whose_whole_worker_is_killed_is_run_again_by_the_next_worker(test_workers, held_task):
    first = test_workers.start(beat=False)
    wait_for(lambda: _started(held_task), timeout=60, what="the task to start", logs_of=test_workers)
    killed_at = time.monotonic()
    kill(first)  # SIGKILL to the worker and its pool: no chance to requeue or acknowledge anything
    (held_task / "release").touch()
    assert not (held_task / "done").exists()

    # The broker gives an unacknowledged message again once its visibility timeout has passed.
    time.sleep(max(0, celery_tasks.VISIBILITY_TIMEOUT + 0.5 - (time.monotonic() - killed_at)))
    test_workers.start(beat=False)
    wait_for(lambda: (held_task / "done").exists(), timeout=60, what="the task run again", logs_of=test_workers)
    runs = _started(held_task)
    assert len(runs) == 2, runs
    assert int((held_task / "done").read_text()) in runs


def test_a_task_whose_pool_process_is_killed_is_run_again_at_once(test_workers, held_task):
    test_workers.start(beat=False)
    wait_for(lambda: _started(held_task), timeout=60, what="the task to start", logs_of=test_workers)
    (pool_process,) = _started(held_task)
    os.kill(pool_process, signal.SIGKILL)  # the worker survives and sees its child die
    # Acknowledged late alone, the lost task would count as failed and be acknowledged: it is run
    # again only because CELERY_TASK_REJECT_ON_WORKER_LOST requeues it.
    wait_for(lambda: len(_started(held_task)) == 2, timeout=30, what="the task requeued", logs_of=test_workers)
    (held_task / "release").touch()
    wait_for(lambda: (held_task / "done").exists(), timeout=30, what="the task to finish", logs_of=test_workers)
    assert int((held_task / "done").read_text()) != pool_process
