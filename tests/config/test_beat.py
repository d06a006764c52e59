"""Beat keeps its schedule in plain dbm.dumb files, never Python 3.13's dbm.sqlite3 (config.beat)."""

from datetime import UTC, datetime

from config.beat import DumbDbmScheduler
from config.celery import app

LAST_RUN = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_beat_uses_the_dumb_dbm_scheduler():
    assert app.conf.beat_scheduler == "config.beat:DumbDbmScheduler"


def test_the_schedule_survives_a_restart_in_dumb_dbm_files(tmp_path):
    filename = str(tmp_path / "celerybeat-schedule")
    scheduler = DumbDbmScheduler(app=app, schedule_filename=filename, lazy=False)
    scheduler.schedule["heartbeat"].last_run_at = LAST_RUN
    scheduler.sync()
    scheduler.close()

    assert {path.name for path in tmp_path.iterdir()} >= {"celerybeat-schedule.dat", "celerybeat-schedule.dir"}
    reopened = DumbDbmScheduler(app=app, schedule_filename=filename, lazy=False)
    try:
        assert reopened.schedule["heartbeat"].last_run_at == LAST_RUN
    finally:
        reopened.close()
