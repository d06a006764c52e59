"""Asking the state source now, from a page: Step 4's "Check now"."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from circuits.selectors import circuit_for
from core.actors import Actor
from core.errors import DomainError

from .diagnostics import circuit_check_now
from .sources import get_source

DIAGNOSTICS = "circuits/circuit_detail.html#diagnostics"


@require_POST
@permission_required("circuits.change_circuit", raise_exception=True)
def circuit_check(request, pk):
    """ "Check now": check the circuit at once and read its ARP tables and BGP summaries."""
    circuit = circuit_for(request.user, pk, action="change")
    try:
        reading = circuit_check_now(circuit_id=circuit.pk, source=get_source(), actor=Actor.person(request.user))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(circuit)
    if request.htmx:
        return render(request, DIAGNOSTICS, {"circuit": circuit, "can_change": True, "diagnostics": reading})
    messages.info(request, f"{circuit.name} checked {reading.read_at:%H:%M:%S} UTC.")
    return redirect(circuit.get_absolute_url() + "#diagnostics")
