"""Whole-database snapshots, to prove that a refused action changed nothing."""

from django.apps import apps

DOMAIN_APPS = ("circuits", "peerings", "audit")


def domain_snapshot(app_labels=DOMAIN_APPS):
    """Every row of the domain apps, to prove a refused action left the database as it was."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for label in app_labels
        for model in apps.get_app_config(label).get_models()
    }
