"""The roles' permissions, per HTTP method, checked before a view looks anything up (403 before 404,
as on the pages); which objects a permitted user reaches is the circuit scope's business."""

from rest_framework.permissions import BasePermission

READ_METHODS = ("GET", "HEAD", "OPTIONS")


class RolePermission(BasePermission):
    """`view.permissions` maps a view action (e.g. "approve"), else "read" or the write method, to the
    Django permissions it needs."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        rules = getattr(view, "permissions", {})
        method = "read" if request.method in READ_METHODS else request.method
        needed = rules.get(getattr(view, "action", None), rules.get(method, ()))
        return user.has_perms(needed)
