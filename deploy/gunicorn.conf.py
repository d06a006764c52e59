"""gunicorn settings for /metrics under several workers (docs/METRICS.md): `gunicorn -c deploy/gunicorn.conf.py`."""

from prometheus_client import multiprocess


def child_exit(server, worker):
    multiprocess.mark_process_dead(worker.pid)  # its live gauges stop counting; its counters stay summed
