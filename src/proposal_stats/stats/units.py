"""Handling-unit performance compared fairly: intervals, funnel plots, minimum n, no bare rankings.

A league table punishes a unit with 3 proposals for one bad reply and hides a large unit's drift.
Following Spiegelhalter (*Funnel plots for comparing institutional performance*, Stat Med
2005;24:1185–1202), each unit's rate is judged against control limits that depend on its number of
proposals: exact binomial limits around the pooled rate (or a benchmark), interpolated so they are
smooth in n. Units below a minimum n are shown without a verdict. Intervals for one unit's rate are
Wilson score intervals (Wilson 1927; recommended by Newcombe, Stat Med 1998;17:857–872).

Rates here are proportions in [0, 1] (the report prints them as percent).
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

import numpy as np
import pandas as pd

from ..params import ResultScheme
from .metrics import among


def ndtri(p: float) -> float:
    """Standard normal quantile (``statistics.NormalDist`` from the standard library)."""
    return NormalDist().inv_cdf(p)


@lru_cache(maxsize=4096)
def _cdf(n: int, p: float) -> tuple[int, tuple[float, ...]]:
    """P(R ≤ k) for R ~ Binomial(n, p), for k in a window around the mean: ``(first k, values)``.

    The pmf is summed exactly term by term in log space over mean ± 12 sd (and at least 50 terms
    either side); the mass outside that window is below 1e-30, so P(R ≤ k) is 0 below it and 1
    above. The cost grows with √n, not n, so a funnel up to n = 100,000 draws at once.
    """
    mean, sd = n * p, math.sqrt(n * p * (1 - p))
    lo = max(0, int(mean - 12 * sd) - 50)
    hi = min(n, int(mean + 12 * sd) + 50)
    lp, lq = math.log(p), math.log1p(-p)
    base = math.lgamma(n + 1)
    logs = [base - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * lp + (n - i) * lq for i in range(lo, hi + 1)]
    top = max(logs)
    terms = [math.exp(t - top) for t in logs]
    total = math.fsum(terms)
    out, running = [], 0.0
    for t in terms:
        running += t
        out.append(min(1.0, running / total))
    return lo, tuple(out)


def bdtr(k: int, n: int, p: float) -> float:
    """Binomial cumulative probability P(R ≤ k) for R ~ Binomial(n, p).

    SciPy's ``bdtr`` gives the same values (the tests check against exact rational arithmetic);
    it is not used because importing SciPy (which also makes seaborn import ``scipy.stats``) would
    cost every report more than half a second — see the render benchmark.
    """
    if k < 0:
        return 0.0
    if k >= n or p <= 0:
        return 1.0
    if p >= 1:
        return 0.0
    lo, cdf = _cdf(n, p)
    if k < lo:
        return 0.0
    if k - lo >= len(cdf):
        return 1.0
    return cdf[k - lo]


#: Funnel limits drawn: 99.8% (≈ 3 sd) and 95% (≈ 2 sd), as lower/upper tail probabilities.
LIMIT_PROBS = {"lower_998": 0.001, "lower_95": 0.025, "upper_95": 0.975, "upper_998": 0.999}


def wilson_interval(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for k successes out of n (proportions).

    The formula is written out here rather than taken from statsmodels, whose import would cost
    every report about a second; it is checked against published values in the tests.

    Returns:
        ``(low, high)``; ``(nan, nan)`` when ``n == 0``.

    Raises:
        ValueError: ``k`` outside ``0..n`` or ``level`` outside (0, 1).
    """
    if not 0 <= k <= n or not 0 < level < 1:
        raise ValueError(f"need 0 <= k <= n and 0 < level < 1, got k={k}, n={n}, level={level}")
    if n == 0:
        return (math.nan, math.nan)
    z = float(ndtri(0.5 + level / 2))
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # At k = 0 (k = n) the bound is exactly 0 (1); floats would give 2.8e-17 (1 - 1e-16).
    return (0.0 if k == 0 else max(0.0, centre - half), 1.0 if k == n else min(1.0, centre + half))


