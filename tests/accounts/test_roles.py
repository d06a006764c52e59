"""The three roles are groups whose permissions a migration keeps exactly as accounts.roles says."""

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.roles import APPROVER, ENGINEER, MANAGER, ROLE_PERMISSIONS, sync_role_groups
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

DECIDE = "peerings.decide_prefixvalidationticket"
BILLING = "circuits.view_billing"


def group_permissions():
    return {
        group.name: {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        for group in Group.objects.filter(name__in=ROLE_PERMISSIONS).prefetch_related("permissions__content_type")
    }


def test_migrations_create_each_role_with_exactly_its_permissions():
    assert group_permissions() == ROLE_PERMISSIONS


@pytest.mark.parametrize(
    ("role", "permission", "granted"),
    [
        (ENGINEER, "circuits.add_circuit", True),
        (ENGINEER, "circuits.change_circuit", True),
        (ENGINEER, "peerings.add_prefixvalidationticket", True),
        (ENGINEER, DECIDE, False),
        (ENGINEER, BILLING, False),
        (APPROVER, DECIDE, True),
        (APPROVER, "circuits.change_circuit", False),
        (APPROVER, BILLING, False),
        (MANAGER, BILLING, True),
        (MANAGER, "circuits.view_circuit", True),
        (MANAGER, "audit.view_auditevent", True),
        (MANAGER, "circuits.change_circuit", False),
        (MANAGER, DECIDE, False),
    ],
)
def test_role_grants(role, permission, granted):
    user = UserFactory(role=role)

    assert user.has_perm(permission) is granted
    assert user.groups.filter(name=role).exists()


def test_nobody_may_change_or_delete_audit_events():
    granted = set().union(*ROLE_PERMISSIONS.values())

    assert not {perm for perm in granted if perm.startswith(("audit.change", "audit.delete", "audit.add"))}


def test_sync_is_idempotent_and_restores_tampered_groups():
    engineer = Group.objects.get(name=ENGINEER)
    engineer.permissions.add(Permission.objects.get(codename="decide_prefixvalidationticket"))
    Group.objects.get(name=MANAGER).delete()

    sync_role_groups(django_apps)
    sync_role_groups(django_apps)

    assert group_permissions() == ROLE_PERMISSIONS
    assert Group.objects.filter(name__in=ROLE_PERMISSIONS).count() == len(ROLE_PERMISSIONS)


def test_sync_leaves_the_app_registry_as_it_found_it():
    sync_role_groups(django_apps)

    assert django_apps.get_app_config("circuits").models_module is not None


def test_sync_runs_against_the_migration_state_as_the_migration_does():
    state_apps = MigrationExecutor(connection).loader.project_state(("accounts", "0002_roles")).apps

    sync_role_groups(state_apps)

    assert group_permissions() == ROLE_PERMISSIONS
