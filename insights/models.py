"""Precomputed figures: each circuit's stays in steps and provider states (and what /insights/ reads of
them), each group's statistics, each circuit's forecast. All are derived from the audit log and rebuilt
by insights.refresh; nothing here is a source of truth."""

from django.db import models

from .choices import GroupLevelChoices, StayKindChoices


class Stay(models.Model):
    """One stay of a circuit in an onboarding step (2-5; "6" is onboarded) or a provider state.

    entered → left; `left_at` is null while the circuit is still there (censored at refresh time).
    `finished` is true when the circuit moved ON (a later step), false when the stay ended otherwise
    (deleted, sent back): such a stay is censored at `left_at` for the survival estimate."""

    circuit = models.ForeignKey("circuits.Circuit", on_delete=models.CASCADE, related_name="insight_stays")
    kind = models.CharField(max_length=10, choices=StayKindChoices.choices())
    name = models.CharField(max_length=32, help_text="The step number, or the provider state.")
    entered_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    finished = models.BooleanField(default=False)

    class Meta:
        ordering = ["circuit", "entered_at", "id"]
        indexes = [models.Index(fields=["kind", "name"]), models.Index(fields=["circuit", "kind"])]

    def __str__(self):
        return f"{self.circuit_id} {self.kind} {self.name} from {self.entered_at:%Y-%m-%d}"


class Onboarding(models.Model):
    """What /insights/ reads of one circuit's stays, folded by insights.refresh (insights/onboarding.py)
    so the page reads one row per circuit instead of grouping its stays.

    `steps` holds the stays in steps 2-5 as [step, entered, left or null, finished], times in
    microseconds since the epoch. A circuit without stays has no row."""

    circuit = models.OneToOneField(
        "circuits.Circuit", on_delete=models.CASCADE, primary_key=True, related_name="insight_onboarding"
    )
    onboarded_at = models.DateTimeField(null=True, blank=True)
    deprovisioned = models.BooleanField(default=False, help_text="The provider deprovisioned it at some point.")
    steps = models.JSONField(default=list)

    def __str__(self):
        return f"{self.circuit_id} onboarded {self.onboarded_at or 'not yet'}"


class StepStatistic(models.Model):
    """Durations of one step (or provider state) in one group, estimated with Kaplan–Meier (days).

    The group is provider × peering location × bandwidth class; provider-level rows leave location
    and bandwidth class empty, the estate-wide row leaves all three empty."""

    kind = models.CharField(max_length=10, choices=StayKindChoices.choices())
    name = models.CharField(max_length=32)
    level = models.CharField(max_length=10, choices=GroupLevelChoices.choices())
    service_provider = models.ForeignKey(
        "circuits.ServiceProvider", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    peering_location = models.ForeignKey(
        "circuits.PeeringLocation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    bandwidth_class = models.CharField(max_length=8, blank=True)
    count = models.PositiveIntegerField(help_text="Stays, finished or not.")
    finished = models.PositiveIntegerField(help_text="Stays that ended by moving on.")
    p10_days = models.FloatField(null=True)
    median_days = models.FloatField(null=True)
    p90_days = models.FloatField(null=True)
    fastest_days = models.FloatField(null=True)
    slowest_days = models.FloatField(null=True)
    # The survival curve itself, [[days, probability still in the step], ...]: forecasts sample from it.
    curve = models.JSONField(default=list)

    class Meta:
        ordering = ["kind", "name", "level"]

    def __str__(self):
        return f"{self.kind} {self.name} ({self.level})"


class CircuitForecast(models.Model):
    """When an undeleted, not yet onboarded circuit should be ready, with an 80% interval.

    Declared here, read by circuits through the relation (`circuit.forecast`): circuits never imports
    insights."""

    circuit = models.OneToOneField("circuits.Circuit", on_delete=models.CASCADE, related_name="forecast")
    step = models.PositiveSmallIntegerField(help_text="The onboarding step the circuit is in.")
    step_entered_at = models.DateTimeField()
    ready_by = models.DateTimeField(help_text="Median forecast.")
    ready_low = models.DateTimeField(help_text="10th percentile: the 80% interval's start.")
    ready_high = models.DateTimeField(help_text="90th percentile: the 80% interval's end.")
    step_p90_days = models.FloatField(null=True, help_text="The group's p90 for the current step.")
    is_late = models.BooleanField(default=False, db_index=True, help_text="Longer in its step than the p90.")
    level = models.CharField(max_length=10, choices=GroupLevelChoices.choices())
    group_label = models.CharField(max_length=200, help_text="Whose history the forecast uses, in words.")
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["ready_by"])]

    def __str__(self):
        return f"{self.circuit_id} ready by {self.ready_by:%Y-%m-%d}"
