from contextlib import suppress

from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"

    def ready(self):
        from prometheus_client import REGISTRY

        from . import events, metrics  # noqa: F401 (events connects the audit receiver)

        with suppress(ValueError):  # ready() may run twice in one process (tests, management commands)
            REGISTRY.register(metrics.COLLECTOR)
