from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from django_structlog.signals import bind_extra_request_metadata

        from .logs import bind_client_address

        bind_extra_request_metadata.connect(bind_client_address, dispatch_uid="core.bind_client_address")
