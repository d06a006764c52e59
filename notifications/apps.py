from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self):
        from . import events, health  # noqa: F401  (connect their signal receivers)
