"""The bench's figures against issue 14's targets, as JSON files two runs can be compared by."""

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Target:
    name: str
    limit: float
    at_least: bool = False  # a floor (rates), not a ceiling (ratios)

    def verdict(self, value):
        if value is None:
            return "not measured"
        return "met" if (value >= self.limit if self.at_least else value <= self.limit) else "missed"


def _median(pages, name):
    page = pages.get(name)
    return page["median"] if page else None


def _ratio(a, b):
    return None if a is None or not b else a / b


def target_rows(figures) -> list[tuple[Target, str, float | None]]:
    """(target, where, value) for every target of issue 14, from the run's figures (see as_json)."""
    sizes = sorted(figures["sizes"], key=int)
    rows = []
    if len(sizes) > 1:
        small, large = figures["sizes"][sizes[0]]["pages"], figures["sizes"][sizes[-1]]["pages"]
        where = f"{int(sizes[0]):,} → {int(sizes[-1]):,}"
        rows.append(
            (Target("billing growth", 1.5), where, _ratio(_median(large, "billing"), _median(small, "billing")))
        )
        rows.append(
            (
                Target("circuit list growth", 1.3),
                where,
                _ratio(_median(large, "circuit list"), _median(small, "circuit list")),
            )
        )
    for size in sizes:
        result = figures["sizes"][size]
        pages, where = result["pages"], f"N = {int(size):,}"
        floor = _median(pages, "floor")
        rows += [
            (
                Target("billing ÷ circuit list", 3.0),
                where,
                _ratio(_median(pages, "billing"), _median(pages, "circuit list")),
            ),
            (
                Target("circuit list ÷ admin changelist", 1.0),
                where,
                _ratio(_median(pages, "circuit list"), _median(pages, "admin changelist")),
            ),
            (
                Target("circuit page ÷ circuit list", 1.0),
                where,
                _ratio(_median(pages, "circuit page"), _median(pages, "circuit list")),
            ),
            (
                Target("insights ÷ circuit list", 3.0),
                where,
                _ratio(_median(pages, "insights"), _median(pages, "circuit list")),
            ),
            (
                Target("API circuit list ÷ circuit list", 3.0),
                where,
                _ratio(_median(pages, "API circuit list"), _median(pages, "circuit list")),
            ),
            (Target("unchanged poll ÷ floor", 1.5), where, _ratio(_median(pages, "poll, unchanged"), floor)),
            (Target("unchanged list poll ÷ floor", 2.0), where, _ratio(_median(pages, "list poll, unchanged"), floor)),
            (
                Target("/healthz Redis down ÷ healthy", 10.0),
                where,
                _ratio(_median(pages, "healthz, Redis down"), _median(pages, "healthz")),
            ),
        ]
        sweep = result.get("sweep")
        changing = next((run for name, run in sweep["runs"].items() if "changing" in name), None) if sweep else None
        rate = sweep["circuits"] / changing["seconds"] if changing else None
        rows.append((Target("sweep, 10% changing (circuits/s)", 2000, at_least=True), where, rate))
        for section, name in (("registry", "IRR dump import"), ("arm", "ARM file import")):
            if section in result:
                rows.append((Target(f"{name} peak RSS (MB)", 150), where, result[section]["peak_rss_mb"]))
        latency = result.get("latency")
        rows.append((Target("event → browser p95 (s)", 10.0), where, latency["p95"] if latency else None))
    return rows


def print_targets(write, figures):
    write(f"\n{'target':36} {'where':18} {'value':>9} {'limit':>8}  verdict")
    for target, where, value in target_rows(figures):
        shown = "—" if value is None else f"{value:9.2f}" if value < 100 else f"{value:9.0f}"
        limit = f"{'≥' if target.at_least else '≤'} {target.limit:g}"
        write(f"{target.name:36} {where:18} {shown:>9} {limit:>8}  {target.verdict(value)}")


def write_json(path: Path, figures) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, sort_keys=True, default=str))
    return path


def print_compare(write, old, new):
    """Median of every page, and every sweep rate, of the sizes both runs measured: old → new."""
    write(f"\n== compared with {old.get('started', 'the old run')} ==")
    write(f"{'N':>8} {'page / sweep':32} {'old':>9} {'new':>9} {'new ÷ old':>9}")
    for size in sorted(set(old["sizes"]) & set(new["sizes"]), key=int):
        before, after = old["sizes"][size], new["sizes"][size]
        for name in after["pages"]:
            if name in before["pages"]:
                was, now = before["pages"][name]["median"], after["pages"][name]["median"]
                write(f"{int(size):>8,} {name:32} {was:9.1f} {now:9.1f} {_ratio(now, was) or 0:9.2f}")
        for name, run in (after.get("sweep") or {}).get("runs", {}).items():
            old_run = (before.get("sweep") or {}).get("runs", {}).get(name)
            if old_run:
                was, now = before["sweep"]["circuits"] / old_run["seconds"], after["sweep"]["circuits"] / run["seconds"]
                write(f"{int(size):>8,} {'sweep ' + name + ' /s':32} {was:9.0f} {now:9.0f} {now / was:9.2f}")
