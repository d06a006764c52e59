from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"

    def ready(self):
        from . import beat  # noqa: F401  (connects the relay loop to beat's start)