def binomial_limit(n: int, p0: float, prob: float) -> float:
    """The exact binomial control limit at tail probability ``prob``, interpolated (Spiegelhalter
    2005, appendix A.1.1): with r the smallest count whose cumulative probability reaches ``prob``,
    the limit is ``(r - a) / n`` where ``a = (F(r) - prob) / (F(r) - F(r - 1))``.

    Args:
        n: the unit's number of proposals (> 0).
        p0: the target rate (pooled or benchmark), a proportion.
        prob: lower or upper tail probability, e.g. 0.025 or 0.975.

    Returns:
        The limit as a proportion in [0, 1]. Fixtures: p0 = 0.8, n = 10 → 0.302 (0.001), 0.471 (0.025),
        0.977 (0.975), 0.999 (0.999).
    """
    if n <= 0:
        return math.nan
    if p0 <= 0:
        return 0.0
    if p0 >= 1:
        return 1.0
    lo, cdf = _cdf(n, p0)
    r = min(lo + bisect.bisect_left(cdf, prob), n)  # the smallest r with P(R ≤ r) ≥ prob
    f_r = float(bdtr(r, n, p0))
    f_below = float(bdtr(r - 1, n, p0)) if r > 0 else 0.0
    a = (f_r - prob) / (f_r - f_below) if f_r > f_below else 0.0
    return min(1.0, max(0.0, (r - a) / n))


def funnel_limits(p0: float, ns) -> pd.DataFrame:
    """Control limits for every n in ``ns``: columns ``n`` and those of :data:`LIMIT_PROBS`."""
    return pd.DataFrame(_limits(float(p0), tuple(sorted({int(n) for n in ns if n > 0}))))


@lru_cache(maxsize=64)
def _limits(p0: float, ns: tuple[int, ...]) -> list[dict]:
    # cached: the explorer redraws the same funnel with another unit ringed
    return [{"n": n, **{k: binomial_limit(n, p0, p) for k, p in LIMIT_PROBS.items()}} for n in ns]


@dataclass(frozen=True)
class Overdispersion:
    """Spiegelhalter (Qual Saf Health Care 2005;14:347–351): arcsine-square-root scale, z-scores
    winsorised at 10 % / 90 %, additive between-unit variance τ² (0 when not over-dispersed)."""

    phi: float
    tau2: float
    units: int

    @property
    def over_dispersed(self) -> bool:
        """True when τ² > 0, i.e. the unit rates vary more than chance allows."""
        return self.tau2 > 0


