from django.conf import settings
from django.db import models


class Team(models.Model):
    """The team that owns circuits and watches them (notifications go to its members)."""

    name = models.CharField(max_length=100, unique=True)
    email = models.EmailField(blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
