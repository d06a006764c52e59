"""Test-only Celery tasks, registered only in test workers (`Workers(..., include=[__name__])`,
celery's --include): nothing of the product imports this module.

Importing it also shortens the broker's visibility timeout for that worker. The product keeps
kombu's one hour (config/settings.py): a task whose worker was killed is given again to another
worker once that hour has passed; two seconds here let a test watch that happen.
"""

import os
import sys
import time
from pathlib import Path

from celery import current_app, shared_task

HOLD = "tests.hold_until_released"
VISIBILITY_TIMEOUT = 2

# Only in the worker process that includes this module: the test process imports it too (for the
# task's name), and its own publishing must keep the product's transport options.
if "worker" in sys.argv[1:]:
    current_app.conf.broker_transport_options = {
        **(current_app.conf.broker_transport_options or {}),
        "visibility_timeout": VISIBILITY_TIMEOUT,
        "unacked_restore_interval": 0.5,
        "unacked_restore_throttle": 1,
    }


@shared_task(name=HOLD, acks_late=True)
def hold_until_released(folder):
    """Say it started (a file named after its process), then wait for a `release` file: a task
    that is certainly running when the test kills its worker. Writes `done` when let go."""
    folder = Path(folder)
    (folder / f"started-{os.getpid()}").touch()
    while not (folder / "release").exists():
        time.sleep(0.05)
    (folder / "done").write_text(str(os.getpid()))
