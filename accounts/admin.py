from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import GroupMapping, Team
from .services import user_sessions_end


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "email")
    search_fields = ("name", "email", "members__username")
    filter_horizontal = ("members",)


@admin.register(GroupMapping)
class GroupMappingAdmin(admin.ModelAdmin):
    """The identity provider's group claim values and the role and team each grants at SSO log-in."""

    list_display = ("claim_value", "role", "team")
    list_filter = ("role", "team")
    search_fields = ("claim_value",)
    autocomplete_fields = ("team",)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class OnrampUserAdmin(UserAdmin):
    actions = ["end_sessions"]

    def user_change_password(self, request, id, form_url=""):
        """A password an admin sets (a leak suspected) also ends that user's sessions."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user_sessions_end(user=self.get_object(request, unquote(id)), keep=request.session.session_key)
        return response

    @admin.action(description="End this user's sessions", permissions=["change"])
    def end_sessions(self, request, queryset):
        ended = sum(user_sessions_end(user=user) for user in queryset)
        self.message_user(request, f"Ended {ended} session{'' if ended == 1 else 's'}.", messages.SUCCESS)
