"""Real processes for the integration and fault suites: start them in a session of their own, wait
for something to hold, and kill them (the whole process group, so no child is left behind)."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _test_redis_url():
    """The Redis database this test process may flush: ONRAMP_TEST_REDIS_URL holds one URL, or one
    per pytest-xdist worker (comma-separated; worker gwN takes the N-th), so that parallel workers
    never empty each other's broker."""
    urls = os.environ.get("ONRAMP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15,redis://127.0.0.1:6379/14").split(",")
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    if worker >= len(urls):
        raise pytest.UsageError(
            f"pytest-xdist worker gw{worker} has no Redis database of its own: give ONRAMP_TEST_REDIS_URL "
            "one URL per worker, comma-separated (redis://127.0.0.1:6379/15,redis://127.0.0.1:6379/14)."
        )
    return urls[worker].strip()


REDIS_URL = _test_redis_url()
# Simulated providers at a speed where a four-day provisioning takes two seconds.
WORKER_ENV = {
    "ONRAMP_STATE_SOURCE": "simulator",
    "ONRAMP_SIMULATOR_SPEED": "172800",
    "ONRAMP_SWEEP_INTERVAL": "0.5",
    "ONRAMP_POLL_MOTION_INTERVAL": "0.3",
    "ONRAMP_POLL_INTERVAL": "1",
    "ONRAMP_POLL_CHUNK_SIZE": "1",
    "ONRAMP_POLL_REQUEUE_AFTER": "3",
    "ONRAMP_POLL_RETRY_BASE_DELAY": "0.2",
    "ONRAMP_HEARTBEAT_INTERVAL": "1",
    "ONRAMP_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    "ONRAMP_CONN_MAX_AGE": "0",
    "ONRAMP_SECRET_KEY": "integration-test-secret-key-" + "x" * 40,
    "ONRAMP_HTTPS": "0",
}


def database_url():
    """The test database as a DATABASE_URL, for processes started against it."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, *, timeout, what, logs_of=None):
    """Poll `condition` until it holds; else fail, showing the logs of `logs_of` (workers, a server)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    logs = f"\nLogs:\n{logs_of.logs()}" if logs_of is not None else ""
    pytest.fail(f"Timed out after {timeout} s waiting for {what}.{logs}")


def start_process(command, *, log_path, env=None, cwd=ROOT):
    """Start `command` in a new session (its own process group), its output appended to `log_path`."""
    with open(log_path, "a") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def kill(process):
    """SIGKILL the process and its whole group, as an OOM kill or a pulled plug would."""
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)


def stop(process):
    """SIGTERM the process group; SIGKILL it if it has not gone in 15 s."""
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            kill(process)


class Workers:
    """Starts `celery -A config worker --beat` processes against the test database, and kills them.

    `include`: modules the workers import besides the project's (celery's --include), e.g. a
    tests/support module that registers test-only tasks."""

    def __init__(self, broker_url, var_dir, *, include=()):
        self.env = {
            **os.environ,
            **WORKER_ENV,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker_url,
            "ONRAMP_VAR_DIR": str(var_dir),
        }
        self.var_dir = var_dir
        self.include = list(include)
        self.processes = []

    def start(self, name="worker", *, beat=True):
        number = len(self.processes)
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency=2", "--loglevel=INFO"]
        command += [f"--hostname={name}{number}@%h", "--without-gossip", "--without-mingle"]
        if beat:
            command += ["--beat", f"--schedule={self.var_dir / 'celerybeat-schedule'}"]
        if self.include:
            command += [f"--include={','.join(self.include)}"]
        process = start_process(command, log_path=self.var_dir / f"{name}-{number}.log", env=self.env)
        self.processes.append(process)
        return process

    def kill(self, process):
        kill(process)

    def stop_all(self):
        for process in self.processes:
            stop(process)

    def logs(self, tail=3000):
        """The end of each worker's log (all of it with tail=None), for a failing test to show."""
        return "\n".join(path.read_text()[-tail if tail else 0 :] for path in sorted(self.var_dir.glob("*.log")))


class RedisServer:
    """A redis-server of our own on a free port, to kill and start again."""

    def __init__(self, directory):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process = None

    def _ping(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self):
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = start_process(command, log_path=os.devnull, cwd=self.directory)
        wait_for(self._ping, timeout=10, what=f"redis-server on port {self.port}")

    def kill(self):
        kill(self.process)


def manage(*args, tmp_path, **environment):
    """Run manage.py with production settings: a clean environment with only what production sets."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ONRAMP_", "DJANGO_", "DATABASE_URL", "CELERY_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings", ONRAMP_VAR_DIR=str(tmp_path), **environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
