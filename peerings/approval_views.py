from django.contrib.auth.decorators import permission_required
from django.shortcuts import render


@permission_required("peerings.decide_prefixvalidationticket", raise_exception=True)
def approval_queue(request):
    return render(request, "approvals/queue.html")
