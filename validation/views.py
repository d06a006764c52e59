"""Manual prefix validation: engineers open tickets, approvers decide them, evidence is served checked."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.actors import Actor
from core.errors import DomainError

from . import services
from .evidence import evidence_file_response
from .forms import TicketDecisionForm, TicketOpenForm
from .selectors import (
    DECIDE_PERMISSION,
    evidence_for,
    microsoft_peering_for,
    ticket_for,
    ticket_history,
    ticket_queue,
)


@permission_required(DECIDE_PERMISSION, raise_exception=True)
def approval_queue(request):
    return render(request, "validation/queue.html", {"tickets": ticket_queue(request.user)})


def ticket_detail(request, pk):
    ticket = ticket_for(request.user, pk)
    return render(request, "validation/ticket_detail.html", {"ticket": ticket, "history": ticket_history(ticket)})


@permission_required("peerings.add_prefixvalidationticket", raise_exception=True)
def ticket_create(request, peering_pk):
    peering = microsoft_peering_for(request.user, peering_pk, action="change")
    form = TicketOpenForm(request.POST or None, request.FILES or None, peering=peering)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.ticket_open(
                peering=peering,
                prefixes=form.cleaned_data["prefixes"],
                note=form.cleaned_data["note"],
                evidence_files=form.cleaned_data["evidence"],
                actor=Actor.person(request.user),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"{ticket} is open; the approvers have been notified.")
            return redirect("approvals:ticket_detail", pk=ticket.pk)
    return render(request, "validation/ticket_form.html", {"peering": peering, "form": form})


def _decide(request, pk, service, *, reason_required=False, done):
    ticket = ticket_for(request.user, pk)
    form = TicketDecisionForm(request.POST, reason_required=reason_required)
    error = None
    if form.is_valid():
        try:
            service(ticket=ticket, actor=Actor.person(request.user), reason=form.cleaned_data["reason"])
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(request, f"{ticket} {done}.")
    else:
        error = " ".join(form.errors.get("reason", []))
    if request.htmx:
        return _decision_fragment(request, pk, error)
    if error:
        messages.error(request, error)
    return redirect(_return_address(request) or "approvals:queue")


def _decision_fragment(request, pk, error):
    """The decided ticket's card; on the ticket's own page also its subtitle and history, which the
    decision changed (the queue page has neither)."""
    ticket = ticket_for(request.user, pk)
    context = {"ticket": ticket, "error": error, "reason": request.POST}
    if request.htmx.current_url_abs_path != reverse("approvals:ticket_detail", args=[pk]):
        return render(request, "validation/queue.html#ticket", context)
    return render(request, "validation/ticket_detail.html#decided", {**context, "history": ticket_history(ticket)})


def _return_address(request):
    """The page to go back to: a path on this site only (anything else would be read as a view name)."""
    back = request.POST.get("next", "")
    host, secure = request.get_host(), request.is_secure()
    on_site = url_has_allowed_host_and_scheme(back, allowed_hosts={host}, require_https=secure)
    return back if on_site and back.startswith("/") else None


@require_POST
@permission_required(DECIDE_PERMISSION, raise_exception=True)
def ticket_approve(request, pk):
    return _decide(request, pk, services.ticket_approve, done="approved")


@require_POST
@permission_required(DECIDE_PERMISSION, raise_exception=True)
def ticket_reject(request, pk):
    return _decide(request, pk, services.ticket_reject, reason_required=True, done="rejected")


@require_POST
def ticket_withdraw(request, pk):
    return _decide(request, pk, services.ticket_withdraw, done="withdrawn")


def evidence_download(request, pk):
    """Evidence lives outside the web root; it is streamed only to people who may see the ticket."""
    return evidence_file_response(evidence_for(request.user, pk))
