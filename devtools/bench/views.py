from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def floor(request):
    """What Django itself costs: session, user, a constant template. The yardstick for the ratios."""
    return render(request, "bench/floor.html")
