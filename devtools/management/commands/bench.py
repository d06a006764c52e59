"""`manage.py bench`: the one entry point of every benchmark. Seed N circuits into a database of its
own, serve Onramp with gunicorn and measure, by section: pages, live polls, the Celery state sweep,
the billing page, the registry import and validation, session reads, a source change's way to an
open browser (latency), a load test. Prints the per-page table, the ratios against issues 14's and
15's targets, and writes the figures as JSON (--compare prints the change from an earlier run). See
docs/PERFORMANCE.md. Everything runs on 127.0.0.1; the bench database is dropped at the end."""

import argparse
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import redis
import requests
from celery import Celery
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from billing.services import accruals_complete
from devtools.bench.arm import arm_figures
from devtools.bench.http import HTMX, fingerprint, local_url, logged_in_session, measure, percentile, run_load
from devtools.bench.latency import event_to_browser
from devtools.bench.registry import registry_figures
from devtools.bench.report import print_compare, print_targets, write_json
from devtools.bench.seed import seed_estate
from devtools.bench.sessions import sessions_figures

PYTHON = sys.executable
SWEEP_CHANGING_SHARE = 0.10
SECTIONS = ("pages", "polls", "sweep", "billing", "registry", "sessions", "arm", "latency", "load")
DEFAULT_SECTIONS = "pages,polls,sweep,billing"
CLOSED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: Redis down, refused at once
EVENTGRID_KEY = "bench-eventgrid-key"  # the bench's own gunicorn takes the events it posts
# A circuit of the bench user's team the latency section can send back to Provisioning: no peerings
# (a Provisioning circuit has none), not the showcase the pages measure.
LATENCY_CIRCUIT = """
SELECT c.id FROM circuits_circuit c WHERE c.id = ANY(%s) AND c.id <> %s AND c.deleted_at IS NULL
ORDER BY EXISTS (SELECT 1 FROM peerings_peering p WHERE p.circuit_id = c.id), c.id LIMIT 1"""


def _sections(text):
    chosen = {name.strip() for name in text.split(",") if name.strip()}
    unknown = chosen - set(SECTIONS)
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown sections {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}"
        )
    return chosen


def _figures(measurement):
    return {
        "median": measurement.median,
        "p95": measurement.p95,
        "queries": measurement.query_count,
        "statuses": sorted(measurement.statuses),
    }


