from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the audit event receiver)
