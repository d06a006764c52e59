"""Structured logging's request side: the client address each request's log lines carry (the LOGGING
setting itself is config.logs)."""

import structlog
from django.conf import settings
from django.utils.module_loading import import_string


def bind_client_address(request, logger, log_kwargs, **kwargs):
    """django-structlog signal receiver: log the address the log-in throttle trusts (AXES_CLIENT_IP_CALLABLE),
    which honours ONRAMP_TRUSTED_PROXIES, instead of whatever X-Forwarded-For claims."""
    structlog.contextvars.bind_contextvars(ip=import_string(settings.AXES_CLIENT_IP_CALLABLE)(request))
