"""Figures only a running process knows: request latency and task durations.

They live in their own registry. Under gunicorn and Celery set PROMETHEUS_MULTIPROC_DIR (an empty
directory shared by every process of the host, emptied at deploy): prometheus_client then keeps each
process's values in files there and /metrics adds them up (metrics.views); without it, the values
are this process's.
"""

import time

from celery.signals import task_postrun, task_prerun
from prometheus_client import CollectorRegistry, Histogram

INSTRUMENTS = CollectorRegistry(auto_describe=True)

REQUEST_SECONDS = Histogram(
    "onramp_http_request_duration_seconds",
    "Time to answer an HTTP request, by view and method.",
    ["view", "method"],
    registry=INSTRUMENTS,
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
TASK_SECONDS = Histogram(
    "onramp_task_duration_seconds",
    "Time a Celery task ran, by task: circuits.sweep is the sweep, circuits.check_circuits its chunks.",
    ["task"],
    registry=INSTRUMENTS,
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
)

_started: dict[str, float] = {}


@task_prerun.connect(dispatch_uid="metrics.task_started")
def _task_started(task_id=None, **kwargs):
    _started[task_id] = time.monotonic()


@task_postrun.connect(dispatch_uid="metrics.task_finished")
def _task_finished(task_id=None, task=None, **kwargs):
    started = _started.pop(task_id, None)
    if started is not None and task is not None:
        TASK_SECONDS.labels(task.name).observe(time.monotonic() - started)
