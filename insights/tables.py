"""The /insights/ tables as CSV rows (the page shows the same figures)."""


def _round(value):
    return None if value is None else round(value, 1)


def scorecard_rows(report):
    yield [
        "provider",
        "peeringLocation",
        "circuits",
        "onboarded",
        "medianDays",
        "p90Days",
        "shareLate",
        "shareDeprovisionedUnused",
    ]
    for row in report["scorecard"]["rows"]:
        yield [
            row["provider"],
            row["location"],
            row["circuits"],
            row["onboarded"],
            _round(row["median"]),
            _round(row["p90"]),
            round(row["share_late"], 3),
            round(row["share_deprovisioned_unused"], 3),
        ]


def step_rows(report):
    yield [
        "step",
        "stepTitle",
        "provider",
        "stays",
        "finished",
        "p10Days",
        "p25Days",
        "medianDays",
        "p75Days",
        "p90Days",
        "fastestDays",
        "slowestDays",
    ]
    for step in report["steps"]:
        for row in step["providers"]:
            quantiles = [_round(row[name]) for name in ("p10", "p25", "median", "p75", "p90", "fastest", "slowest")]
            yield [step["number"], step["title"], row["provider"], row["count"], row["finished"], *quantiles]


def trend_rows(report):
    yield ["quarter", "circuitsCreated", "onboarded", "medianDays", "p90Days"]
    for row in report["trend"]:
        yield [row["quarter"], row["count"], row["finished"], _round(row["median"]), _round(row["p90"])]


EXPORTS = {"scorecard": scorecard_rows, "steps": step_rows, "trend": trend_rows}
