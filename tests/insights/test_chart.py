"""The box plots are geometry computed on the server: whiskers p10-p90, box p25-p75, the median."""

from insights.chart import LEFT, box_chart


def _row(provider, **quantiles):
    figures = {"p10": 1.0, "p25": 2.0, "median": 3.0, "p75": 4.0, "p90": 8.0, "fastest": 0.5, "slowest": 9.0}
    return {"provider": provider, "count": 10, "finished": 9, **figures, **quantiles}


def test_each_provider_is_a_row_scaled_to_a_round_axis():
    chart = box_chart([_row("Equinix"), _row("Colt", median=6.0)])
    equinix, colt = chart["rows"]
    assert [tick.text for tick in chart["ticks"]] == ["0 d", "2.5 d", "5 d", "7.5 d", "10 d"]
    assert equinix.whisker_low < equinix.box_x < equinix.median_x < equinix.box_x + equinix.box_width
    assert colt.median_x > equinix.median_x and colt.y > equinix.y
    assert "median 3.0 d, p90 8.0 d" in equinix.title


def test_an_unknown_upper_quantile_runs_dashed_to_the_axis_end():
    (row,) = box_chart([_row("Zayo", p75=None, p90=None)])["rows"]
    assert row.whisker_open and row.whisker_high == row.box_x + row.box_width
    assert "p90 not known yet" in row.title


def test_no_quantile_known_draws_no_box():
    (row,) = box_chart([_row("New", p10=None, p25=None, median=None, p75=None, p90=None, slowest=None)])["rows"]
    assert (row.box_x, row.median_x, row.whisker_low) == (None, None, LEFT)
