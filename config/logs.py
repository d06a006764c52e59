"""The LOGGING setting, structured: one JSON object per line (what operators ship), or in DEBUG one readable line.

Every record, Django's, axes' and ours (stdlib `logging`) as well as django-structlog's request events,
goes through structlog's ProcessorFormatter. JSON escapes control characters itself; the console
renderer does not, so its text is escaped first: a newline in a username can never start a forged
line. Each line carries the request's id, user id and client address (the one the log-in throttle
counts by, not a spoofable forwarded header).
"""

import structlog

# C0 and C1 controls, DEL and the Unicode line separators, written as Python escapes: "\n" → "\\n".
_ESCAPES = str.maketrans({code: repr(chr(code))[1:-1] for code in [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]})
_SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def escape_control_characters(logger, method_name, event_dict):
    """structlog processor: every text value on one line, its control characters escaped."""
    return {key: value.translate(_ESCAPES) if isinstance(value, str) else value for key, value in event_dict.items()}


def logging_config(*, json: bool, level: str) -> dict:
    """The LOGGING setting: every record to stderr through structlog, as JSON or as an escaped console line."""
    renderer = (
        [structlog.processors.JSONRenderer(sort_keys=True)]
        if json
        else [escape_control_characters, structlog.dev.ConsoleRenderer(colors=False)]
    )
    structlog.configure(
        processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "foreign_pre_chain": _SHARED,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,  # the traceback as one escaped value
                    *renderer,
                ],
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
    }
