"""Real processes to break: a Redis of our own, gunicorn serving the app, a Celery worker with beat,
and a way to take PostgreSQL away from them.

Nothing here stops a shared service: Redis is a throwaway `redis-server` on a free port, and
PostgreSQL is taken away through a TCP proxy the app connects through, unless
ONRAMP_FAULT_TESTS_RESTART_POSTGRES=1 asks for a real restart of the local cluster (CI does; it
breaks every other connection to that server while it runs).
"""

import contextlib
import os
import shutil
import socket
import struct
import subprocess
import sys
import threading

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.support.processes import database_url, free_port, start_process, stop, wait_for

RESTART_POSTGRES = os.environ.get("ONRAMP_FAULT_TESTS_RESTART_POSTGRES") == "1"
REQUEST_TIMEOUT = 15  # a request that hangs fails the test instead of hanging it


class PostgresProxy:
    """Forwards TCP to PostgreSQL; `cut()` drops every connection and refuses new ones, as a
    restarting server does, until `restore()`."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.port = free_port()
        self.sockets = set()
        self.lock = threading.Lock()
        self.listener = None

    def restore(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def cut(self):
        with contextlib.suppress(OSError):  # already cut
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread; new connections are refused
        self.listener.close()
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset
                    sock.shutdown(socket.SHUT_RDWR)  # wakes the thread reading it
                    sock.close()
            self.sockets.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
                server = socket.create_connection(self.upstream)
            except OSError:
                return
            with self.lock:
                self.sockets.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


class PostgresOutage:
    """Takes PostgreSQL away from the app and gives it back: a real restart of the local cluster
    when RESTART_POSTGRES, otherwise a cut through the proxy the app connects through."""

    def __init__(self):
        db = connection.settings_dict
        self.proxy = None if RESTART_POSTGRES else PostgresProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
        if self.proxy:
            self.proxy.restore()

    @property
    def database_url(self):
        url = database_url()
        if self.proxy:
            port = connection.settings_dict["PORT"] or 5432
            url = url.replace(f":{port}/", f":{self.proxy.port}/")
        return url

    def begin(self):
        if self.proxy:
            self.proxy.cut()
        else:
            _pg_ctlcluster("stop")
        connection.close()  # this process's connection died with the others

    def end(self):
        if self.proxy:
            self.proxy.restore()
        else:
            _pg_ctlcluster("start")
        connection.close()


def _pg_ctlcluster(action):
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action], check=True)


@pytest.fixture
def postgres_outage(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL faults need PostgreSQL")
    if RESTART_POSTGRES and shutil.which("pg_ctlcluster") is None:
        pytest.fail("ONRAMP_FAULT_TESTS_RESTART_POSTGRES=1 restarts the local cluster: pg_ctlcluster is missing.")
    outage = PostgresOutage()
    yield outage
    if outage.proxy:
        outage.proxy.cut()
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    if outage.proxy is None and "online" not in clusters:
        outage.end()  # never leave the shared cluster down


class WebServer:
    """gunicorn serving the app (production settings, plain HTTP) against the test database."""

    def __init__(self, directory, *, broker_url, database_url):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = directory / "gunicorn.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "ONRAMP_SECRET_KEY": settings.SECRET_KEY,  # sessions made here stay valid there
            "ONRAMP_HTTPS": "0",
            "ONRAMP_VAR_DIR": str(directory),
            "ONRAMP_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        }
        self.process = None

    def start(self):
        command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", "1", "--threads", "4", "--timeout", "30", "--access-logfile", "-"]
        self.process = start_process(command, log_path=self.log_path, env=self.env)
        wait_for(self._answers, timeout=30, what="gunicorn", logs_of=self)

    def _answers(self):
        try:
            return requests.get(f"{self.url}/healthz", timeout=REQUEST_TIMEOUT).status_code in (200, 503)
        except requests.ConnectionError:
            return False

    def logs(self, tail=5000):
        text = self.log_path.read_text() if self.log_path.exists() else ""
        return text[-tail:] if tail else text

    def session(self, user=None):
        """A requests session, logged in as `user` (a session made by Django's test client)."""
        browser = requests.Session()
        browser.headers["Connection"] = "close"  # no idle keep-alive the server may drop as a request goes out
        if user is not None:
            client = Client()
            client.force_login(user)
            browser.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
        return browser

    def get(self, browser, path):
        return browser.get(f"{self.url}{path}", timeout=REQUEST_TIMEOUT, allow_redirects=False)

    def post(self, browser, path, data=None):
        if "csrftoken" not in browser.cookies:
            self.get(browser, "/accounts/login/")  # sets the CSRF cookie
        headers = {"X-CSRFToken": browser.cookies["csrftoken"]}
        return browser.post(f"{self.url}{path}", data=data or {}, headers=headers, timeout=REQUEST_TIMEOUT)


@pytest.fixture
def start_web(tmp_path):
    started = []

    def start(**kwargs):
        server = WebServer(tmp_path, **kwargs)
        started.append(server)
        server.start()
        return server

    yield start
    for server in started:
        stop(server.process)
