"""The admin never changes state behind the services' back: every change form of a model with state
leaves that state alone, and deletes of links and authorizations are audited like the UI's."""

import re

import pytest
from django.contrib import admin
from django.forms import MultiWidget
from django.urls import reverse

from audit.models import AuditEvent
from core.admin import ReadOnlyAdmin, ServiceDeleteAdmin
from notifications.models import Notification

# A model's state: Azure's provisioning states and statuses, and the flags the sweeps audit.
STATE_FIELD = re.compile(r"(_state|_status|^state|^status|^is_stuck|^is_stale|^deleted_at)$")


def state_fields(model):
    return [field for field in model._meta.concrete_fields if STATE_FIELD.search(field.name)]


# Read-only admins change nothing at all, so they cannot change state either.
STATEFUL_ADMINS = sorted(
    (
        model
        for model, model_admin in admin.site._registry.items()
        if state_fields(model) and not isinstance(model_admin, ReadOnlyAdmin)
    ),
    key=lambda model: model._meta.label,
)


def changed_value(field, current):
    """A value other than `current` that the field's form would accept."""
    if field.choices:
        return next(value for value, _ in field.choices if value != current)
    if field.get_internal_type() == "BooleanField":
        return not current
    if field.get_internal_type() == "DateTimeField":
        return "2001-01-01 00:00:00"
    return "Failed"


def instance_of(model, estate, user):
    known = {
        "circuits.circuit": estate.circuit,
        "circuits.providerorder": estate.order,
        "circuits.authorization": estate.authorization,
        "circuits.vnetlink": estate.link,
        "peerings.peering": estate.microsoft_peering,
        "peerings.prefixvalidationticket": estate.ticket,
        "notifications.notification": lambda: Notification.objects.create(user=user, kind="test", title="t"),
    }
    found = known[model._meta.label_lower]  # a new model with state needs a row here
    return found() if callable(found) else found


def change_form_data(response):
    """What a browser would post back from the change page, inlines included."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        forms += [management, *inline.formset.forms]
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if isinstance(bound.field.widget, MultiWidget):
                parts = bound.field.widget.decompress(value)
                data.update({f"{bound.html_name}_{i}": "" if part is None else part for i, part in enumerate(parts)})
            elif value is not None and value is not False:
                data[bound.html_name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return data


@pytest.mark.parametrize("model", STATEFUL_ADMINS, ids=lambda model: model._meta.label)
def test_admin_change_forms_leave_state_to_the_services(superuser_client, estate, model):
    obj = instance_of(model, estate, estate.superuser)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    page = superuser_client.get(url)
    assert page.status_code == 200
    data = change_form_data(page)
    before = {field.name: getattr(obj, field.attname) for field in state_fields(model)}
    for field in state_fields(model):
        data[field.name] = str(changed_value(field, before[field.name]))
    events = AuditEvent.objects.count()

    response = superuser_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    obj.refresh_from_db()
    assert {field.name: getattr(obj, field.attname) for field in state_fields(model)} == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("model", STATEFUL_ADMINS, ids=lambda model: model._meta.label)
def test_admin_deletes_of_audited_models_go_through_the_services_or_are_refused(rf, estate, model):
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = estate.superuser
    if model_admin.has_delete_permission(request) and model is not Notification:  # its state is not audited
        assert isinstance(model_admin, ServiceDeleteAdmin)


@pytest.mark.parametrize(
    ("model", "attribute"), [("vnetlink", "link"), ("authorization", "authorization")], ids=["link", "authorization"]
)
def test_admin_deletes_leave_a_circuit_audit_event(superuser_client, estate, model, attribute):
    obj = getattr(estate, attribute)
    response = superuser_client.post(
        reverse(f"admin:circuits_{model}_delete", args=[obj.pk]), {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert not type(obj).objects.filter(pk=obj.pk).exists()
    event = estate.circuit.audit_events.get(field="removed", object_id=obj.pk)
    assert (event.actor_user, event.reason) == (estate.superuser, "Removed in the admin.")


def test_admin_bulk_deletes_leave_a_circuit_audit_event_each(superuser_client, estate):
    response = superuser_client.post(
        reverse("admin:circuits_vnetlink_changelist"),
        {"action": "delete_selected", "_selected_action": [estate.link.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert estate.circuit.audit_events.filter(field="removed", object_id=estate.link.pk).count() == 1