def overdispersion(k: np.ndarray, n: np.ndarray, p0: float, winsor: float = 0.1) -> Overdispersion:
    """Estimate over-dispersion of unit rates ``k / n`` around ``p0``.

    y = asin(√(k/n)), target θ = asin(√p0), s = 1 / (2√n), z = (y − θ) / s; z winsorised at
    ``winsor`` and ``1 − winsor``; φ = mean(z²); if I·φ > I − 1, τ² = (I·φ − (I − 1)) /
    (Σw − Σw² / Σw) with w = 1 / s², else 0.
    """
    k, n = np.asarray(k, float), np.asarray(n, float)
    keep = n > 0
    k, n = k[keep], n[keep]
    units = len(n)
    if units < 2 or not 0 < p0 < 1:
        return Overdispersion(math.nan, 0.0, units)
    y = np.arcsin(np.sqrt(k / n))
    s = 1 / (2 * np.sqrt(n))
    z = (y - math.asin(math.sqrt(p0))) / s
    lo, hi = np.quantile(z, [winsor, 1 - winsor])
    z = np.clip(z, lo, hi)
    phi = float(np.mean(z**2))
    w = 1 / s**2
    tau2 = max(0.0, (units * phi - (units - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    return Overdispersion(phi, float(tau2), units)


def adjusted_limits(p0: float, ns, tau2: float) -> pd.DataFrame:
    """Funnel limits widened by τ² on the arcsine scale: sin²(θ ± z·√(1/(4n) + τ²))."""
    theta = math.asin(math.sqrt(p0))
    rows = []
    for n in sorted({int(n) for n in ns if n > 0}):
        sd = math.sqrt(1 / (4 * n) + tau2)
        row = {"n": n}
        for key, prob in LIMIT_PROBS.items():
            x = min(math.pi / 2, max(0.0, theta + float(ndtri(prob)) * sd))
            row[key] = math.sin(x) ** 2
        rows.append(row)
    return pd.DataFrame(rows)


def verdict(k: int, n: int, p0: float, min_n: int, limits: dict | None = None) -> str:
    """Where a unit sits on the funnel: "too few" (n < min_n: no verdict), "above 99.8%",
    "above 95%", "within", "below 95%", "below 99.8%".

    Without ``limits``: exact binomial tails, P(R ≥ k) or P(R ≤ k) under Binomial(n, p0) below
    0.001 / 0.025 (the interpolated plotting limits put a unit with k = n just above a limit however
    likely k = n is, so the verdict uses the tail probability itself). With ``limits`` (the
    over-dispersion-adjusted ones) the rate is compared with them.
    """
    if n < min_n or n == 0 or math.isnan(p0):
        return "too few"
    if limits is not None:
        rate = k / n
        above = "above 99.8%" if rate > limits["upper_998"] else "above 95%" if rate > limits["upper_95"] else None
        below = "below 99.8%" if rate < limits["lower_998"] else "below 95%" if rate < limits["lower_95"] else None
        return above or below or "within"
    upper_tail = 1.0 - float(bdtr(k - 1, n, p0)) if k > 0 else 1.0
    lower_tail = float(bdtr(k, n, p0))
    if upper_tail < LIMIT_PROBS["lower_998"]:
        return "above 99.8%"
    if upper_tail < LIMIT_PROBS["lower_95"]:
        return "above 95%"
    if lower_tail < LIMIT_PROBS["lower_998"]:
        return "below 99.8%"
    if lower_tail < LIMIT_PROBS["lower_95"]:
        return "below 95%"
    return "within"


def unit_performance(proposals: pd.DataFrame, assignments: pd.DataFrame, scheme: ResultScheme, min_n: int = 5,
                     benchmark_a: float | None = None, benchmark_on_time: float | None = None, adjust: bool = False) -> pd.DataFrame:
    """The per-unit table: roles, results, A-share with interval and funnel verdict, replies, timeliness,
    face-to-face consultation, satisfaction, days to reply, re-handling.

    Args:
        proposals: ``Ledger.proposals`` (government-system proposals are used).
        assignments: ``Ledger.assignments``.
        scheme: result scheme; the first category is "A".
        min_n: units replying to fewer proposals get no funnel verdict.
        benchmark_a, benchmark_on_time: target proportions; default the pooled rates.
        adjust: widen the limits for over-dispersion when it is present.

    Returns:
        One row per unit; counts are assignments the unit replied to itself (lead, sole or separate),
        rates proportions. Columns: ``handling_unit, as_lead, as_co_handler, separately, n``, one count
        per normalised status, ``a_count, a_share, a_low, a_high, a_verdict, replied, reply_rate,
        on_time, with_due, on_time_rate, on_time_verdict, f2f, f2f_recorded, f2f_rate`` (undefined when
        any of the unit's proposals has face-to-face consultation not recorded), ``forms, response_rate,
        satisfied, basically_satisfied, dissatisfied, satisfaction_inclusive, satisfaction_strict,
        days_median, days_p90`` (days from assignment to reply; NaN for a unit with no reply of its own),
        ``dissatisfied_rehandled``.
    """
    gov = proposals[proposals["handling_system"] == "government"]
    a = assignments[among(assignments["proposal_id"], gov["proposal_id"])]
    roles = a.assign(role=a["unit_role"].replace({"sole": "lead"})).groupby(["handling_unit", "role"]).size().unstack(fill_value=0)
    roles = roles.reindex(columns=["lead", "co_handler", "separate"], fill_value=0)
    replying = a[a["unit_role"].isin(["lead", "sole", "separate"])].merge(
        gov[["proposal_id", "assigned_at", "second_replied_at", "second_satisfaction"]], on="proposal_id", how="left")
    status = {c.code: c.statuses[0] for c in scheme.categories}
    replying = replying.assign(
        # Text before filling: a column none of whose codes the scheme knows maps to float64 NaN.
        status=replying["result_category"].map(status).astype("str").fillna(""),
        days=(replying["replied_at"] - replying["assigned_at"]).dt.days,
        on_time=replying["replied_at"].notna() & replying["due_at"].notna() & (replying["replied_at"] <= replying["due_at"]),
    )
    a_code = scheme.codes[0]
    # Counts as sums of 0/1 columns per unit: one vectorised pass, and well defined with no rows.
    flags = {
        "a_count": replying["result_category"] == a_code,
        "categorised": replying["result_category"] != "",
        "f2f": replying["f2f_consulted"].fillna(False).astype(bool),
        "satisfied": replying["satisfaction"] == "satisfied",
        "basically_satisfied": replying["satisfaction"] == "basically_satisfied",
        "dissatisfied": replying["satisfaction"] == "dissatisfied",
        "dissatisfied_rehandled": (replying["satisfaction"] == "dissatisfied") & replying["second_replied_at"].notna(),
        **{st: replying["status"] == st for st in dict.fromkeys(status.values())},
    }
    replying = replying.assign(**{f"_{k}": v.astype("int64") for k, v in flags.items()}, days=replying["days"].astype("float64"))
    g = replying.groupby("handling_unit")
    sums = {k: g[f"_{k}"].sum() for k in flags}
    table = pd.DataFrame({
        "n": g.size(), "a_count": sums.pop("a_count"), "categorised": sums.pop("categorised"),
        "replied": g["replied_at"].count(), "on_time": g["on_time"].sum().astype(int), "with_due": g["due_at"].count(),
        "f2f": sums.pop("f2f"), "f2f_recorded": g["f2f_consulted"].count(),
        "satisfied": sums.pop("satisfied"), "basically_satisfied": sums.pop("basically_satisfied"),
        "dissatisfied": sums.pop("dissatisfied"), "days_median": g["days"].median(), "days_p90": g["days"].quantile(0.9),
        "dissatisfied_rehandled": sums.pop("dissatisfied_rehandled"), **sums,  # then one count per status
    })
    table = table.join(roles.rename(columns={"lead": "as_lead", "co_handler": "as_co_handler", "separate": "separately"}), how="outer")
    # A count a unit lacks is 0; its days to reply are undefined (no reply of its own), never 0 days.
    table = table.fillna({c: 0 for c in table.columns if c not in ("days_median", "days_p90")})
    table["forms"] = table["satisfied"] + table["basically_satisfied"] + table["dissatisfied"]

    def ratio(num, den):
        return (table[num] / table[den]).where(table[den] > 0)

    table["a_share"] = ratio("a_count", "categorised")
    table["reply_rate"] = ratio("replied", "n")
    table["on_time_rate"] = ratio("on_time", "with_due")
    # A blank face-to-face cell is "not recorded", as in the headline: the rate is undefined, not "no".
    table["f2f_rate"] = ratio("f2f", "n").where(table["f2f_recorded"] == table["n"])
    table["response_rate"] = ratio("forms", "replied")
    table["satisfaction_inclusive"] = ((table["satisfied"] + table["basically_satisfied"]) / table["forms"]).where(table["forms"] > 0)
    table["satisfaction_strict"] = ratio("satisfied", "forms")
    ci = [wilson_interval(int(k), int(n)) for k, n in zip(table["a_count"], table["categorised"])]
    table["a_low"], table["a_high"] = [c[0] for c in ci], [c[1] for c in ci]

    pooled_a = table["a_count"].sum() / table["categorised"].sum() if table["categorised"].sum() else math.nan
    pooled_t = table["on_time"].sum() / table["with_due"].sum() if table["with_due"].sum() else math.nan
    for key, count, den, target in (("a", "a_count", "categorised", benchmark_a if benchmark_a is not None else pooled_a),
                                    ("on_time", "on_time", "with_due", benchmark_on_time if benchmark_on_time is not None else pooled_t)):
        od = overdispersion(table[count].to_numpy(), table[den].to_numpy(), target) if adjust else None
        widened = adjusted_limits(target, table[den], od.tau2).set_index("n").to_dict("index") if od and od.over_dispersed else None
        table[f"{key}_verdict"] = pd.Series([
            verdict(int(k), int(n), target, min_n, widened.get(int(n)) if widened else None)
            for k, n in zip(table[count], table[den])
        ], index=table.index, dtype="str")
        table.attrs[f"{key}_overdispersion"] = od
    table.attrs.update(pooled_a=pooled_a, pooled_on_time=pooled_t, min_n=min_n,
                       target_a=benchmark_a if benchmark_a is not None else pooled_a,
                       target_on_time=benchmark_on_time if benchmark_on_time is not None else pooled_t)
    ints = ["as_lead", "as_co_handler", "separately", "n", "a_count", "categorised", "replied", "on_time", "with_due", "f2f", "f2f_recorded", "forms",
            "satisfied", "basically_satisfied", "dissatisfied", "dissatisfied_rehandled", *dict.fromkeys(status.values())]
    table[ints] = table[ints].astype(int)
    table = table.rename_axis("handling_unit").reset_index()
    table["handling_unit"] = table["handling_unit"].astype("str")
    return table.sort_values(["n", "handling_unit"], ascending=[False, True], kind="stable").reset_index(drop=True)


# ---- timeliness and satisfaction ---------------------------------------------------------------------

#: Bunching heuristic: replies in the last tenth of the allowed period. Uniform replies would put
#: about 10% there; a quarter or more (over at least 20 replies) is flagged.
BUNCHING_WINDOW = 0.10
BUNCHING_SHARE = 0.25
BUNCHING_MIN_REPLIES = 20
#: "Satisfaction without variance": 100% satisfied (inclusive) over at least this many forms.
ZERO_VARIANCE_MIN_FORMS = 30


def reply_times(proposals: pd.DataFrame) -> pd.DataFrame:
    """Government-system proposals with an assignment date: ``proposal_id, lead_unit, days`` (assignment
    to reply, NaN if not replied), ``allowed`` (assignment to due date, days), ``on_time`` (bool),
    ``in_last_tenth`` (replied within the last 10% of the allowed period)."""
    gov = proposals[(proposals["handling_system"] == "government") & proposals["assigned_at"].notna()]
    days = (gov["replied_at"] - gov["assigned_at"]).dt.days
    allowed = (gov["due_at"] - gov["assigned_at"]).dt.days
    out = pd.DataFrame({
        "proposal_id": gov["proposal_id"], "lead_unit": gov["lead_unit"], "days": days, "allowed": allowed,
        "on_time": gov["replied_at"].notna() & gov["due_at"].notna() & (gov["replied_at"] <= gov["due_at"]),
    })
    out["in_last_tenth"] = out["days"].notna() & (out["days"] >= out["allowed"] * (1 - BUNCHING_WINDOW)) & (out["days"] <= out["allowed"])
    return out.reset_index(drop=True)


def bunching(times: pd.DataFrame) -> dict:
    """Whether replies bunch just before the deadline: ``replies``, ``in_last_tenth`` (count),
    ``share`` (proportion) and ``flagged`` (share ≥ 25% over ≥ 20 replies)."""
    replied = times[times["days"].notna() & times["allowed"].notna()]
    n, k = len(replied), int(replied["in_last_tenth"].sum())
    share = k / n if n else math.nan
    return {"replies": n, "in_last_tenth": k, "share": share,
            "flagged": bool(n >= BUNCHING_MIN_REPLIES and share >= BUNCHING_SHARE)}


def satisfaction_distribution(proposals: pd.DataFrame) -> pd.Series:
    """Evaluations of government-system replies: counts of satisfied, basically_satisfied,
    dissatisfied, no_response and not recorded (blank)."""
    gov = proposals[(proposals["handling_system"] == "government") & proposals["replied_at"].notna()]
    counts = gov["satisfaction"].replace("", "not_recorded").value_counts()
    return counts.reindex(["satisfied", "basically_satisfied", "dissatisfied", "no_response", "not_recorded"], fill_value=0).astype(int)


def zero_variance(dist: pd.Series) -> bool:
    """100% satisfied (satisfied + basically satisfied) over at least 30 returned forms, none dissatisfied."""
    forms = int(dist["satisfied"] + dist["basically_satisfied"] + dist["dissatisfied"])
    return forms >= ZERO_VARIANCE_MIN_FORMS and int(dist["dissatisfied"]) == 0


def dissatisfied_follow_up(proposals: pd.DataFrame) -> pd.DataFrame:
    """Each proposal evaluated 不满意, followed to its second reply and second evaluation:
    ``proposal_id, lead_unit, replied_at, second_replied_at, days_to_second_reply, second_satisfaction``."""
    d = proposals[(proposals["handling_system"] == "government") & (proposals["satisfaction"] == "dissatisfied")]
    return pd.DataFrame({
        "proposal_id": d["proposal_id"], "lead_unit": d["lead_unit"], "replied_at": d["replied_at"],
        "second_replied_at": d["second_replied_at"],
        "days_to_second_reply": (d["second_replied_at"] - d["replied_at"]).dt.days,
        "second_satisfaction": d["second_satisfaction"],
    }).reset_index(drop=True)


def compare_units(proposals: pd.DataFrame, assignments: pd.DataFrame, scheme: ResultScheme, settings) -> pd.DataFrame:
    """:func:`unit_performance` with the params file's :class:`~proposal_stats.params.UnitSettings`.

    ``overdispersion: auto`` adjusts the limits only when the units are over-dispersed (τ² > 0) and
    three or more units with at least ``min_n`` proposals fall outside the 99.8% limits (Spiegelhalter
    2005: adjust when many large units are "out of control"). ``table.attrs["adjusted"]`` says
    whether the limits were widened.
    """
    def run(adjust: bool) -> pd.DataFrame:
        return unit_performance(
            proposals, assignments, scheme, min_n=settings.min_n,
            benchmark_a=None if settings.benchmark_a_share is None else settings.benchmark_a_share / 100,
            benchmark_on_time=None if settings.benchmark_on_time is None else settings.benchmark_on_time / 100,
            adjust=adjust,
        )

    table = run(settings.overdispersion == "on")
    if settings.overdispersion == "auto":
        outside = table["a_verdict"].astype("str").str.endswith("99.8%").sum()
        od = overdispersion(table["a_count"], table["categorised"], table.attrs["target_a"]) if len(table) else None
        if od is not None and od.over_dispersed and outside >= 3:
            table = run(True)
            table.attrs["adjusted"] = True
    table.attrs.setdefault("adjusted", settings.overdispersion == "on")
    return table
