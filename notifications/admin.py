from django.contrib import admin

from .models import Heartbeat, Notification, Watch


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "kind", "title", "email_status", "email_attempts", "email_error")
    list_filter = ("kind", "email_status")
    search_fields = ("title", "user__username")
    raw_id_fields = ("user", "circuit")
    readonly_fields = ("email_status", "email_attempts", "email_error")  # the e-mail task's, not people's


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin):
    list_display = ("user", "circuit", "created_at")
    raw_id_fields = ("user", "circuit")


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "at", "detail")
