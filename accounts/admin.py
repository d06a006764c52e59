from django.contrib import admin

from .models import Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "email")
    search_fields = ("name", "email", "members__username")
    filter_horizontal = ("members",)
