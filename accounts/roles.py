"""The three roles are Django groups; their permissions are granted by a data migration."""

ENGINEER = "engineer"
APPROVER = "approver"
MANAGER = "manager"
ROLES = (ENGINEER, APPROVER, MANAGER)

_APP_MODELS = {
    "circuits": ("circuit", "providerorder", "authorization", "vnetlink", "serviceprovider", "peeringlocation"),
    "peerings": ("peering", "advertisedprefix", "prefixvalidationticket"),
    "accounts": ("team",),
    "audit": ("auditevent",),
}


def _perms(actions, models):
    return {f"{app}.{action}_{model}" for app, names in models.items() for model in names for action in actions}


ROLE_PERMISSIONS = {
    # Engineers change the onboarding objects; they never decide tickets.
    ENGINEER: _perms(("view",), _APP_MODELS)
    | _perms(
        ("add", "change"),
        {
            "circuits": ("circuit", "providerorder", "authorization", "vnetlink"),
            "peerings": ("peering", "prefixvalidationticket"),
        },
    )
    | {"circuits.delete_vnetlink", "circuits.delete_authorization"},
    APPROVER: _perms(("view",), _APP_MODELS) | {"peerings.decide_prefixvalidationticket"},
    MANAGER: _perms(("view",), _APP_MODELS) | {"circuits.view_billing"},
}


def has_role(user, role):
    return user.is_superuser or any(group.name == role for group in user.groups.all())


def sync_role_groups(apps, schema_editor=None):
    """Make each role group hold exactly its permissions. Run from a migration whenever roles change."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations (post_migrate); create them now.
    # A migration's app configs have no models module, which create_permissions insists on:
    # lend them one for the call, and leave the registry (maybe the global one) as it was.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in sorted(perms):
            app_label, codename = perm.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
