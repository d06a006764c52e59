import hashlib

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone

from .roles import ROLES


class Team(models.Model):
    """The team that owns circuits and watches them (notifications go to its members)."""

    name = models.CharField(max_length=100, unique=True)
    email = models.EmailField(blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class UserSession(models.Model):
    """Who holds a server-side session, from where: the rows behind "Your sessions".

    Keyed by the session itself, so ending a session (log-out, `clearsessions`, an admin) removes
    its row in the same delete."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, primary_key=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions")
    device = models.CharField(max_length=100, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self):
        return f"{self.user} on {self.device or 'an unknown device'}"

    @property
    def public_id(self):
        """Names the session in pages and forms: the key itself is a credential and is never shown."""
        return hashlib.sha256(self.session_id.encode()).hexdigest()[:20]


class GroupMapping(models.Model):
    """One value of the identity provider's group claim and the role and/or team it grants in Onramp."""

    claim_value = models.CharField(
        max_length=255,
        db_index=True,
        help_text="A value of the groups or roles claim, exactly as the provider sends it "
        "(Entra ID: the group's object ID, or the app role's value).",
    )
    role = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        limit_choices_to={"name__in": ROLES},
        related_name="+",
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["claim_value"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__isnull=False) | models.Q(team__isnull=False),
                name="groupmapping_grants_something",
                violation_error_message="Choose a role, a team, or both.",
            ),
            models.UniqueConstraint(fields=["claim_value", "role", "team"], name="groupmapping_unique"),
        ]

    def __str__(self):
        granted = " and ".join(str(thing) for thing in (self.role, self.team) if thing)
        return f"{self.claim_value} → {granted}"
