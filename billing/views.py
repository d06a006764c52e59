from django.contrib.auth.decorators import permission_required
from django.shortcuts import render


@permission_required("circuits.view_billing", raise_exception=True)
def billing_dashboard(request):
    return render(request, "billing/dashboard.html")
