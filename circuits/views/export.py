"""The circuit list as CSV: every filtered circuit, all pages, streamed."""

from django.contrib.auth.decorators import permission_required
from django.utils import timezone

from circuits.selectors import service_key_display
from circuits.tables import csv_rows
from core.csv_export import csv_response

from .pages import filtered_circuits


@permission_required("circuits.view_circuit", raise_exception=True)
def circuit_export(request):
    """The filtered list as CSV (all pages), streamed; no secrets, service keys masked where not the user's."""
    _, circuits = filtered_circuits(request)
    return csv_response(
        csv_rows(circuits.iterator(chunk_size=500), service_key=service_key_display(request.user)),
        filename=f"circuits-{timezone.now():%Y%m%d-%H%M}.csv",
    )
