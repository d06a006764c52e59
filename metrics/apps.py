from contextlib import suppress

from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"

    def ready(self):
        from prometheus_client import REGISTRY

        from . import collectors, instruments  # noqa: F401 (instruments connects the Celery signals)

        with suppress(ValueError):  # ready() may run more than once in one process (tests, management commands)
            REGISTRY.register(collectors.COLLECTOR)
