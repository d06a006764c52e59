"""The /insights/ page's figures, for the circuits a user may see and has filtered: a provider
scorecard, each step's duration per provider, the trend per quarter. One query, one row per circuit
(its stays folded by insights.refresh: insights/onboarding.py), whatever the estate's size; the
Kaplan–Meier work runs on those rows. insights.selectors.insights_report_for caches the result."""

import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import TextField
from django.db.models.functions import Cast

from circuits.checklist import TITLES

from .durations import STEPS
from .onboarding import microseconds
from .survival import days, kaplan_meier


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


def circuit_rows(circuits) -> list[tuple]:
    """Per circuit: provider, location, creation, deletion, and its Onboarding row's onboarded_at,
    deprovisioned and step stays (None, None, [] without stays). One query, no grouping."""
    rows = list(
        circuits.order_by()
        .annotate(steps_json=Cast("insight_onboarding__steps", TextField()))
        .values_list(
            "service_provider__name",
            "peering_location__name",
            "created_at",
            "deleted_at",
            "insight_onboarding__onboarded_at",
            "insight_onboarding__deprovisioned",
            "steps_json",
        )
    )
    # One json.loads for every circuit: decoding 20,000 JSONField values one by one cost more than the query.
    steps = json.loads(f"[{','.join(row[-1] or '[]' for row in rows)}]")
    return [(*row[:-1], stays) for row, stays in zip(rows, steps, strict=True)]


def circuit_history(provider, location, created_at, deleted_at, onboarded_at, deprovisioned, *, now):
    """One circuit's days to onboarded (or so far), whether onboarded, whether the provider
    deprovisioned it before it was ever onboarded."""
    end = onboarded_at or deleted_at or now
    return {
        "provider": provider,
        "location": location,
        "created_at": created_at,
        "days": max(days((end - created_at).total_seconds()), 0.0),
        "onboarded": onboarded_at is not None,
        "deprovisioned_unused": bool(deprovisioned) and onboarded_at is None,
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


def step_samples(rows, *, now):
    """{(step, provider): Sample of the days spent in the step} from circuit_rows."""
    now_us = microseconds(now)
    samples = defaultdict(Sample)
    for provider, *_, steps in rows:
        for step, entered, left, finished in steps:
            samples[(step, provider)].add(days(((now_us if left is None else left) - entered) / 10**6), finished)
    return samples


def step_distributions(samples):
    """For each step 2-5: per provider, the Kaplan–Meier quantiles of the time spent in it."""
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
    """The figures as of `now` (`as_of`: the page says how old a cached report is)."""
    rows = circuit_rows(circuits)
    histories = [circuit_history(*row[:-1], now=now) for row in rows]
    return {
        "scorecard": scorecard(histories),
        "trend": trend(histories),
        "steps": step_distributions(step_samples(rows, now=now)),
        "as_of": now,
    }
