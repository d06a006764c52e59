"""Box plots of each step's duration per provider, as SVG geometry computed on the server.

Like billing/chart.py: the template draws it with presentation attributes, readable without
JavaScript; the table beside it carries the same figures for screen readers and the CSV.
Whiskers run from the 10th to the 90th percentile, the box from the 25th to the 75th, the bar
inside is the median. A quantile Kaplan–Meier cannot tell yet (too many circuits still in the
step) runs to the axis end, dashed."""

from dataclasses import dataclass

WIDTH = 1000
LEFT, RIGHT, TOP, AXIS = 190, 20, 8, 26
ROW = 26
TICKS = 4
BOX_FILL, LINE = "#1c7ed6", "#343a40"


@dataclass(frozen=True)
class BoxRow:
    label: str
    y: float
    whisker_low: float
    whisker_high: float
    whisker_open: bool
    box_x: float | None
    box_width: float
    median_x: float | None
    title: str


@dataclass(frozen=True)
class Tick:
    x: float
    text: str


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    return next(step * magnitude for step in (1, 2, 5, 10) if value <= step * magnitude)


def _days(value):
    return "not known yet" if value is None else f"{value:.1f} d"


def box_chart(providers):
    """The geometry for one step's chart: one row per provider (dicts from report.step_distributions)."""
    known = [p[q] for p in providers for q in ("p90", "slowest", "median") if p[q] is not None]
    top = _nice_ceiling(max(known, default=1.0))
    plot = WIDTH - LEFT - RIGHT

    def x(value):
        return LEFT + plot * min(value, top) / top

    rows = []
    for index, provider in enumerate(providers):
        y = TOP + index * ROW + ROW / 2
        low = provider["p10"] if provider["p10"] is not None else 0.0
        high = provider["p90"]
        box_low, box_high = provider["p25"], provider["p75"]
        rows.append(
            BoxRow(
                label=provider["provider"],
                y=y,
                whisker_low=x(low),
                whisker_high=x(top if high is None else high),
                whisker_open=high is None,
                box_x=None if box_low is None else x(box_low),
                box_width=0 if box_low is None else x(top if box_high is None else box_high) - x(box_low),
                median_x=None if provider["median"] is None else x(provider["median"]),
                title=(
                    f"{provider['provider']}: {provider['count']} stays ({provider['finished']} finished); "
                    f"p10 {_days(provider['p10'])}, median {_days(provider['median'])}, p90 {_days(provider['p90'])}"
                ),
            )
        )
    height = TOP + len(providers) * ROW + AXIS
    ticks = [Tick(LEFT + plot * step / TICKS, f"{top * step / TICKS:g} d") for step in range(TICKS + 1)]
    return {
        "width": WIDTH,
        "height": height,
        "left": LEFT,
        "axis_y": height - AXIS,
        "rows": rows,
        "ticks": ticks,
        "box_height": ROW * 0.5,
        "box_fill": BOX_FILL,
        "line": LINE,
    }