class Command(BaseCommand):
    help = (
        "Benchmark Onramp at N circuits by section (pages, polls, sweep, billing, registry, sessions, arm, latency, "
        "load), against issue 14's and 15's targets; figures as JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--circuits", type=int, nargs="+", default=[1000, 10000], help="Estate sizes (N).")
        parser.add_argument(
            "--sections", type=_sections, default=_sections(DEFAULT_SECTIONS), help=f"Of {', '.join(SECTIONS)}."
        )
        parser.add_argument(
            "--json", type=Path, help="Where to write the figures (default var/bench/bench-<time>.json)."
        )
        parser.add_argument("--compare", type=Path, help="An earlier run's JSON: print the change of every median.")
        parser.add_argument("--registry-routes", type=int, default=1_000_000, help="Route objects in the IRR dump.")
        parser.add_argument("--registry-prefixes", type=int, default=200)
        parser.add_argument("--arm-circuits", type=int, default=100_000, help="Circuits in the ARM file imported.")
        parser.add_argument("--session-rounds", type=int, default=2000, help="Session loads per engine.")
        parser.add_argument("--latency-rounds", type=int, default=10, help="Source changes timed to the browser.")
        parser.add_argument("--rounds", type=int, default=40, help="Requests per measured page.")
        parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/onramp_bench")
        parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14", help="Broker and cache.")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--web-workers", type=int, default=2, help="gunicorn worker processes.")
        parser.add_argument("--no-sweep", action="store_true", help="Skip the sweep section.")
        parser.add_argument("--no-billing", action="store_true", help="Skip the billing section.")
        parser.add_argument("--load", action="store_true", help="Add the load section: the largest estate, afterwards.")
        parser.add_argument("--load-users", type=int, default=50)
        parser.add_argument("--load-seconds", type=int, default=60)
        parser.add_argument("--keep", action="store_true", help="Keep the bench database afterwards.")
        # internal: one step run inside the bench environment, printing JSON
        parser.add_argument("--seed-only", type=int, help=argparse.SUPPRESS)
        parser.add_argument("--step", choices=("registry", "sessions", "arm", "accruals"), help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["seed_only"] is not None or options["step"]:
            self.stdout.write(json.dumps(_step(options), default=str))
            return
        sections = options["sections"]
        sections -= {"sweep"} if options["no_sweep"] else set()
        sections -= {"billing"} if options["no_billing"] else set()
        sections |= {"load"} if options["load"] else set()
        self.sections = sections
        self.options = options
        self.url = options["database_url"]
        if not self.url.startswith("postgres"):
            raise CommandError("The benchmark needs PostgreSQL: --database-url postgres://…")
        self.base = local_url(f"http://127.0.0.1:{options['port']}")
        self.log_dir = Path(settings.VAR_DIR) / "bench"
        self.log_dir.mkdir(parents=True, exist_ok=True)
        started = datetime.now(UTC)
        self._machine()
        results = {}
        try:
            for count in options["circuits"]:
                results[count] = self._run(count, last=count == options["circuits"][-1])
        finally:
            if not options["keep"]:
                self._database("DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self._summary(results)
        figures = {
            "started": f"{started:%Y-%m-%d %H:%M} UTC",
            "sections": sorted(sections),
            "sizes": {str(count): result for count, result in results.items()},
        }
        print_targets(self.stdout.write, figures)
        path = write_json(options["json"] or self.log_dir / f"bench-{started:%Y%m%dT%H%M%S}.json", figures)
        self.stdout.write(f"\nfigures written to {path}")
        if options["compare"]:
            print_compare(self.stdout.write, json.loads(options["compare"].read_text()), figures)

    # --- environment -------------------------------------------------------------------------------

    def _env(self):
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "devtools.settings_bench",
            "DATABASE_URL": self.url,
            "CELERY_BROKER_URL": self.options["redis_url"],
            # As in production: sessions (cached_db) and the live polls' answers are read from Redis.
            "ONRAMP_CACHE_URL": self.options["redis_url"],
            "ONRAMP_DEBUG": "0",
            "ONRAMP_HTTPS": "0",
            "ONRAMP_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "ONRAMP_STATE_SOURCE": "simulator",
            "ONRAMP_SIMULATOR_PREFIX_OUTCOME": "Configured",
            "PYTHONUNBUFFERED": "1",
        }

    def _database(self, statement):
        """Run `statement` on the server's maintenance database; {name} is the bench database."""
        name = self.url.rsplit("/", 1)[1]
        admin_url = self.url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as connection:
            cursor = connection.execute(statement.format(name=name))
            return cursor.fetchall() if cursor.description else None

    def _sql(self, statement, params=()):
        with psycopg.connect(self.url, autocommit=True) as connection:
            cursor = connection.execute(statement, params)
            return cursor.fetchall() if cursor.description else None

    def _step(self, *arguments):
        """Run `bench` with one internal step in the bench environment; its JSON answer."""
        return json.loads(self._manage("bench", *arguments).strip().splitlines()[-1])

    def _manage(self, *arguments):
        done = subprocess.run(
            [PYTHON, "manage.py", *arguments], env=self._env(), cwd=settings.BASE_DIR, capture_output=True, text=True
        )
        if done.returncode:
            raise CommandError(f"manage.py {' '.join(arguments)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    @contextmanager
    def _process(self, name, command, **env):
        log = open(self.log_dir / f"{name}.log", "w")  # noqa: SIM115 (closed below)
        process = subprocess.Popen(
            command,
            env={**self._env(), **env},
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log.close()

    def _wait_for(self, ready, what, timeout=60):
        deadline = time.monotonic() + timeout
        while not ready():
            if time.monotonic() > deadline:
                raise CommandError(f"{what} did not start; see {self.log_dir}.")
            time.sleep(0.1)

    def _port_open(self):
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.options["port"])) == 0

    # --- one estate --------------------------------------------------------------------------------

    def _run(self, count, *, last):
        self.stdout.write(f"\n== N = {count:,} circuits ==")
        self._database("DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self._database("CREATE DATABASE {name}")
        # The cache holds the previous estate's sessions and poll answers, under the same ids.
        redis.Redis.from_url(self.options["redis_url"]).flushdb()
        started = time.monotonic()
        self._manage("migrate", "--no-input")
        migrated = time.monotonic()
        targets = self._step("--seed-only", str(count))
        self._sql("VACUUM ANALYZE")
        self.stdout.write(f"migrate {migrated - started:.1f} s, seed {time.monotonic() - migrated:.1f} s")
        result = {}
        if "billing" in self.sections:
            # The nightly task's work on a fresh estate: every circuit's accrual runs from nothing, then
            # today's figures and totals, which the page reads.
            accruals = result["accruals"] = self._step("--step", "accruals")
            self.stdout.write(
                f"accrual runs and today's totals of {accruals['circuits']:,} circuits: {accruals['seconds']:.1f} s"
            )
        result["pages"] = self._pages(targets)
        if "load" in self.sections and last:
            result["load"] = self._load(targets)
        if "sweep" in self.sections:
            result["sweep"] = self._sweeps(count)
        if "registry" in self.sections and last:
            result["registry"] = self._registry()
        if "sessions" in self.sections and last:
            result["sessions"] = self._sessions()
        if "latency" in self.sections and last:
            result["latency"] = self._latency(targets)
        if "arm" in self.sections and last:  # last: it adds its circuits to the estate
            result["arm"] = self._arm()
        return result

    def _gunicorn(self, **env):
        command = [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.options['port']}",
            "--workers",
            str(self.options["web_workers"]),
            "--timeout",
            "120",
        ]
        return self._process("gunicorn", command, **env)

    def _pages(self, targets):
        rounds = self.options["rounds"]
        with self._gunicorn():
            self._wait_for(self._port_open, "gunicorn")
            session = logged_in_session(self.base, targets["user"], targets["password"])
            page = f"{self.base}/circuits/{targets['showcase']}/"
            listing = f"{self.base}/circuits/"
            urls = [("floor", f"{self.base}/bench/floor/", None)]
            if "pages" in self.sections:
                urls += [
                    ("circuit list", listing, None),
                    ("admin changelist", f"{self.base}/bench/admin/circuits/circuit/", None),
                    ("circuit page", page, None),
                    # the page's billing panel and timeline, which htmx loads once the page is shown
                    ("circuit history", f"{page}history/", HTMX),
                    ("insights", f"{self.base}/insights/", None),
                    ("API circuit list", f"{self.base}/api/circuits/", None),
                ]
            if "polls" in self.sections:
                urls += [
                    ("poll, unchanged", f"{page}?v={fingerprint(session, page)}", HTMX),
                    ("poll, changed", f"{page}?v=stale", HTMX),
                    ("list poll, unchanged", f"{listing}?v={fingerprint(session, listing)}", HTMX),
                ]
            if "billing" in self.sections:
                urls.append(("billing", f"{self.base}/billing/", None))
            if "pages" in self.sections:
                urls.append(("healthz", f"{self.base}/healthz", None))
            results = {name: measure(session, name, url, rounds=rounds, headers=headers) for name, url, headers in urls}
        if "pages" in self.sections:
            with self._gunicorn(CELERY_BROKER_URL=CLOSED_REDIS, ONRAMP_CACHE_URL=CLOSED_REDIS):
                self._wait_for(self._port_open, "gunicorn (Redis down)")
                results["healthz, Redis down"] = measure(
                    requests.Session(), "healthz", f"{self.base}/healthz", rounds=rounds
                )
        self._print_pages(results)
        return {name: _figures(measurement) for name, measurement in results.items()}

    def _print_pages(self, results):
        floor = results["floor"].median
        self.stdout.write(f"{'page':24} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'× floor':>8}  status")
        for name, m in results.items():
            statuses = ",".join(map(str, sorted(m.statuses)))
            ratio = m.median / floor
            self.stdout.write(f"{name:24} {m.median:10.1f} {m.p95:8.1f} {m.query_count:>8} {ratio:8.2f}  {statuses}")
        if "circuit list" in results:
            list_vs_admin = results["circuit list"].median / results["admin changelist"].median
            self.stdout.write(f"circuit list ÷ admin changelist: {list_vs_admin:.2f}")

    # --- the Celery sweep --------------------------------------------------------------------------

    @contextmanager
    def _worker(self, name):
        """One `celery worker --concurrency 2` (no beat: no sweep unless one is queued), ready."""
        redis.Redis.from_url(self.options["redis_url"]).flushdb()
        command = [PYTHON, "-m", "celery", "-A", "config", "worker", "--concurrency", "2", "--loglevel", "INFO"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-n", "bench@%h"]
        with self._process(name, command) as process:
            log = self.log_dir / f"{name}.log"
            self._wait_for(lambda: "ready." in log.read_text(), "The Celery worker")
            yield process

    def _sweeps(self, count):
        results = {}
        with self._worker("celery"):
            results["first (plans every circuit)"] = self._sweep()
            changing = self._plan_changes()
            results[f"{changing:,} circuits changing"] = self._sweep()
            results["re-run (nothing changes)"] = self._sweep()
        undeleted = self._sql("SELECT count(*) FROM circuits_circuit WHERE deleted_at IS NULL")[0][0]
        self.stdout.write(f"sweep of {undeleted:,} undeleted circuits, 2 Celery worker processes:")
        for name, run in results.items():
            self.stdout.write(
                f"  {name:32} {run['seconds']:7.2f} s  {undeleted / run['seconds']:8.0f} circuits/s  "
                f"{run['events']:6} audit events  {run['kinds']}"
            )
        return {"circuits": undeleted, "runs": results}

    def _plan_changes(self):
        """Make 10% of the circuits' planned simulator steps due now: their providers act this sweep."""
        undeleted = self._sql("SELECT count(*) FROM circuits_circuit WHERE deleted_at IS NULL")[0][0]
        changed = self._sql(
            "UPDATE circuits_circuit SET simulator_step_due_at = now() - interval '1 minute' WHERE id IN ("
            " SELECT id FROM circuits_circuit WHERE deleted_at IS NULL AND simulator_step <> ''"
            " ORDER BY md5(id::text) LIMIT %s) RETURNING id",
            (round(undeleted * SWEEP_CHANGING_SHARE),),
        )
        return len(changed)

    def _sweep(self, timeout=900):
        """Make every circuit due, queue one sweep, and wait until every circuit was checked."""
        self._sql("UPDATE circuits_circuit SET last_checked_at = now() - interval '1 hour', check_queued_at = NULL")
        events_before = self._sql("SELECT count(*) FROM audit_auditevent")[0][0]
        since = self._sql("SELECT now()")[0][0]
        started = time.monotonic()
        Celery(broker=self.options["redis_url"]).send_task("circuits.sweep")
        self._wait_until_checked(since, started + timeout)
        seconds = time.monotonic() - started
        events = self._settled_event_count() - events_before
        kinds = self._sql(
            "SELECT field || ' → ' || to_value, count(*) FROM audit_auditevent WHERE created_at >= %s"
            " GROUP BY 1 ORDER BY 2 DESC LIMIT 4",
            (since,),
        )
        return {"seconds": seconds, "events": events, "kinds": ", ".join(f"{kind} ×{count}" for kind, count in kinds)}

    def _wait_until_checked(self, since, deadline):
        """Wait until every undeleted circuit was checked after `since`. The count scans the table
        (~40 ms at 100,000 circuits): asked every 0.1 s it would take a third of one of the machine's
        two cores from the sweep it measures, so it is asked at most once per ten times its own cost.
        At 1,000 circuits (a sweep of half a second, a count under a millisecond) it is asked every
        10 ms, so the wait adds little to the time measured."""
        remaining = "SELECT count(*) FROM circuits_circuit WHERE deleted_at IS NULL AND last_checked_at < %s"
        while True:
            asked = time.monotonic()
            if self._sql(remaining, (since,))[0][0] == 0:
                return
            if asked > deadline:
                raise CommandError(f"The sweep did not finish; see {self.log_dir}.")
            time.sleep(max(0.01, 10 * (time.monotonic() - asked)))

    def _settled_event_count(self, quiet_for=1.0, timeout=60):
        """The audit event count once follow-up tasks (e.g. prefix validation after a new Microsoft
        peering) have finished: unchanged for `quiet_for` seconds."""
        deadline = time.monotonic() + timeout
        count = None
        while time.monotonic() < deadline:
            latest = self._sql("SELECT count(*) FROM audit_auditevent")[0][0]
            if latest == count:
                return count
            count = latest
            time.sleep(quiet_for)
        return count

    # --- registry and sessions: in the bench environment, once --------------------------------------

    def _registry(self):
        routes, prefixes = self.options["registry_routes"], self.options["registry_prefixes"]
        figures = self._step(
            "--step", "registry", "--registry-routes", str(routes), "--registry-prefixes", str(prefixes)
        )
        self.stdout.write(
            f"registry: wrote a {routes:,}-object dump in {figures['write_dump_s']:.1f} s, imported "
            f"{figures['imported']:,} in {figures['import_s']:.1f} s, peak RSS {figures['peak_rss_mb']:.0f} MB "
            f"(before {figures['rss_before_mb']:.0f} MB); validate {prefixes} prefixes best "
            f"{figures['validate_best_ms']:.0f} ms, worst {figures['validate_worst_ms']:.0f} ms; "
            f"verdicts {figures['verdicts']}; plans {figures['plans']}"
        )
        return figures

    def _arm(self):
        figures = self._step("--step", "arm", "--arm-circuits", str(self.options["arm_circuits"]))
        self.stdout.write(
            f"ARM import: wrote {figures['circuits']:,} circuits ({figures['file_mb']:.0f} MB) in "
            f"{figures['write_s']:.1f} s, imported them in {figures['import_s']:.1f} s "
            f"({figures['ms_per_circuit']:.1f} ms, {figures['queries_per_circuit']:.1f} queries per circuit), peak RSS "
            f"{figures['peak_rss_mb']:.0f} MB (before {figures['rss_before_mb']:.0f} MB)"
        )
        return figures

    def _sessions(self):
        figures = self._step("--step", "sessions", "--session-rounds", str(self.options["session_rounds"]))
        self.stdout.write(f"{'session engine':24} {'median µs':>10} {'p95 µs':>8}")
        for engine, timing in figures.items():
            self.stdout.write(f"{engine:24} {timing['median_us']:10.0f} {timing['p95_us']:8.0f}")
        return figures

    # --- latency: a source change to an open browser ----------------------------------------------------

    def _latency(self, targets):
        rounds = self.options["latency_rounds"]
        circuit = self._sql(LATENCY_CIRCUIT, (targets["circuits"], targets["showcase"]))[0][0]
        with self._gunicorn(ONRAMP_EVENTGRID_SECRET=EVENTGRID_KEY), self._worker("celery-latency"):
            self._wait_for(self._port_open, "gunicorn")
            figures = event_to_browser(
                base_url=self.base,
                username=targets["user"],
                password=targets["password"],
                circuit_id=circuit,
                key=EVENTGRID_KEY,
                sql=self._sql,
                rounds=rounds,
            )
        database = figures["to_database"]
        self.stdout.write(
            f"event → browser over {rounds} source changes (live poll every {figures['poll_seconds']:g} s): "
            f"median {figures['median']:.2f} s, p95 {figures['p95']:.2f} s; "
            f"rounds {', '.join(f'{s:.2f}' for s in figures['seconds'])} s\n"
            f"  of which source change → database: median {database['median']:.2f} s, p95 {database['p95']:.2f} s"
        )
        return figures

    # --- load ----------------------------------------------------------------------------------------

    def _load(self, targets):
        users, seconds = self.options["load_users"], self.options["load_seconds"]
        self.stdout.write(f"load: {users} users for {seconds} s against gunicorn on 127.0.0.1 …")
        with self._gunicorn() as server:
            self._wait_for(self._port_open, "gunicorn")
            session = logged_in_session(self.base, targets["user"], targets["password"])
            targets = {**targets, "stale": "0"}
            result = run_load(self.base, session.cookies, targets, users=users, seconds=seconds)
            rss = _worker_rss_mb(server.pid)
        ms = result.latencies_ms
        summary = {
            "requests": result.requests,
            "rps": result.requests / result.seconds,
            "p50": percentile(ms, 0.5),
            "p95": percentile(ms, 0.95),
            "p99": percentile(ms, 0.99),
            "errors": result.errors,
            "by_kind": result.by_kind,
            "worker_rss_mb": rss,
        }
        self.stdout.write(
            f"  {summary['requests']} requests, {summary['rps']:.1f}/s, p50 {summary['p50']:.0f} ms, "
            f"p95 {summary['p95']:.0f} ms, p99 {summary['p99']:.0f} ms, errors {sum(result.errors.values())} "
            f"{result.errors or ''}; mix {result.by_kind}; web worker RSS {', '.join(f'{r:.0f}' for r in rss)} MB"
        )
        return summary

    # --- report --------------------------------------------------------------------------------------

    def _machine(self):
        memory = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
        self.stdout.write(
            f"Onramp bench {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()}: {os.cpu_count()} CPUs, "
            f"{int(memory) / 1024**2:.0f} GiB, Python {platform.python_version()}, "
            f"PostgreSQL {self._database('SHOW server_version')[0][0]}"
        )

    def _summary(self, results):
        sizes = sorted(results)
        if len(sizes) < 2:
            return
        small, large = sizes[0], sizes[-1]
        self.stdout.write(f"\n== growth from N = {small:,} to N = {large:,} (median server time ratio) ==")
        for name in ("circuit list", "circuit page", "billing", "insights", "API circuit list", "poll, unchanged"):
            if name not in results[small]["pages"]:
                continue
            before, after = results[small]["pages"][name], results[large]["pages"][name]
            growth = after["median"] / before["median"]
            self.stdout.write(f"  {name:20} {growth:5.2f}×   queries {before['queries']} → {after['queries']}")
        if "sweep" in self.sections:
            runs = [results[size]["sweep"] for size in (small, large)]
            rates = [run["circuits"] / next(iter(run["runs"].values()))["seconds"] for run in runs]
            self.stdout.write(f"  first sweep rate {rates[0]:.0f} → {rates[1]:.0f} circuits/s")


def _step(options):
    """One step inside the bench environment (the bench database), answered as JSON."""
    if options["seed_only"] is not None:
        return seed_estate(options["seed_only"])
    if options["step"] == "registry":
        return registry_figures(routes=options["registry_routes"], prefixes=options["registry_prefixes"], rounds=5)
    if options["step"] == "sessions":
        return sessions_figures(options["session_rounds"])
    if options["step"] == "arm":
        return arm_figures(circuits=options["arm_circuits"])
    started = time.monotonic()
    circuits = accruals_complete()
    return {"circuits": circuits, "seconds": time.monotonic() - started}


def _worker_rss_mb(master_pid):
    """Resident memory of each gunicorn worker (the master's children), in MB."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes
