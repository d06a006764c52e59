"""Writes for webhooks: endpoints and their secrets, events and their deliveries.

An event and its deliveries are written in the transaction of the change that caused it (an audit
event's), and each delivery's send is queued through the outbox by name in that same transaction:
the delivery exists exactly when the change does, whatever Redis or the receiver are doing.
"""

import json
import random
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.roles import ENGINEER
from audit.services import audit_event_record
from circuits.models import Circuit
from circuits.selectors import with_workflow_step
from core.actors import SYSTEM, Actor
from core.errors import DomainError
from notifications.services import notify_users
from outbox.services import enqueue

from . import transport
from .choices import DeliveryStatusChoices, EventTypeChoices
from .models import CircuitStepMark, Delivery, DeliveryAttempt, Endpoint, WebhookEvent
from .secrets import secret_decrypt, secret_encrypt, secret_generate

DELIVER_TASK = "webhooks.deliver"
UNREADABLE_SECRET = "The signing secret cannot be decrypted (SECRET_KEY changed since?): rotate the endpoint's secret."
SUBSCRIBABLE = set(EventTypeChoices.values())


def _refuse_bad_rule(*, url, teams, event_types):
    if not teams:
        raise DomainError("Choose at least one team whose circuits this endpoint hears about.", field="teams")
    unknown = set(event_types) - SUBSCRIBABLE
    if unknown or not event_types:
        raise DomainError("Choose at least one of the listed events.", field="event_types")
    try:
        transport.destination_check(url)
    except transport.RefusedDestination as refused:
        raise DomainError(str(refused), field="url") from refused


@transaction.atomic
def endpoint_create(
    *, name: str, url: str, teams, event_types: list[str], actor: Actor = SYSTEM
) -> tuple[Endpoint, str]:
    """Create an endpoint; returns it and its secret, which is shown this once and never again."""
    _refuse_bad_rule(url=url, teams=teams, event_types=event_types)
    secret = secret_generate()
    endpoint = Endpoint.objects.create(
        name=name,
        url=url,
        event_types=sorted(event_types),
        secret_encrypted=secret_encrypt(secret),
        created_by=actor.user,
    )
    endpoint.teams.set(teams)
    audit_event_record(obj=endpoint, field="created", to_value=_url_for_audit(url), actor=actor)
    _step_marks_start(endpoint)
    return endpoint, secret


def _url_for_audit(url: str) -> str:
    """Where a URL points, without what may be a credential: receivers such as chat incoming webhooks
    carry their token in the path or query, and user:password may precede the host."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return f"{origin}/…" if parts.path.strip("/") or parts.query else f"{origin}/"


def _rule(endpoint: Endpoint) -> dict[str, str]:
    """What an endpoint listens to and where, to compare before and after a change."""
    return {
        "name": endpoint.name,
        "url": endpoint.url,
        "teams": ", ".join(sorted(team.name for team in endpoint.teams.all())),
        "event_types": ", ".join(endpoint.event_types),
    }


@transaction.atomic
def endpoint_update(
    *, endpoint: Endpoint, name: str, url: str, teams, event_types: list[str], actor: Actor = SYSTEM
) -> Endpoint:
    """Change the rule; one audit event per field that changed."""
    _refuse_bad_rule(url=url, teams=teams, event_types=event_types)
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    before = _rule(endpoint)
    endpoint.name, endpoint.url, endpoint.event_types = name, url, sorted(event_types)
    endpoint.save(update_fields=["name", "url", "event_types"])
    endpoint.teams.set(teams)
    after = _rule(endpoint)
    for field, old in before.items():
        if after[field] != old:
            shown = _url_for_audit if field == "url" else str
            audit_event_record(
                obj=endpoint, field=field, from_value=shown(old), to_value=shown(after[field]), actor=actor
            )
    _step_marks_start(endpoint)
    return endpoint


def _step_marks_start(endpoint: Endpoint) -> None:
    """Remember where the teams' circuits are now, so the next step each completes is told (and none before)."""
    if EventTypeChoices.STEP_COMPLETED not in endpoint.event_types:
        return
    circuits = with_workflow_step(Circuit.objects.filter(team__in=endpoint.teams.all(), deleted_at__isnull=True))
    marks = [CircuitStepMark(circuit_id=pk, step=step) for pk, step in circuits.values_list("pk", "workflow_step")]
    CircuitStepMark.objects.bulk_create(marks, ignore_conflicts=True)


@transaction.atomic
def endpoint_rotate_secret(
    *, endpoint: Endpoint, actor: Actor = SYSTEM, overlap: timedelta | None = None, now=None
) -> str:
    """A new secret, returned this once; the old one keeps signing too until the overlap ends."""
    now = now or timezone.now()
    overlap = timedelta(seconds=settings.ONRAMP_WEBHOOK_SECRET_OVERLAP) if overlap is None else overlap
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    secret = secret_generate()
    endpoint.previous_secret_encrypted = endpoint.secret_encrypted
    endpoint.previous_secret_until = now + overlap
    endpoint.secret_encrypted = secret_encrypt(secret)
    endpoint.save(update_fields=["secret_encrypted", "previous_secret_encrypted", "previous_secret_until"])
    audit_event_record(
        obj=endpoint,
        field="secret",
        to_value="rotated",
        actor=actor,
        reason=f"The previous secret also signs until {endpoint.previous_secret_until:%Y-%m-%d %H:%M} UTC.",
    )
    return secret


def endpoint_signing_secrets(endpoint: Endpoint, *, now=None) -> list[str]:
    """The secrets that sign a message now: the current one, and the previous one during an overlap."""
    now = now or timezone.now()
    secrets = [secret_decrypt(endpoint.secret_encrypted)]
    if endpoint.previous_secret_encrypted and endpoint.previous_secret_until and endpoint.previous_secret_until > now:
        secrets.append(secret_decrypt(endpoint.previous_secret_encrypted))
    return secrets


def endpoint_owners(endpoint: Endpoint):
    """Who is told when the endpoint is disabled: its creator and the engineers of its teams."""
    engineers = Q(groups__name=ENGINEER, teams__in=endpoint.teams.all()) | Q(pk=endpoint.created_by_id)
    return get_user_model().objects.filter(engineers, is_active=True).distinct()


@transaction.atomic
def endpoint_disable(*, endpoint: Endpoint, reason: str, actor: Actor = SYSTEM, now=None) -> Endpoint:
    """Stop sending to the endpoint and tell its owners; pending deliveries wait for it to be enabled."""
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    if not endpoint.is_active:
        return endpoint
    endpoint.is_active, endpoint.disabled_at, endpoint.disabled_reason = False, now or timezone.now(), reason[:500]
    endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
    audit_event_record(obj=endpoint, field="is_active", from_value=True, to_value=False, actor=actor, reason=reason)
    advice = (
        f"{actor} disabled it; pending deliveries are sent when it is enabled again."
        if actor.is_person
        else "Fix the receiver, then enable the endpoint again and redeliver from its delivery log."
    )
    notify_users(
        users=list(endpoint_owners(endpoint)),
        kind="webhook_disabled",
        title=f"Webhook endpoint {endpoint.name} disabled",
        body=f"{reason} {advice}",
    )
    return endpoint


@transaction.atomic
def endpoint_enable(*, endpoint: Endpoint, actor: Actor = SYSTEM, now=None) -> Endpoint:
    """Send again: deliveries still pending are due at once, with a fresh day of retries."""
    now = now or timezone.now()
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    if not endpoint.is_active:
        audit_event_record(obj=endpoint, field="is_active", from_value=False, to_value=True, actor=actor)
    endpoint.is_active, endpoint.disabled_at, endpoint.disabled_reason = True, None, ""
    endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
    for delivery in endpoint.deliveries.filter(status=DeliveryStatusChoices.PENDING):
        _queue(delivery, now=now, restart=True)
    return endpoint


def _queue(delivery: Delivery, *, now: datetime, restart: bool = False) -> None:
    """Make the delivery due now and queue its send with the current transaction."""
    delivery.next_attempt_at = delivery.queued_at = now
    fields = ["next_attempt_at", "queued_at"]
    if restart:
        delivery.status, delivery.retry_from = DeliveryStatusChoices.PENDING, now
        fields += ["status", "retry_from"]
    delivery.save(update_fields=fields)
    enqueue(DELIVER_TASK, delivery.pk)


def event_payload(*, type: str, at: datetime, data: dict) -> str:
    return json.dumps({"type": type, "timestamp": at.isoformat(), "data": data}, cls=DjangoJSONEncoder)


@transaction.atomic
def event_record(
    *, type: str, data: dict, endpoints: list[Endpoint], circuit_id=None, audit_event=None, dedupe_key=""
) -> WebhookEvent | None:
    """Record an event for these endpoints, with a delivery each, queued with the current transaction.

    Nothing is written for no endpoint. A derived event already recorded (same type and dedupe_key)
    is not recorded again."""
    if not endpoints:
        return None
    if dedupe_key and WebhookEvent.objects.filter(type=type, dedupe_key=dedupe_key).exists():
        return None
    now = timezone.now()
    event = WebhookEvent.objects.create(
        type=type,
        circuit_id=circuit_id,
        audit_event=audit_event,
        dedupe_key=dedupe_key,
        body=event_payload(type=type, at=now, data=data),
    )
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(event=event, endpoint=endpoint, next_attempt_at=now, queued_at=now, retry_from=now)
            for endpoint in endpoints
        ]
    )
    for delivery in deliveries:
        enqueue(DELIVER_TASK, delivery.pk)
    return event


def endpoints_listening(*, team_id: int) -> list[Endpoint]:
    # Filtered by event type in Python: the demo's SQLite has no JSON containment lookup, and a team has few endpoints.
    return list(Endpoint.objects.filter(is_active=True, teams=team_id))


@transaction.atomic
def endpoint_ping(*, endpoint: Endpoint, user) -> WebhookEvent:
    """Send a test event to this endpoint only, to check the receiver and its signature verification."""
    if not endpoint.is_active:
        raise DomainError(f"{endpoint.name} is disabled: enable it first.", code="conflict")
    data = {"endpoint": endpoint.name, "requested_by": user.get_username()}
    return event_record(type=EventTypeChoices.PING, data=data, endpoints=[endpoint])


def retry_delay(attempts: int) -> float:
    """Exponential backoff with jitter: between half and all of base·2^(attempts-1), capped."""
    ceiling = min(
        settings.ONRAMP_WEBHOOK_RETRY_MAX_DELAY, settings.ONRAMP_WEBHOOK_RETRY_BASE_DELAY * 2 ** (attempts - 1)
    )
    return random.uniform(ceiling / 2, ceiling)


def delivery_send(*, delivery_id: int, now=None) -> DeliveryAttempt | None:
    """Send one delivery if it is pending and due; returns the attempt made, if any.

    The row stays locked while the request is out, so two workers never send it at once; a worker
    killed mid-request leaves it pending, and it is sent again with the same webhook-id, which
    receivers use to drop the duplicate (Standard Webhooks' idempotency)."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("event", "endpoint")
            .filter(pk=delivery_id, status=DeliveryStatusChoices.PENDING, endpoint__is_active=True)
            .first()
        )
        now = now or timezone.now()
        if delivery is None or (delivery.next_attempt_at and delivery.next_attempt_at > now):
            return None
        try:
            secrets = endpoint_signing_secrets(delivery.endpoint, now=now)
        except InvalidToken:
            outcome = transport.Outcome(False, None, 0, error=UNREADABLE_SECRET)
        else:
            outcome = transport.send(
                url=delivery.endpoint.url,
                secrets=secrets,
                message_id=delivery.event.message_id,
                timestamp=now,
                body=delivery.event.body,
            )
        return _record_attempt(delivery=delivery, outcome=outcome, now=now)


def _record_attempt(*, delivery: Delivery, outcome: transport.Outcome, now: datetime) -> DeliveryAttempt:
    attempt = DeliveryAttempt.objects.create(
        delivery=delivery,
        succeeded=outcome.succeeded,
        status_code=outcome.status_code,
        latency_ms=outcome.latency_ms,
        response_excerpt=outcome.response_excerpt,
        error=outcome.error,
    )
    delivery.attempts += 1
    delivery.last_attempt_at = now
    if outcome.succeeded:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = DeliveryStatusChoices.DELIVERED, now, None
    elif now - delivery.retry_from >= timedelta(seconds=settings.ONRAMP_WEBHOOK_RETRY_FOR):
        delivery.status, delivery.next_attempt_at = DeliveryStatusChoices.FAILED, None
    else:
        delivery.next_attempt_at = now + timedelta(seconds=retry_delay(delivery.attempts))
    delivery.save(update_fields=["attempts", "last_attempt_at", "status", "delivered_at", "next_attempt_at"])
    if delivery.status == DeliveryStatusChoices.FAILED:
        endpoint_disable(
            endpoint=delivery.endpoint,
            reason=f"Deliveries kept failing for a day ({delivery.attempts} tries; last: "
            f"{outcome.status_code or outcome.error}).",
            now=now,
        )
    return attempt


@transaction.atomic
def delivery_redeliver(*, delivery: Delivery) -> Delivery:
    """Send a delivery again (same webhook-id), whatever became of it; retried for another day if it fails."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    _queue(delivery, now=timezone.now(), restart=True)
    return delivery


@transaction.atomic
def deliveries_queue_due(*, now=None) -> int:
    """Queue the sends of pending deliveries that are due: retries whose backoff has passed, and sends
    that look lost (queued long ago, never attempted since). Returns how many were queued."""
    now = now or timezone.now()
    lost_before = now - timedelta(seconds=settings.ONRAMP_WEBHOOK_REQUEUE_AFTER)
    not_queued = Q(queued_at__isnull=True) | Q(last_attempt_at__gte=F("queued_at")) | Q(queued_at__lte=lost_before)
    due = Delivery.objects.filter(
        not_queued, status=DeliveryStatusChoices.PENDING, endpoint__is_active=True, next_attempt_at__lte=now
    )
    ids = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[: settings.ONRAMP_WEBHOOK_SWEEP_BATCH])
    Delivery.objects.filter(pk__in=ids).update(queued_at=now)
    for delivery_id in ids:
        enqueue(DELIVER_TASK, delivery_id)
    return len(ids)
