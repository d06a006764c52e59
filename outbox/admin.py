from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("pk", "task", "args", "created_at", "sent_at", "attempts", "last_error")
    list_filter = ("task", ("sent_at", admin.EmptyFieldListFilter))
    readonly_fields = ("task", "args", "kwargs", "created_at", "sent_at", "attempts", "last_error")
