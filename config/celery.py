import os

from celery import Celery

from . import broker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

broker.register()  # before any connection: the demo's `sqlite:///` broker URL names it
app = Celery("onramp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
