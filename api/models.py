"""Per-user API tokens: the key is shown once, at creation; only its keyed digest is stored."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A key a person's scripts present as `Authorization: Token <key>` (or Bearer), acting as that
    person with their roles and teams, until it expires or is revoked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What it is for, e.g. the pipeline that uses it.")
    # The first characters of the key, so a person can tell their tokens apart; never enough to use one.
    key_prefix = models.CharField(max_length=16, editable=False)
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()
