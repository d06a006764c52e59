"""The Kaplan–Meier estimator: the same curve as lifelines, and the truth of seeded synthetic
durations within a stated tolerance, censoring included."""

import math
import random

import pytest
from lifelines import KaplanMeierFitter

from insights.survival import Survival, kaplan_meier

# Lognormal step durations (days): median 5, sigma 0.6, so p90 = 5·e^(1.2816·0.6) ≈ 10.8.
MEDIAN, SIGMA = 5.0, 0.6
TRUE_P90 = MEDIAN * math.exp(1.2816 * SIGMA)
# With 2,000 stays the sample quantiles of a lognormal sit within ~5% of the truth; 10% is the tolerance.
TOLERANCE = 0.10


def censored_sample(seed, n=2000):
    """Durations seen through censoring: each stay is watched for an exponential time (mean 8 days),
    so about 40% are still running when the sample is taken, and more of the long ones."""
    rng = random.Random(seed)
    durations, finished = [], []
    for _ in range(n):
        truth = rng.lognormvariate(math.log(MEDIAN), SIGMA)
        watched = rng.expovariate(1 / 8)
        durations.append(min(truth, watched))
        finished.append(truth <= watched)
    return durations, finished


def naive(durations, finished):
    """The biased estimator: drop the stays still running (what a plain median of finished stays does)."""
    done = [d for d, f in zip(durations, finished, strict=True) if f]
    return kaplan_meier(done, [True] * len(done))


def assert_recovers_the_truth(estimator, seed):
    curve = estimator(*censored_sample(seed))
    assert curve.quantile(0.5) == pytest.approx(MEDIAN, rel=TOLERANCE)
    assert curve.quantile(0.9) == pytest.approx(TRUE_P90, rel=TOLERANCE)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kaplan_meier_recovers_median_and_p90_despite_censoring(seed):
    assert_recovers_the_truth(kaplan_meier, seed)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_an_estimator_ignoring_open_stays_fails_the_same_test(seed):
    durations, finished = censored_sample(seed)
    assert sum(not f for f in finished) > 0.3 * len(finished)
    with pytest.raises(AssertionError):
        assert_recovers_the_truth(naive, seed)


@pytest.mark.filterwarnings("ignore::lifelines.utils.ApproximationWarning")
@pytest.mark.parametrize("seed", range(5))
def test_the_curve_and_quantiles_match_lifelines(seed):
    rng = random.Random(seed)
    durations = [round(rng.expovariate(0.2), 1) for _ in range(300)]  # rounded: ties, as days often are
    finished = [rng.random() < 0.7 for _ in durations]
    ours = kaplan_meier(durations, finished)
    theirs = KaplanMeierFitter().fit(durations, event_observed=finished)
    for time in sorted(set(durations)):
        assert ours.at(time) == pytest.approx(float(theirs.predict(time)), abs=1e-9)
    for q in (0.1, 0.5, 0.9):
        expected = float(theirs.percentile(1 - q))
        assert (ours.quantile(q) or math.inf) == pytest.approx(expected)


def test_a_quantile_too_many_stays_hide_is_unknown():
    curve = kaplan_meier([1, 2, 3, 10, 10, 10], [True, True, True, False, False, False])
    assert curve.quantile(0.9) is None  # half the stays are still running at 10 days
    assert curve.quantile(0.5) == 3


def test_the_residual_is_conditional_on_the_time_already_spent():
    curve = kaplan_meier([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [True] * 10)
    assert curve.residual(0, 0.5) == 5
    # Six days in, only 7..10 remain possible: the median of what is left is 2 more days, not 5.
    assert curve.residual(6, 0.5) == 2
    assert curve.residual(12, 0.5) == 0  # past everything seen: due now


def test_the_curve_survives_its_json_form():
    curve = kaplan_meier([1, 2, 2, 5], [True, True, False, True])
    again = Survival.from_json(curve.as_json(), curve.longest)
    assert again.quantile(0.5) == curve.quantile(0.5)
