"""The stamps (core.stamps) behind the live polls' cached answers, and what forgets them.

- each circuit's stamp: forgotten by every write to that circuit row (CircuitQuerySet, and the
  receivers below for save and delete), so a circuit page's poll answer goes stale;
- the list's stamp: forgotten by every write to any circuit (rows join, leave and move between the
  list's pages when any circuit changes);
- the access stamp: forgotten when anyone's permissions, groups or team memberships change;
- the catalog stamp: forgotten when a service provider, peering location or team is saved or deleted
  (the list's filter menus name them all).

Writes reach circuit rows through services, transition(), circuit_touch() and the sweep's bulk
updates; hooking the model's queryset catches them all, whatever layer they come from.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.lookups import Exact, In
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.stamps import stamps_forget

ACCESS_STAMP = "circuits:stamp:access"
LIST_STAMP = "circuits:stamp:list"
CATALOG_STAMP = "circuits:stamp:catalog"


def circuit_stamp(circuit_id) -> str:
    return f"circuits:stamp:{circuit_id}"


def circuits_changed(circuit_ids):
    """Circuits `circuit_ids` were written (or created): their pages' and every list's poll answers are stale."""
    stamps_forget([LIST_STAMP, *map(circuit_stamp, circuit_ids)])


def targeted_ids(query):
    """The ids a queryset is narrowed to by `pk=` or `pk__in=` (ANDed with anything else), so an
    update can name the circuits it writes without reading them; None when it is not so narrowed."""
    where = query.where
    if where.connector != "AND" or where.negated:
        return None
    for lookup in where.children:
        if not isinstance(lookup, Exact | In) or getattr(lookup.lhs, "target", None) != query.get_meta().pk:
            continue
        values = list(lookup.rhs) if isinstance(lookup, In) and isinstance(lookup.rhs, list | tuple | set) else None
        values = [lookup.rhs] if isinstance(lookup, Exact) else values
        if values is not None and all(isinstance(value, int) for value in values):
            return values
    return None


def _circuit_saved_or_deleted(sender, instance, **kwargs):
    circuits_changed([instance.pk])


def _access_changed(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):  # m2m_changed also sends pre_add, pre_remove…
        stamps_forget([ACCESS_STAMP])


def _catalog_changed(sender, **kwargs):
    stamps_forget([CATALOG_STAMP])


def _user_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # every sign-in saves last_login: it grants nothing
    stamps_forget([ACCESS_STAMP])


def receivers_connect(circuit_model, team_model, catalog_models):
    """Connected once, by CircuitsConfig.ready()."""
    uid = "circuits.stamps."
    for model in (*catalog_models, team_model):
        for signal, what in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(_catalog_changed, sender=model, dispatch_uid=f"{uid}{model._meta.label}_catalog_{what}")
    post_save.connect(_circuit_saved_or_deleted, sender=circuit_model, dispatch_uid=f"{uid}circuit_saved")
    post_delete.connect(_circuit_saved_or_deleted, sender=circuit_model, dispatch_uid=f"{uid}circuit_deleted")
    user_model = get_user_model()
    post_save.connect(_user_saved, sender=user_model, dispatch_uid=f"{uid}user_saved")
    for model in (user_model, Group, Permission, team_model):
        post_delete.connect(_access_changed, sender=model, dispatch_uid=f"{uid}{model._meta.label}_deleted")
    for relation in (user_model.groups, user_model.user_permissions, Group.permissions, team_model.members):
        through = relation.through
        m2m_changed.connect(_access_changed, sender=through, dispatch_uid=f"{uid}{through._meta.label}")
