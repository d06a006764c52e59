"""The Kaplan–Meier product-limit estimator, written out here on purpose.

A circuit still in a step (or deleted while in it) has not finished it: its stay is *censored* — we
only know it lasts at least that long. Dropping such stays, or counting them as finished, biases
every figure towards "fast". Kaplan–Meier uses them as long as they are known to last:

    S(t) = ∏ over finishing times tᵢ ≤ t of (1 − dᵢ / nᵢ)

where dᵢ stays finish at tᵢ and nᵢ stays were still running just before tᵢ (finished or censored at
or after tᵢ). S(t) is the share of stays still running after t; the q-quantile of the duration is
the first finishing time where S drops to 1 − q or below (lifelines' `qth_survival_time(1 − q)`).

Why not lifelines: it brings pandas, scipy, autograd and matplotlib (~200 MB) into the runtime for
this one product, and the estimator is these thirty lines. tests/insights/test_survival.py checks it
against `lifelines.KaplanMeierFitter` (lifelines is a test requirement only).
"""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Survival:
    """A step's duration distribution: S(t) after each finishing time, ascending in t."""

    times: tuple[float, ...]
    survival: tuple[float, ...]
    longest: float  # the longest stay seen, finished or not (where the curve's information ends)

    def quantile(self, q: float) -> float | None:
        """The duration a share q of stays finish within; None when too many stays are unfinished to tell."""
        return self.time_where_survival_reaches(1 - q)

    def time_where_survival_reaches(self, level: float) -> float | None:
        for time, survival in zip(self.times, self.survival, strict=True):
            if survival <= level + 1e-12:
                return time
        return None

    def at(self, t: float) -> float:
        """S(t): the share of stays still running after t."""
        result = 1.0
        for time, survival in zip(self.times, self.survival, strict=True):
            if time > t:
                break
            result = survival
        return result

    def residual(self, elapsed: float, u: float) -> float:
        """How much longer a stay that has lasted `elapsed` runs, at quantile u of S(t | T > elapsed).

        Past the last finishing time the curve says nothing more: the stay is taken to end then
        (or now, when it has already lasted longer)."""
        target = self.at(elapsed) * (1 - u)
        for time, survival in zip(self.times, self.survival, strict=True):
            if time > elapsed and survival <= target + 1e-12:
                return time - elapsed
        return max(max(self.times, default=0.0), elapsed) - elapsed

    def as_json(self):
        return [[round(t, 4), round(s, 6)] for t, s in zip(self.times, self.survival, strict=True)]

    @classmethod
    def from_json(cls, curve, longest=0.0):
        times = tuple(t for t, _ in curve)
        return cls(times, tuple(s for _, s in curve), max(longest, max(times, default=0.0)))


def kaplan_meier(durations, finished) -> Survival:
    """The product-limit estimate from each stay's duration and whether it finished (True) or was censored."""
    stays = sorted(zip(durations, finished, strict=True))
    at_risk, survival = len(stays), 1.0
    times, levels = [], []
    index = 0
    while index < len(stays):
        time = stays[index][0]
        ended = finishing = 0
        while index < len(stays) and stays[index][0] == time:
            ended += 1
            finishing += bool(stays[index][1])
            index += 1
        if finishing:
            survival *= 1 - finishing / at_risk
            times.append(float(time))
            levels.append(survival)
        at_risk -= ended
    longest = float(stays[-1][0]) if stays else 0.0
    return Survival(tuple(times), tuple(levels), longest)


def days(seconds: float) -> float:
    return seconds / 86400


def finite(value):
    return value if value is not None and math.isfinite(value) else None
