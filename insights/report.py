"""The /insights/ page's figures, for the circuits a user may see and has filtered: a provider
scorecard, each step's duration per provider, the trend per quarter. Two queries, whatever the
estate's size; the Kaplan–Meier work runs on the precomputed stays."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, Min, OuterRef, Q

from circuits.checklist import TITLES
from circuits.choices import ServiceProviderProvisioningStateChoices as ProviderState

from .choices import StayKindChoices
from .durations import ONBOARDED, STEPS
from .models import Stay
from .survival import days, kaplan_meier

DEPROVISIONED_STATES = (ProviderState.DEPROVISIONING, ProviderState.DEPROVISIONED)
ONBOARDED_STAY = Q(insight_stays__kind=StayKindChoices.STEP, insight_stays__name=str(ONBOARDED))


@dataclass
class Sample:
    """Durations (days) and whether each finished; summarised with Kaplan–Meier."""

    durations: list = field(default_factory=list)
    finished: list = field(default_factory=list)

    def add(self, duration, finished):
        self.durations.append(max(duration, 0.0))
        self.finished.append(bool(finished))

    def summary(self):
        curve = kaplan_meier(self.durations, self.finished)
        done = [d for d, f in zip(self.durations, self.finished, strict=True) if f]
        return {
            "count": len(self.durations),
            "finished": len(done),
            "p10": curve.quantile(0.1),
            "p25": curve.quantile(0.25),
            "median": curve.quantile(0.5),
            "p75": curve.quantile(0.75),
            "p90": curve.quantile(0.9),
            "fastest": min(done, default=None),
            "slowest": max(done, default=None),
        }


def circuit_histories(circuits, *, now):
    """Per circuit: provider, location, creation, days to onboarded (or so far), whether onboarded,
    whether the provider deprovisioned it before it was ever onboarded. One query."""
    deprovisioned = Stay.objects.filter(
        circuit=OuterRef("pk"), kind=StayKindChoices.STATE, name__in=DEPROVISIONED_STATES
    )
    rows = (
        circuits.order_by()
        .annotate(onboarded_at=Min("insight_stays__entered_at", filter=ONBOARDED_STAY), gone=Exists(deprovisioned))
        .values_list(
            "service_provider__name", "peering_location__name", "created_at", "deleted_at", "onboarded_at", "gone"
        )
    )
    for provider, location, created_at, deleted_at, onboarded_at, gone in rows:
        end = onboarded_at or deleted_at or now
        yield {
            "provider": provider,
            "location": location,
            "created_at": created_at,
            "days": max(days((end - created_at).total_seconds()), 0.0),
            "onboarded": onboarded_at is not None,
            "deprovisioned_unused": bool(gone) and onboarded_at is None,
        }


def scorecard(histories):
    """Per provider and location: circuits, onboarded, median and p90 days from creation to
    onboarded (Kaplan–Meier: circuits still onboarding count as "at least so long"), the share late
    (longer than the p90 of every circuit shown) and the share deprovisioned before ever being used."""
    overall = Sample()
    for history in histories:
        overall.add(history["days"], history["onboarded"])
    # Past the p90 of every circuit shown; while that is not known yet (many still onboarding), past
    # the slowest onboarding that did finish.
    finished = [days for days, done in zip(overall.durations, overall.finished, strict=True) if done]
    late_after = kaplan_meier(overall.durations, overall.finished).quantile(0.9) or max(finished, default=None)
    groups = defaultdict(lambda: {"sample": Sample(), "late": 0, "unused": 0})
    for history in histories:
        group = groups[(history["provider"], history["location"])]
        group["sample"].add(history["days"], history["onboarded"])
        group["late"] += late_after is not None and history["days"] > late_after
        group["unused"] += history["deprovisioned_unused"]
    rows = []
    for (provider, location), group in sorted(groups.items()):
        summary = group["sample"].summary()
        count = summary["count"]
        rows.append(
            {
                "provider": provider,
                "location": location,
                "circuits": count,
                "onboarded": summary["finished"],
                "median": summary["median"],
                "p90": summary["p90"],
                "share_late": group["late"] / count,
                "share_deprovisioned_unused": group["unused"] / count,
            }
        )
    return {"rows": rows, "late_after": late_after}


def quarter_of(moment):
    return f"{moment.year} Q{(moment.month - 1) // 3 + 1}"


def trend(histories):
    """Per quarter of creation: circuits created, onboarded so far, median and p90 days to onboarded."""
    quarters = defaultdict(Sample)
    for history in histories:
        quarters[quarter_of(history["created_at"])].add(history["days"], history["onboarded"])
    return [{"quarter": quarter, **sample.summary()} for quarter, sample in sorted(quarters.items())]


def step_distributions(circuits, *, now):
    """For each step 2-5: per provider, the Kaplan–Meier quantiles of the time spent in it. One query."""
    stays = Stay.objects.filter(
        circuit__in=circuits.order_by().values("pk"), kind=StayKindChoices.STEP, name__in=[str(s) for s in STEPS]
    ).values_list("name", "circuit__service_provider__name", "entered_at", "left_at", "finished")
    samples = defaultdict(Sample)
    for step, provider, entered_at, left_at, finished in stays.order_by():
        samples[(int(step), provider)].add(days(((left_at or now) - entered_at).total_seconds()), finished)
    steps = []
    for step in STEPS:
        providers = [
            {"provider": provider, **sample.summary()}
            for (number, provider), sample in sorted(samples.items())
            if number == step
        ]
        steps.append({"number": step, "title": TITLES[step - 1], "providers": providers})
    return steps


def insights_report(circuits, *, now):
    histories = list(circuit_histories(circuits, now=now))
    return {
        "scorecard": scorecard(histories),
        "trend": trend(histories),
        "steps": step_distributions(circuits, now=now),
    }
