"""Each group's durations per step and provider state, from the stays, with the fallback rules.

Groups are provider × peering location × bandwidth class. A figure is taken from the narrowest group
with at least MIN_FINISHED_STAYS finished stays and a p90 (Kaplan–Meier can leave the upper
quantiles unknown when most stays are still running); else from the provider's, else from all
circuits' — and the level used is recorded so pages can say which."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max

from .choices import BANDWIDTH_CLASSES, GroupLevelChoices, StayKindChoices, bandwidth_class
from .durations import ONBOARDED
from .models import Stay, StepStatistic
from .survival import Survival, days, kaplan_meier

MIN_FINISHED_STAYS = 5
LEVELS = (GroupLevelChoices.GROUP, GroupLevelChoices.PROVIDER, GroupLevelChoices.ALL)
BANDWIDTH_LABELS = dict(BANDWIDTH_CLASSES)


def _group_keys(provider_id, location_id, bandwidth):
    return (
        (GroupLevelChoices.GROUP, provider_id, location_id, bandwidth),
        (GroupLevelChoices.PROVIDER, provider_id, None, ""),
        (GroupLevelChoices.ALL, None, None, ""),
    )


def statistics_rows(*, now):
    """StepStatistic rows (unsaved) for every group, step and state that has stays."""
    samples = defaultdict(lambda: ([], []))
    rows = Stay.objects.exclude(kind=StayKindChoices.STEP, name=str(ONBOARDED)).values_list(
        "kind",
        "name",
        "entered_at",
        "left_at",
        "finished",
        "circuit__service_provider_id",
        "circuit__peering_location_id",
        "circuit__bandwidth_mbps",
    )
    for kind, name, entered_at, left_at, finished, provider_id, location_id, mbps in rows.iterator(chunk_size=5000):
        duration = days(((left_at or now) - entered_at).total_seconds())
        for level, provider, location, bandwidth in _group_keys(provider_id, location_id, bandwidth_class(mbps)):
            durations, flags = samples[(kind, name, level, provider, location, bandwidth)]
            durations.append(max(duration, 0.0))
            flags.append(finished)
    return [group_statistic(key, durations, flags) for key, (durations, flags) in samples.items()]


def group_statistic(key, durations, flags):
    kind, name, level, provider_id, location_id, bandwidth = key
    curve = kaplan_meier(durations, flags)
    done = [duration for duration, finished in zip(durations, flags, strict=True) if finished]
    return StepStatistic(
        kind=kind,
        name=name,
        level=level,
        service_provider_id=provider_id,
        peering_location_id=location_id,
        bandwidth_class=bandwidth,
        count=len(durations),
        finished=len(done),
        p10_days=curve.quantile(0.1),
        median_days=curve.quantile(0.5),
        p90_days=curve.quantile(0.9),
        fastest_days=min(done, default=None),
        slowest_days=max(done, default=None),
        curve=curve.as_json(),
    )


@dataclass(frozen=True)
class Figure:
    """The figures chosen for one circuit's step, and whose history they come from."""

    statistic: StepStatistic
    label: str

    @property
    def level(self):
        return self.statistic.level

    @property
    def survival(self) -> Survival:
        return Survival.from_json(self.statistic.curve, self.statistic.slowest_days or 0.0)

    @property
    def usually(self) -> str:
        low, high = self.statistic.p10_days, self.statistic.p90_days
        return f"{self.label} usually takes {low:.0f}–{high:.0f} days"


class StatisticsIndex:
    """Every StepStatistic in memory (a few hundred rows, one query) with the fallback lookup."""

    _latest: tuple[dict, "StatisticsIndex"] | None = None  # this process's, with the stamp it was read at

    def __init__(self, statistics=None):
        statistics = StepStatistic.objects.all() if statistics is None else statistics
        self.rows = {
            (s.kind, s.name, s.level, s.service_provider_id, s.peering_location_id, s.bandwidth_class): s
            for s in statistics
        }

    @classmethod
    def current(cls) -> "StatisticsIndex":
        """The index as the statistics are now, read once per process until they are rewritten.

        A sweep chunk's refresh forecasts a few circuits; reading and decoding every statistic for
        them cost ~50 ms at 100,000 circuits. The statistics are only ever rewritten whole (the full
        refresh deletes and recreates them), which always changes their count or highest id: that
        pair, one cheap query, says whether the index read before still holds."""
        stamp = StepStatistic.objects.aggregate(count=Count("pk"), last=Max("pk"))
        if cls._latest is None or cls._latest[0] != stamp:
            cls._latest = (stamp, cls())
        return cls._latest[1]

    def figure(self, kind, name, circuit, *, levels=LEVELS) -> Figure | None:
        bandwidth = bandwidth_class(circuit.bandwidth_mbps)
        keys = _group_keys(circuit.service_provider_id, circuit.peering_location_id, bandwidth)
        for level, provider, location, group_bandwidth in keys:
            if level not in levels:
                continue
            statistic = self.rows.get((kind, name, level, provider, location, group_bandwidth))
            if statistic and statistic.finished >= MIN_FINISHED_STAYS and statistic.p90_days is not None:
                return Figure(statistic, self._label(circuit, level, bandwidth))
        return None

    def _label(self, circuit, level, bandwidth):
        provider = circuit.service_provider.name
        if level == GroupLevelChoices.GROUP:
            return f"{provider} {circuit.peering_location.name} ({BANDWIDTH_LABELS[bandwidth]})"
        if level == GroupLevelChoices.PROVIDER:
            return f"{provider} (all locations)"
        return "All providers"
