from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .checks import background_state, health_report


@require_GET
@never_cache
def health_banner(request):
    return render(request, "health/_banner.html#banner", {"background": background_state()})


@login_not_required
@require_GET
@never_cache
def healthz(request):
    status, body = health_report()
    return JsonResponse(body, status=status)
