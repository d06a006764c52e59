from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import services
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
