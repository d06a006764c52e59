from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "health"

    def ready(self):
        from . import signals  # noqa: F401  (connect the heartbeat receivers)
