"""When each circuit should be ready: the rest of its current step plus the steps after it.

The current step's remaining time is drawn from its group's survival curve *given* that the circuit
has already been there for `elapsed` (S(t | T > elapsed)), so a circuit long in a step is not
promised the group's usual time again. The later steps' durations are drawn from their own
curves. N stratified draws per step (quantiles (k + ½)/N), shuffled with a seed per circuit and
step so the result is repeatable, are added up; the 10th, 50th and 90th percentiles of the sums
are the 80% interval and the "ready by" date. Steps are taken as independent (see docs/INSIGHTS.md).
"""

import random
from datetime import timedelta

from .choices import GroupLevelChoices, StayKindChoices
from .durations import STEPS
from .models import CircuitForecast
from .statistics import LEVELS, StatisticsIndex
from .survival import days

DRAWS = 200


def _draws(survival, *, elapsed, seed):
    values = [survival.residual(elapsed, (k + 0.5) / DRAWS) for k in range(DRAWS)]
    random.Random(seed).shuffle(values)
    return values


def _percentile(ordered, q):
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def circuit_forecast(circuit, *, step, entered_at, index: StatisticsIndex, now) -> CircuitForecast | None:
    """The forecast (unsaved) for a circuit in `step` since `entered_at`; None without any history."""
    current = index.figure(StayKindChoices.STEP, str(step), circuit)
    if current is None:
        return None
    elapsed = days((now - entered_at).total_seconds())
    totals = _draws(current.survival, elapsed=elapsed, seed=circuit.pk * 10 + step)
    levels = [current.level]
    for later in STEPS[STEPS.index(step) + 1 :]:
        figure = index.figure(StayKindChoices.STEP, str(later), circuit)
        if figure is None:
            continue
        levels.append(figure.level)
        draws = _draws(figure.survival, elapsed=0.0, seed=circuit.pk * 10 + later)
        totals = [total + draw for total, draw in zip(totals, draws, strict=True)]
    ordered = sorted(totals)
    coarsest = max(levels, key=LEVELS.index)
    p90 = current.statistic.p90_days
    return CircuitForecast(
        circuit=circuit,
        step=step,
        step_entered_at=entered_at,
        ready_low=now + timedelta(days=_percentile(ordered, 0.1)),
        ready_by=now + timedelta(days=_percentile(ordered, 0.5)),
        ready_high=now + timedelta(days=_percentile(ordered, 0.9)),
        step_p90_days=p90,
        is_late=elapsed > p90,
        level=coarsest,
        group_label=current.label if coarsest == current.level else _coarsest_label(circuit, coarsest),
        computed_at=now,
    )


def _coarsest_label(circuit, level):
    if level == GroupLevelChoices.PROVIDER:
        return f"{circuit.service_provider.name} (all locations)"
    return "All providers"
