"""A real Redis broker and real `celery worker --beat` processes against the test database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection

REDIS_URL = os.environ.get("ONRAMP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[2]
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


def _database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def broker():
    """The test Redis database, emptied before and after."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not answering at {REDIS_URL} (ONRAMP_TEST_REDIS_URL); ./scripts/test starts it.")
    client.flushdb()
    yield REDIS_URL
    client.flushdb()


class Workers:
    """Starts `celery -A config worker --beat` processes and kills them (the whole process group)."""

    def __init__(self, broker_url, var_dir):
        self.env = {
            **os.environ,
            **WORKER_ENV,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": broker_url,
            "ONRAMP_VAR_DIR": str(var_dir),
        }
        self.var_dir = var_dir
        self.processes = []

    def start(self, name="worker"):
        log = open(self.var_dir / f"{name}-{len(self.processes)}.log", "w")  # noqa: SIM115 (closed in kill)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--beat",
                "--concurrency=2",
                "--loglevel=INFO",
                f"--hostname={name}{len(self.processes)}@%h",
                "--without-gossip",
                "--without-mingle",
                f"--schedule={self.var_dir / 'celerybeat-schedule'}",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log = log
        self.processes.append(process)
        return process

    def kill(self, process, sig=signal.SIGKILL):
        if process.poll() is None:
            os.killpg(process.pid, sig)
            process.wait(timeout=20)
        process.log.close()

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
            process.log.close()

    def logs(self):
        return "\n".join(path.read_text()[-3000:] for path in sorted(self.var_dir.glob("*.log")))


@pytest.fixture
def workers(broker, tmp_path, transactional_db):
    started = Workers(broker, tmp_path)
    yield started
    started.stop_all()


def wait_for(condition, *, timeout, what, logs_of=None):
    """Poll `condition` until it holds; else fail, showing the logs of `logs_of` (workers, a server)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    logs = f"\nLogs:\n{logs_of.logs()}" if logs_of is not None else ""
    pytest.fail(f"Timed out after {timeout} s waiting for {what}.{logs}")
