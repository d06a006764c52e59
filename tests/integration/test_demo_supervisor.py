"""scripts/lib.sh's `supervise`, which keeps the demo's Celery worker alive: a worker killed with
SIGKILL is reported on the terminal with the end of its log and started again; stopping the
supervisor stops the worker."""

import os
import re
import signal
import subprocess

import pytest

from tests.support.processes import ROOT, wait_for

pytestmark = pytest.mark.integration

STARTED = re.compile(r"^worker started \(pid (\d+), log: .*\)\.$")


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _next_line(supervisor):
    line = supervisor.stdout.readline()
    assert line, "the supervisor stopped talking"
    return line.rstrip("\n")


def _started_pid(supervisor):
    return int(STARTED.match(_next_line(supervisor)).group(1))


@pytest.fixture
def supervisor(tmp_path):
    # A stand-in worker: says hello in its log, then waits to be killed.
    worker = 'bash -c "echo worker says hello; exec sleep 600"'
    script = f"source scripts/lib.sh; supervise worker {tmp_path}/worker.log {worker}"
    process = subprocess.Popen(
        ["bash", "-c", script],
        cwd=ROOT,
        env={**os.environ, "SUPERVISE_RESTART_DELAY": "0.1", "SUPERVISE_LOG_LINES": "3"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    yield process
    process.terminate()  # the worker has a session of its own: the supervisor stops it
    process.wait(timeout=10)


def test_a_worker_killed_with_sigkill_is_reported_with_its_log_and_restarted(supervisor, tmp_path):
    first = _started_pid(supervisor)
    log = tmp_path / "worker.log"
    wait_for(lambda: log.exists() and log.read_text(), timeout=5, what="the worker to start")
    os.kill(first, signal.SIGKILL)

    assert re.match(
        r"^!! worker died \(exit status 137\) at \d\d:\d\d:\d\d UTC; restarting it\.", _next_line(supervisor)
    )
    assert _next_line(supervisor) == "!!   worker says hello"
    second = _started_pid(supervisor)
    assert second != first
    assert _alive(second)


def test_stopping_the_supervisor_stops_its_worker(supervisor):
    worker = _started_pid(supervisor)
    supervisor.terminate()
    supervisor.wait(timeout=10)
    wait_for(lambda: not _alive(worker), timeout=5, what="the worker to stop")
