from django.contrib.auth.models import Group, User
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt
@require_POST
def set_groups(request, username):
    """Test hook: what the directory says this user belongs to from now on (comma-separated)."""
    names = [name for name in request.POST.get("groups", "").split(",") if name]
    User.objects.get(username=username).groups.set(Group.objects.get_or_create(name=name)[0] for name in names)
    return HttpResponse(status=204)
