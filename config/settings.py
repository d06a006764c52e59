"""Settings come from the environment (12-factor); defaults suit the embedded demo.

Production sets ONRAMP_DEBUG=0 (the default), ONRAMP_SECRET_KEY, ONRAMP_ALLOWED_HOSTS,
DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis).
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

from config.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("ONRAMP_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("ONRAMP_DEBUG", default=False)
_DEV_SECRET = "onramp-insecure-development-key-never-use-in-production-0123456789"
SECRET_KEY = env.str("ONRAMP_SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("Set ONRAMP_SECRET_KEY (or ONRAMP_DEBUG=1 for a demo).")
ALLOWED_HOSTS = env.list("ONRAMP_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("ONRAMP_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for the project's form renderer (FORM_RENDERER)
    "axes",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc served from our own static files (no CDN)
    "core",
    "accounts",
    "audit",
    "circuits",
    "peerings",
    "registry",
    "notifications",
    "billing",
    "outbox",
    "validation",
    "sync",
    "health",
    "insights",
    "api",
    "webhooks",
    "metrics",
    "devtools",  # the demo and the benchmark: tooling, nothing of the product imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_structlog.middlewares.RequestMiddleware",  # after auth: binds request id, user id, address
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.SessionTrackingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]
MIDDLEWARE.insert(0, "metrics.middleware.RequestLatencyMiddleware")  # first: times the whole request

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Fields drawn as the project draws them: templates/includes/_field.html (core.forms.FormRenderer).
FORM_RENDERER = "core.forms.FormRenderer"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'onramp.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("ONRAMP_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The demo's web server and Celery worker write to one SQLite file: take the write lock up
    # front and wait for it, instead of failing with "database is locked"; WAL lets pages read meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes): 5 failures for one username from one address lock that pair out
# for 15 minutes, even with the right password; others are unaffected. Locked-out logins get the
# lockout page (429). The log names the username and address, never the password.
AUTHENTICATION_BACKENDS = ["accounts.backends.OnrampBackend"]  # passwords (throttled) and OIDC, one backend
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"
ONRAMP_TRUSTED_PROXIES = env.int("ONRAMP_TRUSTED_PROXIES", default=0)  # reverse proxies adding X-Forwarded-For
AXES_USERNAME_CALLABLE = "accounts.throttling.attempted_username"
AXES_FAILURE_LIMIT = env.int("ONRAMP_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("ONRAMP_LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_SENSITIVE_PARAMETERS = []  # the password is always masked; operators need the username and address
AXES_VERBOSE = False  # no banner on every manage.py command; failures still log username and address
# Sessions are server-side, so logging out (or an admin, or the user on "Your sessions") ends them
# for good: a copied cookie dies with its row. With a Redis cache (ONRAMP_CACHE_URL) they are
# read from the cache and written through to the database (cached_db): a request reads no session
# row, as with the signed cookie they replace (docs/PERFORMANCE.md); the demo has no Redis and uses
# the database. accounts.middleware records device, address and last use, at most once a minute.
ONRAMP_CACHE_URL = env.str("ONRAMP_CACHE_URL", default="")
if ONRAMP_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": ONRAMP_CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
SESSION_ENGINE = f"django.contrib.sessions.backends.{'cached_db' if ONRAMP_CACHE_URL else 'db'}"
ONRAMP_SESSION_SEEN_EVERY = 60  # seconds between two updates of a session's "last seen"
# Local passwords (the demo, break-glass admins); ONRAMP_LOCAL_LOGIN=0 leaves single sign-on only
# and turns password reset off.
ONRAMP_LOCAL_LOGIN = env.bool("ONRAMP_LOCAL_LOGIN", default=True)
# Password reset mails a link only when e-mail is configured (ONRAMP_EMAIL_BACKEND or
# ONRAMP_SMTP_HOST set); otherwise the page answers the same and sends nothing. Throttled per
# address asked for and per client, in the cache (README "Logging in").
ONRAMP_PASSWORD_RESET_EMAIL = "ONRAMP_EMAIL_BACKEND" in env.ENVIRON or "ONRAMP_SMTP_HOST" in env.ENVIRON
ONRAMP_PASSWORD_RESET_PER_ADDRESS = env.int("ONRAMP_PASSWORD_RESET_PER_ADDRESS", default=3)
ONRAMP_PASSWORD_RESET_PER_CLIENT = env.int("ONRAMP_PASSWORD_RESET_PER_CLIENT", default=10)
ONRAMP_PASSWORD_RESET_WINDOW = env.int("ONRAMP_PASSWORD_RESET_WINDOW_MINUTES", default=60) * 60
# Single sign-on with OpenID Connect (mozilla-django-oidc; docs/SSO.md). On when a client ID and
# an issuer (endpoints found by discovery) or explicit endpoints are set. The client secret is only
# ever sent to the provider's token endpoint.
ONRAMP_OIDC_ISSUER = env.str("ONRAMP_OIDC_ISSUER", default="")
ONRAMP_OIDC_NAME = env.str("ONRAMP_OIDC_NAME", default="Microsoft Entra ID")
ONRAMP_OIDC_GROUP_CLAIMS = env.list("ONRAMP_OIDC_GROUP_CLAIMS", default=["groups", "roles"])
OIDC_RP_CLIENT_ID = env.str("ONRAMP_OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("ONRAMP_OIDC_CLIENT_SECRET", default="")
OIDC_RP_SIGN_ALGO = env.str("ONRAMP_OIDC_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("ONRAMP_OIDC_SCOPES", default="openid email profile")
# Each endpoint left empty comes from the issuer's /.well-known/openid-configuration.
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("ONRAMP_OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("ONRAMP_OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("ONRAMP_OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("ONRAMP_OIDC_JWKS_ENDPOINT", default="")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("ONRAMP_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
# Uploaded evidence lives outside the web root and is served only through a permission-checked view.
MEDIA_ROOT = env.str("ONRAMP_MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Request bodies apart from uploaded files (forms, JSON): the largest form is a few KiB, so a bigger
# body is refused (400) before it is parsed. Evidence files have their own limits (validation.evidence).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("ONRAMP_MAX_REQUEST_BODY_BYTES", default=256 * 1024)

# Security headers. HTTPS settings follow DEBUG unless set explicitly (tests over plain HTTP).
HTTPS = env.bool("ONRAMP_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

# Celery: Redis in production; the embedded demo uses a SQLite file of its own as the broker
# (config.broker: Kombu's SQLAlchemy transport), so it needs no Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=f"sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}")
if CELERY_BROKER_URL.startswith("sqlite:"):
    # A worker with nothing to do polls the file; Kombu's 1 s default would also cap it at one
    # task a second, as it waits a poll between two tasks.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"polling_interval": 0.1}
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # workers and beat log through LOGGING too (config.logs: JSON, escaped)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULER = "config.beat:DumbDbmScheduler"

# Polling (sync.tasks, README "Polling and background work"). Intervals in seconds.
ONRAMP_STATE_SOURCE = env.str("ONRAMP_STATE_SOURCE", default="simulator")  # simulator | azure
# How often open pages ask whether their circuits changed; onboarded circuits change rarely.
ONRAMP_LIVE_POLL_SECONDS = env.int("ONRAMP_LIVE_POLL_SECONDS", default=5)
ONRAMP_LIVE_POLL_ONBOARDED_SECONDS = env.int("ONRAMP_LIVE_POLL_ONBOARDED_SECONDS", default=30)
ONRAMP_POLL_INTERVAL = env.float("ONRAMP_POLL_INTERVAL", default=60)
ONRAMP_POLL_MOTION_INTERVAL = env.float("ONRAMP_POLL_MOTION_INTERVAL", default=15)
ONRAMP_SWEEP_INTERVAL = env.float("ONRAMP_SWEEP_INTERVAL", default=min(ONRAMP_POLL_MOTION_INTERVAL, 10))
# A chunk is checked in bulk (sync.polling.circuits_check), its changes applied in one transaction and
# their follow-ups (notifications, webhooks, billing, insights, validation) done once per chunk, at a
# cost nearly the same for few circuits as for many: 500 did a sweep with 10% changing in ~60% of the
# work of 200 (docs/PERFORMANCE.md). A chunk's changing circuits stay locked while it applies them.
ONRAMP_POLL_CHUNK_SIZE = env.int("ONRAMP_POLL_CHUNK_SIZE", default=500)
ONRAMP_POLL_REQUEUE_AFTER = env.float("ONRAMP_POLL_REQUEUE_AFTER", default=120)  # a queued check looks lost
ONRAMP_POLL_MAX_RETRIES = env.int("ONRAMP_POLL_MAX_RETRIES", default=3)
ONRAMP_POLL_RETRY_BASE_DELAY = env.float("ONRAMP_POLL_RETRY_BASE_DELAY", default=5)
ONRAMP_POLL_RETRY_MAX_DELAY = env.float("ONRAMP_POLL_RETRY_MAX_DELAY", default=300)
ONRAMP_STALE_AFTER_FAILURES = env.int("ONRAMP_STALE_AFTER_FAILURES", default=3)
ONRAMP_HEARTBEAT_INTERVAL = env.float("ONRAMP_HEARTBEAT_INTERVAL", default=15)
# Background work older than this shows a banner on every page and a "late" in /healthz. Three
# missed heartbeats, plus the banner's 15 s poll: a dead worker shows within a minute.
ONRAMP_BACKGROUND_LATE_AFTER = env.float("ONRAMP_BACKGROUND_LATE_AFTER", default=3 * ONRAMP_HEARTBEAT_INTERVAL)
# Beat's outbox relay publishes tasks queued while the broker was down (outbox.beat).
ONRAMP_OUTBOX_RELAY_INTERVAL = env.float("ONRAMP_OUTBOX_RELAY_INTERVAL", default=5)
ONRAMP_SIMULATOR_SEED = env.int("ONRAMP_SIMULATOR_SEED", default=0)
ONRAMP_SIMULATOR_SPEED = env.float("ONRAMP_SIMULATOR_SPEED", default=1.0)
# registry (the routing-registry validator decides), or Configured, ValidationNeeded, mixed.
ONRAMP_SIMULATOR_PREFIX_OUTCOME = env.str("ONRAMP_SIMULATOR_PREFIX_OUTCOME", default="registry")
ONRAMP_PREFIX_VALIDATOR = env.str("ONRAMP_PREFIX_VALIDATOR", default="")  # dotted path, see sync.sources.simulator
ONRAMP_AZURE_SUBSCRIPTIONS = env.list("ONRAMP_AZURE_SUBSCRIPTIONS", default=[])
ONRAMP_AZURE_TEAM = env.str("ONRAMP_AZURE_TEAM", default="")  # owner of circuits the Azure sync finds
ONRAMP_AZURE_SYNC_INTERVAL = env.float("ONRAMP_AZURE_SYNC_INTERVAL", default=900)
ONRAMP_INSIGHTS_REFRESH_INTERVAL = env.float("ONRAMP_INSIGHTS_REFRESH_INTERVAL", default=3600)
CELERY_BEAT_SCHEDULE = {
    "sweep-circuits": {"task": "circuits.sweep", "schedule": ONRAMP_SWEEP_INTERVAL},
    "flag-stuck-circuits": {"task": "circuits.flag_stuck", "schedule": 600.0},
    "heartbeat": {"task": "health.heartbeat", "schedule": ONRAMP_HEARTBEAT_INTERVAL},
    "webhook-retries": {"task": "webhooks.sweep", "schedule": env.float("ONRAMP_WEBHOOK_SWEEP_INTERVAL", default=10)},
    "webhook-billing-idle": {"task": "webhooks.billing_idle_check", "schedule": 3600.0},
    # The full rebuild of insights (group statistics, every forecast); transitions refresh their circuit at once.
    "refresh-insights": {"task": "insights.refresh", "schedule": ONRAMP_INSIGHTS_REFRESH_INTERVAL},
    "billing-accruals": {"task": "billing.accruals_complete", "schedule": crontab(hour=2, minute=30)},
}
if ONRAMP_STATE_SOURCE == "azure":
    CELERY_BEAT_SCHEDULE["sync-azure"] = {"task": "circuits.azure_sync", "schedule": ONRAMP_AZURE_SYNC_INTERVAL}
# A notification e-mail that fails is retried after this many seconds, doubling each time (5 tries).
ONRAMP_EMAIL_RETRY_BASE_DELAY = env.float("ONRAMP_EMAIL_RETRY_BASE_DELAY", default=30)
MAILERS = {
    "default": {
        "BACKEND": env.str(
            "ONRAMP_EMAIL_BACKEND",
            default="django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": {
            "host": env.str("ONRAMP_SMTP_HOST", default="localhost"),
            "port": env.int("ONRAMP_SMTP_PORT", default=25),
        },
    }
}
# Only the SMTP backend takes a host and port; the others refuse unknown options.
if not MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {}
DEFAULT_FROM_EMAIL = env.str("ONRAMP_FROM_EMAIL", default="onramp@localhost")

# Structured logs (config.logs): one JSON object per line unless ONRAMP_LOG_FORMAT=console (DEBUG's
# default); either way a control character in logged text is escaped, never a new line.
LOGGING = logging_config(
    json=env.str("ONRAMP_LOG_FORMAT", default="console" if DEBUG else "json") == "json",
    level=env.str("ONRAMP_LOG_LEVEL", default="INFO"),
)
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False  # core.logs binds the throttle's client address instead

# Onramp's own knobs.
ONRAMP_STUCK_BUSINESS_DAYS = env.int("ONRAMP_STUCK_BUSINESS_DAYS", default=10)
# Billing: a circuit never provisioned this many days after creation is idle (paid for nothing).
BILLING_IDLE_AFTER_DAYS = env.int("ONRAMP_BILLING_IDLE_AFTER_DAYS", default=30)
BILLING_CURRENCY = env.str("ONRAMP_BILLING_CURRENCY", default="USD")
# Azure's default quotas; raise them here once Microsoft has raised yours.
ONRAMP_CIRCUITS_PER_SUBSCRIPTION = env.int("ONRAMP_CIRCUITS_PER_SUBSCRIPTION", default=50)
ONRAMP_CIRCUITS_PER_REGION = env.int("ONRAMP_CIRCUITS_PER_REGION", default=10)

# The REST API (/api/, docs/API.md): per-user tokens or the browser session, problem details for
# every error, the same filters and services as the pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",  # first: its header makes an anonymous call a 401
        "rest_framework.authentication.SessionAuthentication",  # the browsable API, CSRF-checked
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.RolePermission"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PagePagination",
    "DEFAULT_SCHEMA_CLASS": "api.schema.ProblemAutoSchema",  # documents the problem responses too
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",  # a body nested too deep is a 400, not a 500
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",  # ticket evidence files
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "URL_FORMAT_OVERRIDE": None,  # no ?format=: content negotiation by Accept only
}
# Requests a minute per token (or per session user), e.g. "600/min"; a 429 says when to retry.
ONRAMP_API_THROTTLE_RATE = env.str("ONRAMP_API_THROTTLE_RATE", default="600/min")
ONRAMP_API_TOKEN_MAX_DAYS = env.int("ONRAMP_API_TOKEN_MAX_DAYS", default=365)
SPECTACULAR_SETTINGS = {
    "TITLE": "Onramp API",
    "DESCRIPTION": "Azure ExpressRoute circuits from creation to a working connection. See docs/API.md.",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ProviderOrderStatusEnum": "api.schema.ORDER_STATUSES",
        "TicketStatusEnum": "api.schema.TICKET_STATUSES",
        "StepStatusEnum": "api.schema.STEP_STATUSES",
    },
    # Real examples only: requests and answers recorded by `manage.py api_examples` (docs/API.md, Examples).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.nullable_as_null_type",
        "api.schema.attach_examples",
    ],
}
# Webhooks (docs/WEBHOOKS.md): retried with exponential backoff and jitter for ONRAMP_WEBHOOK_RETRY_FOR
# seconds, then the endpoint is disabled. Outbound requests refuse private, loopback and link-local
# addresses except in the networks listed here (CIDR; the tests allow 127.0.0.1/32).
ONRAMP_WEBHOOK_ALLOW_PRIVATE = env.list("ONRAMP_WEBHOOK_ALLOW_PRIVATE", default=[])
ONRAMP_WEBHOOK_TIMEOUT = env.float("ONRAMP_WEBHOOK_TIMEOUT", default=10)
ONRAMP_WEBHOOK_RETRY_FOR = env.float("ONRAMP_WEBHOOK_RETRY_FOR", default=86400)
ONRAMP_WEBHOOK_RETRY_BASE_DELAY = env.float("ONRAMP_WEBHOOK_RETRY_BASE_DELAY", default=10)
ONRAMP_WEBHOOK_RETRY_MAX_DELAY = env.float("ONRAMP_WEBHOOK_RETRY_MAX_DELAY", default=3600)
ONRAMP_WEBHOOK_REQUEUE_AFTER = env.float("ONRAMP_WEBHOOK_REQUEUE_AFTER", default=120)  # a queued send looks lost
ONRAMP_WEBHOOK_SWEEP_BATCH = env.int("ONRAMP_WEBHOOK_SWEEP_BATCH", default=500)
ONRAMP_WEBHOOK_SECRET_OVERLAP = env.float("ONRAMP_WEBHOOK_SECRET_OVERLAP", default=86400)  # both secrets sign
# Inbound Azure Event Grid events (/hooks/azure/): refused unless this shared secret is sent.
ONRAMP_EVENTGRID_SECRET = env.str("ONRAMP_EVENTGRID_SECRET", default="")
# /metrics (docs/METRICS.md): a bearer token, and/or client networks allowed without one (CIDR).
ONRAMP_METRICS_TOKEN = env.str("ONRAMP_METRICS_TOKEN", default="")
ONRAMP_METRICS_ALLOWED_NETWORKS = env.list("ONRAMP_METRICS_ALLOWED_NETWORKS", default=[])
