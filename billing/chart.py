"""A stacked bar chart of accrued cost per month, as SVG geometry computed on the server.

The template draws it with presentation attributes (fill, x, y), which the CSP allows, so the
chart needs no JavaScript, no CDN and no inline style."""

from dataclasses import dataclass
from decimal import Decimal

from .choices import BillingCategoryChoices as Category

WIDTH, HEIGHT = 1000, 260
LEFT, RIGHT, TOP, BOTTOM = 70, 10, 10, 30
PALETTE = {
    "green": "#2f9e44",
    "orange": "#e8590c",
    "blue": "#1c7ed6",
    "red": "#e03131",
    "purple": "#7048e8",
    "gray": "#adb5bd",
}
TICKS = 4


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


def _nice_ceiling(value: Decimal) -> Decimal:
    """The smallest 1, 2 or 5 × 10ⁿ at or above value, so the axis reads in round figures."""
    if value <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def stacked_month_chart(months, series, currency):
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    totals = [sum((amounts[index] for amounts in series.values()), start=Decimal(0)) for index in range(len(months))]
    top = _nice_ceiling(max(totals, default=Decimal(0)))
    slot = plot_width / max(len(months), 1)
    bars, x_labels = [], []
    for index, month in enumerate(months):
        x = LEFT + index * slot + slot * 0.15
        base = TOP + plot_height
        for category, amounts in series.items():
            height = float(amounts[index] / top) * plot_height
            if height > 0:
                base -= height
                title = f"{month:%b %Y} · {Category.label(category)}: {amounts[index]:,.2f} {currency}"
                bars.append(Bar(x, base, slot * 0.7, height, PALETTE[Category.color(category)], title))
        x_labels.append(Label(LEFT + index * slot + slot / 2, HEIGHT - 10, f"{month:%b %y}"))
    y_labels = [
        Label(LEFT - 6, TOP + plot_height * (1 - step / TICKS), f"{top * step / TICKS:,.0f}")
        for step in range(TICKS + 1)
    ]
    legend = [(Category.label(category), PALETTE[Category.color(category)]) for category in series]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bars": bars,
        "x_labels": x_labels,
        "y_labels": y_labels,
        "legend": legend,
        "currency": currency,
    }
