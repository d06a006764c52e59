from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render

from .checklist import circuit_checklist
from .selectors import circuit_list as select_circuits
from .selectors import circuit_onboarding_queryset


@permission_required("circuits.view_circuit", raise_exception=True)
def circuit_list(request):
    circuits = select_circuits()[:50]
    rows = [(circuit, circuit_checklist(circuit)) for circuit in circuits]
    return render(request, "circuits/circuit_list.html", {"rows": rows})


@permission_required("circuits.view_circuit", raise_exception=True)
def circuit_detail(request, pk):
    circuit = get_object_or_404(circuit_onboarding_queryset(), pk=pk)
    return render(
        request, "circuits/circuit_detail.html", {"circuit": circuit, "checklist": circuit_checklist(circuit)}
    )
