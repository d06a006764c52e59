"""Webhook endpoint pages (engineers, team-scoped) and the inbound Azure Event Grid endpoint."""

import hmac
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.actors import Actor
from core.errors import DomainError

from . import inbound, selectors, services
from .forms import EndpointForm

SECTION = {"section": "webhooks"}


def endpoint_list(request):
    endpoints = selectors.endpoints_visible_to(request.user)
    return render(request, "webhooks/endpoint_list.html", {**SECTION, "endpoints": endpoints})


def _form_page(request, *, endpoint=None):
    teams = selectors.teams_for_rules(request.user)
    initial = (
        {
            "name": endpoint.name,
            "url": endpoint.url,
            "teams": list(endpoint.teams.all()),
            "event_types": endpoint.event_types,
        }
        if endpoint
        else {}
    )
    form = EndpointForm(request.POST or None, teams=teams, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if endpoint is None:
                endpoint, secret = services.endpoint_create(actor=Actor.person(request.user), **form.cleaned_data)
                return render(request, "webhooks/secret.html", {**SECTION, "endpoint": endpoint, "secret": secret})
            services.endpoint_update(endpoint=endpoint, actor=Actor.person(request.user), **form.cleaned_data)
            messages.success(request, f"{endpoint.name} saved.")
            return redirect(endpoint)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(request, "webhooks/endpoint_form.html", {**SECTION, "form": form, "endpoint": endpoint})


@require_http_methods(["GET", "POST"])
def endpoint_create(request):
    selectors.endpoints_visible_to(request.user)  # 403 for anyone but engineers and superusers
    return _form_page(request)


@require_http_methods(["GET", "POST"])
def endpoint_edit(request, pk):
    return _form_page(request, endpoint=selectors.endpoint_for(request.user, pk))


def endpoint_detail(request, pk):
    endpoint = selectors.endpoint_for(request.user, pk)
    context = {**SECTION, "endpoint": endpoint, "deliveries": selectors.endpoint_log(endpoint)}
    return render(
        request, "webhooks/endpoint_detail.html#log" if request.htmx else "webhooks/endpoint_detail.html", context
    )


@require_POST
def endpoint_rotate(request, pk):
    endpoint = selectors.endpoint_for(request.user, pk)
    secret = services.endpoint_rotate_secret(endpoint=endpoint, actor=Actor.person(request.user))
    return render(request, "webhooks/secret.html", {**SECTION, "endpoint": endpoint, "secret": secret, "rotated": True})


@require_POST
def endpoint_enable(request, pk):
    endpoint = selectors.endpoint_for(request.user, pk)
    endpoint = services.endpoint_enable(endpoint=endpoint, actor=Actor.person(request.user))
    messages.success(request, f"{endpoint.name} enabled: pending deliveries are being sent.")
    return redirect(endpoint)


@require_POST
def endpoint_ping(request, pk):
    endpoint = selectors.endpoint_for(request.user, pk)
    try:
        services.endpoint_ping(endpoint=endpoint, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Test event queued; it shows in the log below.")
    return redirect(endpoint)


@require_POST
def delivery_redeliver(request, delivery_pk):
    delivery = services.delivery_redeliver(delivery=selectors.delivery_for(request.user, delivery_pk))
    messages.success(request, f"Delivery {delivery.event.message_id} queued again.")
    return redirect(delivery.endpoint)


def _authorized(request) -> bool:
    """The shared secret, from the `code` query parameter or the X-Onramp-Event-Key header (set as an
    Event Grid delivery property). No secret configured: the endpoint refuses everything."""
    expected = settings.ONRAMP_EVENTGRID_SECRET
    given = request.headers.get("X-Onramp-Event-Key") or request.GET.get("code") or ""
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


@csrf_exempt
@login_not_required
@require_http_methods(["POST", "OPTIONS"])
def azure_events(request):
    """Azure Event Grid, Event Grid or CloudEvents schema: handshakes, then resource events as hints."""
    if not _authorized(request):
        return JsonResponse({"error": "Missing or wrong event key."}, status=401)
    if request.method == "OPTIONS":  # CloudEvents abuse-protection handshake
        response = HttpResponse(status=200)
        response["Allow"] = "POST, OPTIONS"
        origin = request.headers.get("WebHook-Request-Origin")
        if origin:
            response["WebHook-Allowed-Origin"] = origin
            response["WebHook-Allowed-Rate"] = "*"
        return response
    try:
        payload = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error": "The body is not JSON."}, status=400)
    events = payload if isinstance(payload, list) else [payload]
    if not all(isinstance(event, dict) for event in events):
        return JsonResponse({"error": "Expected an event or a list of events."}, status=400)
    code = inbound.validation_code(events)
    if code is not None:
        return JsonResponse({"validationResponse": code})
    outcomes = inbound.events_receive(events=events)
    return JsonResponse({"received": len(events), **outcomes})
