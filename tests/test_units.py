"""Handling-unit comparison: every statistic against hand-computed values and published fixtures."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from proposal_stats.stats import units
from proposal_stats.ledger import read_ledger
from proposal_stats.params import load_params

from .conftest import CITY, params_copy


# ---- intervals and limits: the fixtures ---------------------------------------------------------


def test_wilson_zero_of_five():
    low, high = units.wilson_interval(0, 5)
    assert (round(low, 3), round(high, 3)) == (0.0, 0.434)


def test_wilson_matches_the_textbook_value():
    # Newcombe 1998, table I: 81/263 → 0.2553 to 0.3662
    low, high = units.wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def test_wilson_rejects_impossible_counts():
    with pytest.raises(ValueError):
        units.wilson_interval(6, 5)
    assert all(math.isnan(x) for x in units.wilson_interval(0, 0))


@pytest.mark.parametrize(("n", "expected"), [(10, (0.302, 0.471, 0.977, 0.999)), (50, (0.601, 0.673, 0.896, 0.945))])
def test_funnel_limits_fixtures(n, expected):
    # p0 = 0.8; order: 99.8% lower, 95% lower, 95% upper, 99.8% upper (Spiegelhalter 2005, interpolated)
    row = units.funnel_limits(0.8, [n]).iloc[0]
    got = tuple(round(row[k], 3) for k in ("lower_998", "lower_95", "upper_95", "upper_998"))
    assert got == expected


def test_limits_narrow_as_n_grows():
    lim = units.funnel_limits(0.6, [5, 20, 80, 320])
    assert (lim["upper_95"].diff().dropna() < 0).all() and (lim["lower_95"].diff().dropna() > 0).all()


def test_verdicts_use_exact_tails_and_minimum_n():
    # Binomial(10, 0.8): P(R <= 4) = 0.0064 < 0.025 → below 95%; P(R <= 2) = 0.00008 < 0.001 → below 99.8%
    assert units.verdict(4, 10, 0.8, min_n=5) == "below 95%"
    assert units.verdict(2, 10, 0.8, min_n=5) == "below 99.8%"
    assert units.verdict(8, 10, 0.8, min_n=5) == "within"
    assert units.verdict(10, 10, 0.8, min_n=5) == "within"  # P(R = 10) = 0.107: all A is not remarkable at n = 10
    assert units.verdict(50, 50, 0.8, min_n=5) == "above 99.8%"  # 0.8^50 = 1.4e-5
    assert units.verdict(0, 3, 0.8, min_n=5) == "too few"


def test_overdispersion_by_hand():
    # four units around p0 = 0.5 with n = 100: rates 0.3, 0.5, 0.5, 0.7
    k, n = [30, 50, 50, 70], [100] * 4
    od = units.overdispersion(k, n, 0.5, winsor=0.0)
    z_out = (math.asin(math.sqrt(0.7)) - math.asin(math.sqrt(0.5))) * 2 * 10  # s = 1/(2√100) = 0.05
    phi = (2 * z_out**2) / 4
    assert od.phi == pytest.approx(phi)
    w = 400.0  # 1/s²
    tau2 = (4 * phi - 3) / (4 * w - 4 * w**2 / (4 * w))
    assert od.tau2 == pytest.approx(tau2) and od.over_dispersed
    assert units.overdispersion([50, 50, 51, 49], n, 0.5, winsor=0.0).tau2 == 0.0


# ---- the per-unit table, by hand -------------------------------------------------------------------------

LEDGER = (
    "proposal_id,handling_unit,unit_role,assigned_at,replied_at,result_category,f2f_consulted,satisfaction,second_replied_at,second_satisfaction\n"
    "001,甲局,主办,2022-03-15,2022-04-14,A,是,满意,,\n"        # 30 days
    "001,乙局,协办,2022-03-15,,,,,,\n"
    "002,甲局,主办,2022-03-15,2022-05-14,B,否,不满意,2022-06-10,基本满意\n"  # 60 days
    "003,甲局,主办,2022-03-15,2022-07-01,A,是,基本满意,,\n"      # 108 days: late (due 2022-06-15)
    "004,甲局,主办,2022-03-15,,,,,,\n"                           # not replied
    "005,乙局,分办,2022-03-15,2022-04-24,C,是,未反馈,,\n"        # 40 days
    "005,丙局,分办,2022-03-15,2022-04-30,A,是,满意,,\n"          # 46 days
)


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "l.csv"
    path.write_text(LEDGER, encoding="utf-8")
    params = load_params(params_copy(CITY, tmp_path, ledger=str(path)))
    ledger = read_ledger(path, params)
    assert len(ledger.rejected) == 0, ledger.problems
    return units.unit_performance(ledger.proposals, ledger.assignments, params.result_scheme, min_n=3).set_index("handling_unit"), ledger


def test_unit_table_by_hand(table):
    t, _ = table
    a = t.loc["甲局"]
    assert (a.as_lead, a.as_co_handler, a.separately, a.n) == (4, 0, 0, 4)
    assert (a.a_count, a.categorised, a.a_share) == (2, 3, pytest.approx(2 / 3))
    assert (a.replied, a.reply_rate, a.on_time, a.with_due, a.on_time_rate) == (3, 0.75, 2, 4, 0.5)
    # 004's face-to-face cell is blank: not recorded, so the rate is undefined (as in the headline), not 2/4
    assert (a.f2f, a.f2f_recorded, math.isnan(a.f2f_rate)) == (2, 3, True)
    assert (t.loc["丙局"].f2f, t.loc["丙局"].f2f_rate) == (1, 1.0)
    assert (a.forms, a.response_rate) == (3, 1.0)
    assert (a.satisfaction_inclusive, a.satisfaction_strict) == (pytest.approx(2 / 3), pytest.approx(1 / 3))
    assert (a.days_median, a.days_p90) == (60.0, pytest.approx(60 + 0.8 * (108 - 60)))  # days 30, 60, 108
    assert a.dissatisfied_rehandled == 1
    assert (a.a_low, a.a_high) == (pytest.approx(units.wilson_interval(2, 3)[0]), pytest.approx(units.wilson_interval(2, 3)[1]))
    b = t.loc["乙局"]
    assert (b.as_lead, b.as_co_handler, b.separately, b.n, b.a_count, b.categorised) == (0, 1, 1, 1, 0, 1)
    assert (b.forms, b.response_rate) == (0, 0.0)  # 未反馈 is not a returned form
    assert b.a_verdict == "too few"


def test_a_unit_with_no_reply_of_its_own_has_no_days_to_reply(tmp_path):
    # A lead unit that has not replied and a co-handler only showed "0 / 0" days (a join's fillna(0)).
    path = tmp_path / "l.csv"
    path.write_text(LEDGER + "006,丁局,主办,2022-03-15,,,,,,\n006,戊局,协办,2022-03-15,,,,,,\n", encoding="utf-8")
    params = load_params(params_copy(CITY, tmp_path, ledger=str(path)))
    ledger = read_ledger(path, params)
    t = units.unit_performance(ledger.proposals, ledger.assignments, params.result_scheme, min_n=3).set_index("handling_unit")
    assert (t.loc["丁局"].n, t.loc["丁局"].replied) == (1, 0) and (t.loc["戊局"].n, t.loc["戊局"].as_co_handler) == (0, 1)
    for unit in ("丁局", "戊局"):
        assert math.isnan(t.loc[unit].days_median) and math.isnan(t.loc[unit].days_p90)
    assert (t.loc["甲局"].days_median, t.loc["丙局"].days_median) == (60.0, 46.0)  # the others unchanged


def test_status_counts_through_the_scheme(table):
    t, _ = table
    assert t.loc["甲局", ["resolved", "planned"]].tolist() == [2, 1]  # A → resolved (primary), B → planned
    assert t.loc["乙局", "not_feasible_now"] == 1


def test_timeliness_and_bunching(table):
    _, ledger = table
    times = units.reply_times(ledger.proposals).set_index("proposal_id")
    assert times.loc["003", "days"] == 108 and not times.loc["003", "on_time"] and times.loc["001", "allowed"] == 92
    # replies at day 85..92 of a 92-day limit are in the last tenth (≥ 82.8 days)
    bunched = pd.DataFrame({"days": [85] * 10 + [30] * 20, "allowed": [92] * 30, "in_last_tenth": [True] * 10 + [False] * 20})
    assert units.bunching(bunched) == {"replies": 30, "in_last_tenth": 10, "share": pytest.approx(1 / 3), "flagged": True}


def test_satisfaction_checks(table):
    _, ledger = table
    dist = units.satisfaction_distribution(ledger.proposals)
    # 005 handled separately: the least satisfied of the returned evaluations (满意; 未反馈 is no form) → satisfied
    assert dist.to_dict() == {"satisfied": 2, "basically_satisfied": 1, "dissatisfied": 1, "no_response": 0, "not_recorded": 0}
    assert not units.zero_variance(dist)
    assert units.zero_variance(pd.Series({"satisfied": 29, "basically_satisfied": 1, "dissatisfied": 0, "no_response": 5, "not_recorded": 0}))
    follow = units.dissatisfied_follow_up(ledger.proposals)
    assert follow[["proposal_id", "days_to_second_reply", "second_satisfaction"]].values.tolist() == [["002", 27, "basically_satisfied"]]


def test_reference_units_and_signals():
    from proposal_stats.reporting.report import build_annual_report
    from proposal_stats.stats.signals import audit_signals

    report = build_annual_report(CITY)
    perf = report.performance
    assert len(perf) == 31 and perf["n"].sum() == 248 and perf["a_count"].sum() == 177
    assert perf.attrs["target_a"] == pytest.approx(177 / 248)
    status = {s.name: s.status for s in audit_signals(report)}
    assert status == {
        "scheme drift": "fired",  # A = 已解决或正在解决
        "implausible A share": "not fired",
        "B items never followed up": "not checkable",
        "satisfaction without variance": "not fired",  # 2 dissatisfied in the synthetic data
        "timeliness": "not fired",
        "boilerplate replies": "not checkable",
        "arithmetic": "not fired",
    }


def test_approved_extensions_are_honoured_up_to_the_limit(tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("proposal_id,lead_unit,assigned_at,due_at,replied_at,result_category\n"
                    "001,甲局,2022-03-15,2022-08-15,2022-08-01,A\n002,甲局,2022-03-15,2022-12-31,2022-11-01,A\n", encoding="utf-8")
    deadline = {"months_after_assignment": 3, "extension_max_months": 6}
    params = load_params(params_copy(CITY, tmp_path, ledger=str(path), reply_deadline=deadline))
    ledger = read_ledger(path, params)
    due = dict(zip(ledger.proposals["proposal_id"], ledger.proposals["due_at"].astype(str)))
    assert due == {"001": "2022-08-15", "002": "2022-09-15"}  # the extension to 12-31 is capped at 6 months
    assert ledger.warnings["rule"].tolist() == ["due_beyond_limit"]


@pytest.mark.parametrize("n_units", [5, 100])
def test_funnel_chart_stays_readable_from_5_to_100_units(n_units):
    import matplotlib.pyplot as plt

    from proposal_stats.reporting import charts

    rng = [(i * 37) % 23 + 1 for i in range(n_units)]
    table = pd.DataFrame({"handling_unit": [f"单位{i:03d}" for i in range(n_units)], "n": rng,
                          "k": [max(0, n - (i % 5)) for i, n in enumerate(rng)]})
    table["verdict"] = [units.verdict(k, n, 0.7, 5) for k, n in zip(table["k"], table["n"])]
    fig = charts.funnel_chart(table, "k", "n", 0.7, "verdict", "t", "n")
    labels = [t for t in fig.axes[0].texts]
    assert len(labels) <= 12  # only outliers are labelled, at most 12
    plt.close(fig)


@pytest.mark.parametrize(("k", "n", "p"), [(5, 10, 0.8), (4, 10, 0.8), (30, 50, 0.8), (150, 300, 0.55), (0, 3, 0.2), (990, 1000, 0.995)])
def test_binomial_cdf_matches_exact_rational_arithmetic(k, n, p):
    from fractions import Fraction

    q = Fraction(p)
    exact = sum(math.comb(n, i) * q**i * (1 - q) ** (n - i) for i in range(k + 1))
    assert units.bdtr(k, n, p) == pytest.approx(float(exact), rel=1e-12)
