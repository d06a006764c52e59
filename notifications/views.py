from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import services
from .health import background_state, health_report
from .models import Notification

PAGE_SIZE = 50


def notification_list(request):
    notifications = Notification.objects.filter(user=request.user).select_related("circuit")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@require_POST
def notification_mark_read(request):
    given = request.POST.getlist("notification")
    # Ids as the page sends them; anything else names no notification (and never means "all").
    ids = [int(value) for value in given if value.isdecimal() and len(value) <= 18] if given else None
    services.notifications_mark_read(user=request.user, notification_ids=ids)
    return redirect("notifications:list")


@require_GET
@never_cache
def health_banner(request):
    return render(request, "notifications/_health_banner.html#banner", {"background": background_state()})


@login_not_required
@require_GET
@never_cache
def healthz(request):
    status, body = health_report()
    return JsonResponse(body, status=status)
