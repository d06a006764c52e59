"""The benchmark command runs end to end at a tiny size (figures are its output, never asserted)."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from circuits.admin import CircuitAdmin
from circuits.models import Circuit
from devtools.bench.arm import arm_figures
from devtools.bench.latency import CHROMIUM
from devtools.bench.registry import registry_figures
from devtools.bench.report import print_compare, target_rows
from devtools.urls_bench import BenchCircuitAdmin
from tests.accounts.factories import TeamFactory
from tests.circuits.factories import PeeringLocationFactory, ServiceProviderFactory
from tests.support.processes import REDIS_URL

ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the benchmark needs PostgreSQL"
)
def test_the_bench_command_measures_every_section_and_a_short_load_at_tiny_n(tmp_path):
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    database = f"{server}/{settings.DATABASES['default']['NAME']}_bench_smoke"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "devtools.settings_bench"}
    figures = tmp_path / "run.json"
    sections = "pages,polls,billing,sessions,load" + (",latency" if Path(CHROMIUM).exists() else "")
    command = [sys.executable, "manage.py", "bench", "--circuits", "20", "--rounds", "1"]
    command += ["--sections", sections, "--json", str(figures), "--session-rounds", "5"]
    command += ["--load-users", "2", "--load-seconds", "1", "--port", str(_free_port())]
    command += ["--database-url", database, "--redis-url", REDIS_URL, "--latency-rounds", "2"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    pages = ("floor", "circuit list", "admin changelist", "circuit page", "insights", "API circuit list")
    for page in (*pages, "poll, unchanged", "billing", "healthz"):
        assert f"\n{page} " in result.stdout
    assert "errors 0 " in result.stdout
    assert "billing ÷ circuit list" in result.stdout  # the targets table
    assert "cached_db" in result.stdout or "\ndb " in result.stdout
    measured = json.loads(figures.read_text())["sizes"]["20"]
    assert measured["pages"]["floor"]["median"] > 0
    if "latency" in sections:
        assert len(measured["latency"]["seconds"]) == 2 and "event → browser over 2 source changes" in result.stdout


@pytest.mark.django_db
def test_the_registry_section_imports_validates_and_reports_its_peak_memory():
    figures = registry_figures(routes=300, prefixes=8, rounds=1)
    assert figures["imported"] == 300
    assert figures["peak_rss_mb"] > 0
    assert sum(figures["verdicts"].values()) == 8


@pytest.mark.django_db(transaction=True)  # the import runs in a process of its own
def test_the_arm_section_imports_its_file_and_reports_its_peak_memory():
    team = TeamFactory(name="Bench team 0")
    ServiceProviderFactory(name="Bench Telecom", peering_locations=[PeeringLocationFactory(name="Bench City")])

    figures = arm_figures(circuits=3)

    assert figures["peak_rss_mb"] > figures["rss_before_mb"] > 0 and figures["queries_per_circuit"] > 0
    assert list(Circuit.objects.filter(team=team).values_list("name", flat=True).order_by("name")) == [
        "er-arm-bench-000000",
        "er-arm-bench-000001",
        "er-arm-bench-000002",
    ]


def test_two_runs_compare_page_by_page(tmp_path, capsys):
    run = {"started": "then", "sizes": {"20": {"pages": {"floor": {"median": 2.0}, "billing": {"median": 10.0}}}}}
    later = {"sizes": {"20": {"pages": {"floor": {"median": 1.0}, "billing": {"median": 5.0}}}}}
    lines = []
    print_compare(lines.append, run, later)
    assert any("billing" in line and "0.50" in line for line in lines)


def test_the_targets_say_met_or_missed():
    pages = {
        name: {"median": median}
        for name, median in {
            "floor": 1.0,
            "circuit list": 30.0,
            "admin changelist": 25.0,
            "circuit page": 20.0,
            "poll, unchanged": 1.4,
            "list poll, unchanged": 3.0,
            "billing": 60.0,
            "healthz": 2.0,
            "healthz, Redis down": 4.0,
        }.items()
    }
    verdicts = {
        (target.name, where): target.verdict(value)
        for target, where, value in target_rows({"sizes": {"1000": {"pages": pages}}})
    }
    assert verdicts[("billing ÷ circuit list", "N = 1,000")] == "met"
    assert verdicts[("circuit list ÷ admin changelist", "N = 1,000")] == "missed"
    assert verdicts[("unchanged list poll ÷ floor", "N = 1,000")] == "missed"
    assert verdicts[("sweep, 10% changing (circuits/s)", "N = 1,000")] == "not measured"
    assert verdicts[("event → browser p95 (s)", "N = 1,000")] == "not measured"


def test_an_event_reaching_the_browser_within_10_s_meets_issue_15s_target():
    def verdict(p95):
        figures = {"sizes": {"20": {"pages": {}, "latency": {"p95": p95}}}}
        return {target.name: target.verdict(value) for target, _, value in target_rows(figures)}

    assert verdict(6.2)["event → browser p95 (s)"] == "met"
    assert verdict(11.0)["event → browser p95 (s)"] == "missed"


def test_the_bench_urls_leave_the_products_admin_alone():
    assert CircuitAdmin.list_per_page == 100
    assert BenchCircuitAdmin.list_per_page == 50
