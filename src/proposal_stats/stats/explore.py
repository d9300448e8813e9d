"""The explorer's selections: which proposals a choice of controls picks, and the figures beside them.

The explorer (:mod:`proposal_stats.reporting.explorer`, ``notebooks/explore.ipynb``, the
``proposal-stats explore`` dashboard) only wires widgets to these functions. Everything that does
not depend on the selection is computed once per report in :class:`ReportIndex`: integer codes for
units, roles, statuses and topics (a selection is a comparison of small integer arrays, not a
string ``isin`` over every row), sort ranks, the funnel points and limits, each unit's figures. A
redraw then costs a few array operations, whatever the ledger's size (``benchmarks/bench_explore.py``).

Rates here are percent (71.4, not 0.714). Counts are whole proposals (or assignments, for a unit).
A figure that cannot be computed is ``NaN`` in a number column *and* has its reason in the
``undefined`` column ("no feedback forms returned"), which the explorer prints instead of a number.

Words a reader sees are English message ids (:func:`~proposal_stats.messages.N_`,
:class:`~proposal_stats.messages.Msg`); the explorer shows them in the report's language. Columns
holding a :class:`Msg` (``undefined``, ``note``) are kept as ``object`` columns so the message
survives (a ``str`` column would keep only its English text).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from ..messages import Msg, N_, message_column
from ..params import ReportParams, load_params
from .metrics import as_percent, share
from .units import BUNCHING_WINDOW, adjusted_limits, funnel_limits, wilson_interval

ALL = "(all)"
#: Values of the result control besides a scheme's codes: proposals not replied, and replied ones
#: that carry no result category.
NOT_REPLIED = "(not replied)"
NO_CATEGORY = "(no category)"
ROLES = ("lead", "sole", "co_handler", "separate")
#: Sort keys of the proposals table, in the order the control lists them.
SORT_KEYS = ("proposal_id", "replied_at", "days", "result_category", "lead_unit", "topic")
#: Columns of the proposals table, in the order shown.
PROPOSAL_COLUMNS = ("proposal_id", "title", "topic", "lead_unit", "co_handling_units", "assigned_at", "due_at", "replied_at",
                    "days", "on_time", "result_category", "resolution_status", "satisfaction")
ONE_DECIMAL = Decimal("0.1")

#: What each figure of a unit counts, shown beside it (numerator / denominator), and the funnel
#: terms: term → (its name, its definition), both message ids.
DEFINITIONS = {
    "A share": (N_("A share"), N_("proposals the unit replied to with the scheme's first category, over those it replied to with any category")),
    "reply rate": (N_("Reply rate"), N_("proposals the unit replied to, over those it had to reply to (as lead, sole or separate handler)")),
    "on-time rate": (N_("On-time rate"), N_("replies on or before the due date, over the unit's proposals that have a due date")),
    "face-to-face rate": (N_("Face-to-face rate"),
                          N_("proposals on which the unit consulted the proposer face to face (面商), over those it had to reply to")),
    "satisfaction (inclusive)": (N_("Satisfaction (inclusive)"), N_("evaluations 'satisfied' + 'basically satisfied', over feedback forms returned")),
    "interval": (N_("95% interval"), N_("95% Wilson score interval: the range of rates compatible with the counts (wide when n is small)")),
    "pooled": (N_("Pooled"), N_("the rate over all units together (the funnel's centre line, unless the params file sets a benchmark)")),
    "verdict": (N_("Verdict"), N_("where the unit sits on the funnel: 'within' the 95% limits is not distinguishable from the pooled rate; "
                                  "'above/below 95%' or '99.8%' is outside those limits (exact binomial tail); 'too few' below the params "
                                  "file's min_n")),
    "in_last_tenth": (N_("In the last tenth"), N_("replies made in the last tenth of the time allowed (an even spread puts about 10% there)")),
}


@dataclass(frozen=True)
class Selection:
    """What the user picked; :data:`ALL` means no filter on that field.

    ``unit``: a handling unit's name; ``result``: a result category's printed code (as the report's
    scheme lists it: a code's meaning is the scheme's, so the control picks codes, not statuses),
    :data:`NOT_REPLIED` or :data:`NO_CATEGORY`; ``topic``; ``role``: one of :data:`ROLES`;
    ``sort_by``: one of :data:`SORT_KEYS`.
    """

    unit: str = ALL
    result: str = ALL
    topic: str = ALL
    role: str = ALL
    sort_by: str = "proposal_id"
    descending: bool = False


def annual_params(params_dir: str | Path) -> list[tuple[Path, ReportParams]]:
    """Every annual-report params file in ``params_dir`` (published-audit files are skipped), with its
    validated params, sorted by jurisdiction then year."""
    return annual_params_of(sorted(Path(params_dir).glob("*.yaml")))


def annual_params_of(paths) -> list[tuple[Path, ReportParams]]:
    """The annual-report params files among ``paths`` (files or folders of ``*.yaml``), validated,
    sorted by jurisdiction then year; published-audit params files are left out.

    Raises:
        ParamsError: a params file is invalid (the message names the file and the key).
    """
    out = []
    for path in _yaml_files(paths):
        p = load_params(path)
        if isinstance(p, ReportParams):
            out.append((path, p))
    return sorted(out, key=lambda x: (x[1].jurisdiction, x[1].year, x[0].name))


def audit_params_of(paths) -> list[Path]:
    """The published-audit params files (``kind: published_audit``) among ``paths``."""
    from ..params import AuditReportParams

    return [path for path in _yaml_files(paths) if isinstance(load_params(path), AuditReportParams)]


def _yaml_files(paths) -> list[Path]:
    files = []
    for path in map(Path, [paths] if isinstance(paths, (str, Path)) else paths):
        files += sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")) if path.is_dir() else [path]
    return list(dict.fromkeys(f.resolve() for f in files))


def same_jurisdiction(params_dir: str | Path, params_file: str | Path) -> list[Path]:
    """The params files covering the same jurisdiction and body as ``params_file``, by year."""
    target = load_params(params_file)
    return [path for path, p in annual_params(params_dir) if (p.jurisdiction, p.body) == (target.jurisdiction, target.body)]


# ---- one report, indexed once --------------------------------------------------------------------

def _codes(values, categories=None) -> tuple[np.ndarray, list[str]]:
    cat = pd.Categorical(values, categories=categories)
    return np.asarray(cat.codes, dtype=np.int32), list(cat.categories)


def _rank(values: pd.Series) -> tuple[np.ndarray, int]:
    """Sort rank of each value (ties share a rank; 0 the smallest); missing values and blanks rank
    last, at the number of distinct values (returned too)."""
    missing = values.isna().to_numpy().copy()
    if values.dtype == "str" or values.dtype == object:
        missing |= (values.fillna("") == "").to_numpy()
    uniques = pd.Index(values[~missing].unique()).sort_values()
    rank = np.full(len(values), len(uniques), dtype=np.int64)
    rank[~missing] = uniques.get_indexer(values[~missing])
    return rank, len(uniques)


class ReportIndex:
    """One annual report, prepared for fast selections (built once per report: about 0.6 s for
    100,000 proposals on the development machine).

    Attributes:
        report: the :class:`~proposal_stats.reporting.report.AnnualReport`.
        rows: government-system proposals, one row each, columns :data:`PROPOSAL_COLUMNS`
            (``days``: assignment to reply; ``on_time``: replied by the due date).
        units: :func:`unit_list` (units by size, with counts).
        figures: per-unit figures (:func:`unit_figures` reads them).
        timeliness: :func:`timeliness_table`.
        funnel_points, funnel_lines: :func:`funnel_data`.
    """

    def __init__(self, report):
        self.report = report
        p = report.ledger.proposals
        gov = p[(p["handling_system"] == "government").to_numpy()].reset_index(drop=True)
        self.rows = gov.assign(
            days=(gov["replied_at"] - gov["assigned_at"]).dt.days,
            on_time=gov["replied_at"].notna() & gov["due_at"].notna() & (gov["replied_at"] <= gov["due_at"]),
        )[list(PROPOSAL_COLUMNS)]
        a = report.ledger.assignments
        self._a_pos = pd.Index(gov["proposal_id"]).get_indexer(a["proposal_id"]).astype(np.int64)  # -1: not government
        self._a_unit, self.unit_names = _codes(a["handling_unit"])
        self._a_role, self._role_names = _codes(a["unit_role"])
        self._category, self._category_names = _codes(gov["result_category"])
        self._not_replied = gov["replied_at"].isna().to_numpy()
        self._topic, self._topic_names = _codes(gov["topic"])
        self._rank = {key: _rank(self.rows[key]) for key in SORT_KEYS}
        self.units = unit_list(report)
        self.figures = _all_unit_figures(report)
        self.timeliness = timeliness_table(report)
        self.funnel_points, self.funnel_lines = funnel_data(report)

    def choices(self) -> dict[str, list[tuple[str, int]]]:
        """What each control offers, as ``(value, count)`` pairs (:data:`ALL` not included; the
        explorer words the labels): ``unit`` units by size with their proposals (any role);
        ``result`` the scheme's codes in its order with their proposals, then :data:`NO_CATEGORY`
        (replied, no category; only when there is one) and :data:`NOT_REPLIED`; ``topic`` topics by
        size; ``role`` the roles present (count: assignments); ``sort_by`` the sort keys (count 0)."""
        cats = self.rows["result_category"].value_counts()
        no_category = int(((self.rows["result_category"] == "") & ~self._not_replied).sum())
        topics = pd.Series(self.rows["topic"]).replace("", np.nan).dropna().value_counts()
        roles = pd.Series(self._role_names).take(self._a_role[self._a_pos >= 0]).value_counts() if len(self._role_names) else pd.Series()
        return {
            "unit": [(r.handling_unit, int(r.proposals)) for r in self.units.itertuples()],
            "result": [(c.code, int(cats.get(c.code, 0))) for c in self.report.params.result_scheme.categories]
                      + ([(NO_CATEGORY, no_category)] if no_category else []) + [(NOT_REPLIED, int(self._not_replied.sum()))],
            "topic": [(t, int(n)) for t, n in topics.items()],
            "role": [(r, int(roles.get(r, 0))) for r in ROLES if r in roles.index],
            "sort_by": [(k, 0) for k in SORT_KEYS],
        }

    def select(self, sel: Selection) -> np.ndarray:
        """Positions in :attr:`rows` of the proposals ``sel`` picks, in the order it asks for (ties in
        proposal order; blanks last either way).

        Raises:
            KeyError: a unit, role, status or topic the report does not have.
        """
        keep = np.ones(len(self.rows), dtype=bool)
        if sel.unit != ALL or sel.role != ALL:
            hit_a = self._a_pos >= 0
            if sel.unit != ALL:
                hit_a &= self._a_unit == self._code(self.unit_names, sel.unit, "handling unit")
            if sel.role != ALL:
                hit_a &= self._a_role == self._code(self._role_names, sel.role, "role")
            picked = np.zeros(len(self.rows), dtype=bool)
            picked[self._a_pos[hit_a]] = True
            keep &= picked
        if sel.result == NOT_REPLIED:
            keep &= self._not_replied
        elif sel.result == NO_CATEGORY:
            keep &= (self._category == self._code(self._category_names, "", "result", missing_ok=True)) & ~self._not_replied
        elif sel.result != ALL:
            keep &= self._category == self._code(self._category_names, sel.result, "result", missing_ok=True)
        if sel.topic != ALL:
            keep &= self._topic == self._code(self._topic_names, sel.topic, "topic", missing_ok=True)
        pos = np.flatnonzero(keep)
        if sel.sort_by not in self._rank:
            raise KeyError(f"cannot sort by {sel.sort_by!r}; choose one of {', '.join(SORT_KEYS)}")
        ranks, blank = self._rank[sel.sort_by]
        rank = ranks[pos]
        if sel.descending:
            rank = np.where(rank == blank, blank, blank - 1 - rank)  # blanks stay last
        return pos[np.lexsort((pos, rank))]

    @staticmethod
    def _code(names: list[str], value: str, what: str, missing_ok: bool = False) -> int:
        try:
            return names.index(value)
        except ValueError:
            if missing_ok:  # a result or topic with no proposals selects none
                return -2
            raise KeyError(f"no {what} named {value!r}") from None

    def proposals(self, sel: Selection) -> pd.DataFrame:
        """The proposals ``sel`` picks, columns :data:`PROPOSAL_COLUMNS`, in order (index 0..n-1)."""
        return self.rows.iloc[self.select(sel)].reset_index(drop=True)

    def has_unit(self, unit: str) -> bool:
        """Whether ``unit`` handled anything in this report (in any role)."""
        return unit in self.figures.index


def build_index(report) -> ReportIndex:
    """:class:`ReportIndex` of an annual report."""
    return ReportIndex(report)


def select_proposals(report, sel: Selection) -> pd.DataFrame:
    """The proposals a selection picks, one row each (columns :data:`PROPOSAL_COLUMNS`), sorted by
    ``sel.sort_by``. A one-off convenience: the explorer keeps a :class:`ReportIndex` instead."""
    return ReportIndex(report).proposals(sel)


def options(report) -> dict[str, list[str]]:
    """Values of each control (:meth:`ReportIndex.choices` without counts)."""
    return {k: [v for v, _ in opts] for k, opts in ReportIndex(report).choices().items()}


# ---- units ---------------------------------------------------------------------------------------

def unit_list(report) -> pd.DataFrame:
    """Every unit that handled a government-system proposal in any role, largest first.

    Returns:
        Columns ``handling_unit``, ``proposals`` (assignments in any role), ``n`` (those it replies to
        itself: lead, sole, separate), ``as_lead``, ``as_co_handler``, ``separately``; sorted by
        ``proposals`` descending, then name.
    """
    perf = report.performance
    out = perf[["handling_unit", "n", "as_lead", "as_co_handler", "separately"]].assign(
        proposals=perf["as_lead"] + perf["as_co_handler"] + perf["separately"])
    return out[["handling_unit", "proposals", "n", "as_lead", "as_co_handler", "separately"]].sort_values(
        ["proposals", "handling_unit"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _pct(k, n) -> float:
    return math.nan if not n else float(share(int(k), int(n), ONE_DECIMAL))


def _interval(k, n) -> tuple[float, float]:
    if not n:
        return math.nan, math.nan
    low, high = wilson_interval(int(k), int(n))
    return float(as_percent(low, 1)), float(as_percent(high, 1))


#: Each figure of a unit: label, numerator column, denominator column, verdict column, why undefined
#: for a unit and for all units together (the first reason that applies: the base is 0, or, for face
#: to face, not every proposal recorded).
_FIGURES = (
    ("A share", "a_count", "categorised", "a_verdict", N_("no reply carries a result category"), N_("no reply of any unit carries a result category")),
    ("reply rate", "replied", "n", None, N_("the unit leads no proposal (co-handler only)"), N_("no unit leads a proposal")),
    ("on-time rate", "on_time", "with_due", "on_time_verdict", N_("no proposal of the unit has a due date"), N_("no proposal has a due date")),
    ("face-to-face rate", "f2f", "n", None, N_("the unit leads no proposal (co-handler only)"), N_("no unit leads a proposal")),
    ("satisfaction (inclusive)", "satisfied_any", "forms", None, N_("no feedback form returned"), N_("no feedback form returned")),
)
F2F_UNRECORDED = N_("face-to-face consultation not recorded for %(missing)s of its %(n)s proposals")
F2F_POOLED_UNRECORDED = N_("face-to-face consultation not recorded for every proposal")


def _all_unit_figures(report) -> pd.DataFrame:
    """Long table of every unit's figures, indexed by unit (see :func:`unit_figures`)."""
    perf = report.performance.assign(satisfied_any=lambda d: d["satisfied"] + d["basically_satisfied"])
    if "f2f_recorded" not in perf:
        perf = perf.assign(f2f_recorded=perf["n"])
    tot = perf[["a_count", "categorised", "replied", "n", "on_time", "with_due", "f2f", "f2f_recorded", "forms", "satisfied_any"]].sum()
    rows = []
    for r in perf.itertuples(index=False):
        for label, k, n, verdict, why, why_pooled in _FIGURES:
            kk, nn = int(getattr(r, k)), int(getattr(r, n))
            undefined = "" if nn else Msg(why)
            pooled, pooled_undefined = _pct(tot[k], tot[n]), "" if tot[n] else Msg(why_pooled)
            if k == "f2f":  # a rate over unrecorded consultations would read blanks as "no"
                if nn and r.f2f_recorded < nn:
                    undefined = Msg(F2F_UNRECORDED, missing=int(nn - r.f2f_recorded), n=nn)
                if tot["f2f_recorded"] < tot["n"]:
                    pooled, pooled_undefined = math.nan, Msg(F2F_POOLED_UNRECORDED)
            low, high = _interval(kk, nn) if not undefined else (math.nan, math.nan)
            rows.append({
                "handling_unit": r.handling_unit, "figure": label, "count": kk, "base": nn,
                "unit": math.nan if undefined else _pct(kk, nn), "low": low, "high": high, "pooled": pooled, "pooled_undefined": pooled_undefined,
                "verdict": getattr(r, verdict) if verdict and nn else "", "undefined": undefined,
                "definition": DEFINITIONS[label][1],
            })
    columns = ["handling_unit", "figure", "count", "base", "unit", "low", "high", "pooled", "pooled_undefined", "verdict", "undefined", "definition"]
    frame = pd.DataFrame(rows, columns=columns)
    for col in ("undefined", "pooled_undefined"):  # keep the messages (a str column would keep only their English)
        frame[col] = message_column(row[col] for row in rows)
    return frame.set_index("handling_unit")


def unit_figures(report_or_index, unit: str) -> pd.DataFrame:
    """A unit's figures beside the pooled ones.

    Args:
        report_or_index: an annual report or its :class:`ReportIndex`.
        unit: the handling unit's name.

    Returns:
        One row per figure (A share, reply rate, on-time rate, face-to-face rate, satisfaction
        (inclusive)); columns ``figure``, ``count`` and ``base`` (numerator and denominator, counts),
        ``unit`` (percent, 1 decimal, half-up), ``low``/``high`` (95% Wilson interval, percent),
        ``pooled`` (percent over all units; ``pooled_undefined`` says why when it cannot be computed), ``verdict`` (funnel verdict, A share and on-time rate
        only), ``undefined`` (why the figure cannot be computed, or ""), ``definition``.

    Raises:
        KeyError: no unit of that name.
    """
    figures = report_or_index.figures if isinstance(report_or_index, ReportIndex) else _all_unit_figures(report_or_index)
    if unit not in figures.index:
        raise KeyError(f"no handling unit named {unit!r}")
    return figures.loc[[unit]].reset_index(drop=True)


def compare_units(index: ReportIndex, units: list[str]) -> pd.DataFrame:
    """Several units side by side: one row per (figure, unit) with the :func:`unit_figures` columns
    plus ``handling_unit``; units in the order given, unknown names left out."""
    known = [u for u in dict.fromkeys(units) if u in index.figures.index]
    if not known:
        return index.figures.iloc[0:0].reset_index()
    return index.figures.loc[known].reset_index()


def unit_timeliness(report, unit: str) -> pd.DataFrame:
    """A unit's timeliness over the proposals it replies to itself (lead, sole, separate): one row with
    ``replied, on_time, late, not_replied`` (counts), ``days_median, days_p90`` (days, NaN when nothing
    was replied), ``in_last_tenth`` (replies in the last tenth of the allowed time, count)."""
    table = timeliness_table(report)
    if unit not in table.index:
        raise KeyError(f"no handling unit named {unit!r}")
    return table.loc[[unit]].reset_index(drop=True)


def timeliness_table(report) -> pd.DataFrame:
    """:func:`unit_timeliness` for every unit, indexed by unit (each unit's own reply dates)."""
    p = report.ledger.proposals
    a = report.ledger.assignments
    gov = p.loc[(p["handling_system"] == "government").to_numpy(), ["proposal_id", "assigned_at"]]
    role = a["unit_role"]
    replying = ((role == "lead") | (role == "sole") | (role == "separate")).to_numpy()  # not str isin: slow on Arrow strings
    rep = a[replying].merge(gov, on="proposal_id", how="inner")
    days = (rep["replied_at"] - rep["assigned_at"]).dt.days
    allowed = (rep["due_at"] - rep["assigned_at"]).dt.days
    replied = rep["replied_at"].notna()
    on_time = replied & rep["due_at"].notna() & (rep["replied_at"] <= rep["due_at"])
    frame = pd.DataFrame({
        "handling_unit": rep["handling_unit"], "replied": replied, "on_time": on_time,
        "late": replied & rep["due_at"].notna() & ~on_time, "not_replied": ~replied, "days": days,
        "in_last_tenth": days.notna() & (days >= allowed * (1 - BUNCHING_WINDOW)) & (days <= allowed),
    })
    g = frame.groupby("handling_unit", sort=True)
    out = pd.DataFrame({
        "replied": g["replied"].sum(), "on_time": g["on_time"].sum(), "late": g["late"].sum(),
        "not_replied": g["not_replied"].sum(), "days_median": g["days"].median(), "days_p90": g["days"].quantile(0.9),
        "in_last_tenth": g["in_last_tenth"].sum(),
    })
    ints = ["replied", "on_time", "late", "not_replied", "in_last_tenth"]
    out[ints] = out[ints].astype(int)
    units = report.performance["handling_unit"]
    out = out.reindex(units, fill_value=0)
    missing = ~units.isin(set(frame["handling_unit"].unique())).to_numpy()
    out.loc[missing, ["days_median", "days_p90"]] = math.nan  # a co-handler only: no reply of its own
    return out.rename_axis("handling_unit")


# ---- funnel --------------------------------------------------------------------------------------

#: The two funnels: measure name → (count column, base column, verdict column, target attr, x label).
FUNNELS = {
    "A share": ("a_count", "categorised", "a_verdict", "target_a", "proposals replied with a category"),
    "on-time rate": ("on_time", "with_due", "on_time_verdict", "target_on_time", "proposals with a due date"),
}
SPREAD = 0.02  # sideways spread of units drawn at the same point, as a share of the x range


def funnel_data(report) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The funnel plots' data, for both measures (computed once per report).

    Returns:
        ``(points, lines)``. ``points``: one row per unit and measure with ``measure, handling_unit,
        count, base, rate, low, high`` (percent), ``verdict``, ``x`` (the base, spread sideways by at
        most 0.35 when several units share one point), ``same_point`` (how many units share it),
        ``group_first`` (one row per point, to draw the count) and ``others`` (the other units at that
        point, joined with "、"; empty when none). ``lines``: ``measure, n, target, lower_998, lower_95, upper_95, upper_998`` (percent),
        exact binomial limits (Spiegelhalter 2005), widened for over-dispersion where the report did.
    """
    perf = report.performance
    points, lines = [], []
    for measure, (k_col, n_col, verdict_col, target_attr, _) in FUNNELS.items():
        df = perf[perf[n_col] > 0]
        target = float(perf.attrs.get(target_attr, math.nan))
        if df.empty or target != target:
            continue
        pts = pd.DataFrame({
            "measure": measure, "handling_unit": df["handling_unit"].to_numpy(), "count": df[k_col].to_numpy(),
            "base": df[n_col].to_numpy(), "verdict": df[verdict_col].to_numpy(),
        })
        pts["rate"] = [_pct(k, n) for k, n in zip(pts["count"], pts["base"])]
        ci = [_interval(k, n) for k, n in zip(pts["count"], pts["base"])]
        pts["low"], pts["high"] = [c[0] for c in ci], [c[1] for c in ci]
        group = pts.groupby(["base", "count"])["handling_unit"]
        pts["same_point"] = group.transform("size").astype(int)
        slot = group.cumcount().to_numpy()
        m = pts["same_point"].to_numpy()
        # Sideways, but never more than ±0.35 of a proposal from the true n (a dot must not read as
        # another n); a group also gets its count drawn beside it.
        step = np.minimum(SPREAD * max(1, int(pts["base"].max())), 0.7 / np.maximum(m - 1, 1))
        pts["x"] = pts["base"] + (slot - (m - 1) / 2) * step
        pts["group_first"] = slot == 0
        names = group.transform(lambda s: "、".join(s))
        pts["others"] = ["、".join(n for n in all_.split("、") if n != me) for all_, me in zip(names, pts["handling_unit"])]
        points.append(pts)
        top = int(df[n_col].max()) + 1
        ns = sorted(set(range(1, min(top, 60) + 1)) | set(np.unique(np.geomspace(1, top, 240).astype(int))))
        od = perf.attrs.get("a_overdispersion") if measure == "A share" and perf.attrs.get("adjusted") else None
        lim = adjusted_limits(target, ns, od.tau2) if od is not None and od.tau2 > 0 else funnel_limits(target, ns)
        lim = lim.assign(measure=measure, target=100 * target)
        for col in ("lower_998", "lower_95", "upper_95", "upper_998"):
            lim[col] = 100 * lim[col]
        lines.append(lim)
    cols_p = ["measure", "handling_unit", "count", "base", "rate", "low", "high", "verdict", "x", "same_point", "group_first", "others"]
    cols_l = ["measure", "n", "target", "lower_998", "lower_95", "upper_95", "upper_998"]
    return (pd.concat(points, ignore_index=True)[cols_p] if points else pd.DataFrame(columns=cols_p),
            pd.concat(lines, ignore_index=True)[cols_l] if lines else pd.DataFrame(columns=cols_l))


# ---- across reports ------------------------------------------------------------------------------

def unit_trend(reports: list, unit: str) -> pd.DataFrame:
    """A unit across years: ``year, report_id, point, n, a_share, on_time_rate, reply_rate`` (percent,
    1 decimal; NaN in a year it only co-handled) from reports of one jurisdiction, one row per report
    in which the unit handled something, by year. Two reports of one year (a corrected re-issue, an
    anonymised copy) stay two rows, their ``point`` naming the report (:func:`trend_table`)."""
    t = trend_table(reports)
    t = t[t["handling_unit"] == unit]
    keys = ["year", "report_id", "point", "position"]
    wide = t.set_index([*keys, "measure"])["rate"].unstack("measure")
    n = t[t["measure"] == "reply rate"].set_index(keys)["base"]
    out = wide.index.to_frame(index=False)
    out["n"] = n.reindex(wide.index).fillna(0).astype(int).to_numpy()
    for col, measure in (("a_share", "A share"), ("on_time_rate", "on-time rate"), ("reply_rate", "reply rate")):
        out[col] = wide[measure].to_numpy() if measure in wide else math.nan
    return out.sort_values(["year", "position"]).drop(columns="position").reset_index(drop=True)


def trend_table(reports: list) -> pd.DataFrame:
    """Every unit's figures in every report, for trends: ``year, report_id, point, position,
    handling_unit, measure, count, base, rate, low, high`` (percent; rate NaN where the base is 0).

    ``point`` names the report on a time axis: its year (``"2023"``), or, when several of the
    reports are of one year, the year and the report id (``"2023 · qingshan-2023-anon"``), so that
    each stays a point of its own; ``position`` is the report's place in ``reports``."""
    rows = []
    for position, rep in enumerate(reports):
        figs = (rep.figures if isinstance(rep, ReportIndex) else _all_unit_figures(rep)).reset_index()
        params = rep.report.params if isinstance(rep, ReportIndex) else rep.params
        figs = figs[figs["figure"].isin(["A share", "on-time rate", "reply rate"])]
        rows.append(pd.DataFrame({
            "year": params.year, "report_id": params.report_id, "position": position, "handling_unit": figs["handling_unit"],
            "measure": figs["figure"], "count": figs["count"], "base": figs["base"], "rate": figs["unit"],
            "low": figs["low"], "high": figs["high"],
        }))
    cols = ["year", "report_id", "point", "position", "handling_unit", "measure", "count", "base", "rate", "low", "high"]
    if not rows:
        return pd.DataFrame(columns=cols)
    out = pd.concat(rows, ignore_index=True)
    shared = out.groupby("year")["position"].transform("nunique") > 1
    out["point"] = [f"{y} · {rid}" if s else str(y) for y, rid, s in zip(out["year"], out["report_id"], shared)]
    return out[cols]


def ledger_claims(report):
    """An annual report's own figures in the claims format (scheme and result breakdown), so the
    published-report rules (:func:`~proposal_stats.published.audit.comparable_resolution_share`)
    apply to ledgers too."""
    from ..claims_format import Breakdown, Category, Claims, SchemeEntry, Source

    p, h = report.params, report.headline
    return Claims(
        id=p.report_id, jurisdiction=p.jurisdiction, body=p.body, session=p.session, year=p.year,
        source=Source(title=p.title), scheme=tuple(SchemeEntry(code=c.code, label=c.label, statuses=c.statuses) for c in p.result_scheme.categories),
        results=Breakdown(base=h.categorised, cats=tuple(Category(code=c.code, label=c.label, count=c.count) for c in h.categories)),
    )


def side_by_side(reports: list, corpus=None, language: str | None = None) -> pd.DataFrame:
    """Jurisdictions side by side: each annual report (from its ledger) and each published report of
    the corpus with a result breakdown.

    Args:
        reports: annual reports (or their :class:`ReportIndex`).
        corpus: a :class:`~proposal_stats.published.corpus.Corpus`, or None.
        language: a ledger row's jurisdiction as a report in this language names it (the params
            file's ``translations:``); default as written.

    Returns:
        One row per report: ``source`` ("ledger" or "published"), ``id, jurisdiction, body, year``
        (``jurisdiction`` a :class:`~proposal_stats.messages.Msg` for a published report that does
        not name its place),
        ``submitted, assigned_to_government, handling_units`` (counts, ledger rows only),
        ``reply_rate`` (percent), ``first_class`` (code and label as printed), ``resolved_share``
        (percent of the categorised proposals in classes that mean only "resolved"; NaN when the
        scheme does not allow the comparison), ``comparable`` (bool), ``note`` (why not comparable: a
        :class:`~proposal_stats.messages.Msg`), ``synthetic`` (the ledger has synthetic fields). The
        rule is the corpus report's (:meth:`~proposal_stats.published.corpus.Corpus.comparison_table`):
        a first class that also covers "being solved" or "partly solved" does not compare.
    """
    from ..published.audit import comparable_resolution_share
    from ..published.corpus import jurisdiction_key, jurisdiction_known

    rows = []
    for rep in reports:
        rep = rep.report if isinstance(rep, ReportIndex) else rep
        p, h = rep.params, rep.headline
        value, note = comparable_resolution_share(ledger_claims(rep))
        first = p.result_scheme.categories[0]
        rows.append({
            "source": "ledger", "id": p.report_id, "jurisdiction": p.text("jurisdiction", language) if language else p.jurisdiction,
            "body": p.body, "year": p.year,
            "submitted": h.submitted, "assigned_to_government": h.assigned_to_government, "handling_units": h.handling_units,
            "reply_rate": math.nan if h.reply_rate is None else float(h.reply_rate),
            "first_class": f"{first.code}: {first.label}", "resolved_share": math.nan if value is None else float(value),
            "comparable": value is not None, "note": note, "synthetic": bool(p.synthetic_fields),
        })
    if corpus is not None:
        for _, c, _ in corpus.reports:  # as the corpus report's comparison table, keeping each note a message
            if not c.results:
                continue
            value, note = comparable_resolution_share(c)
            first = c.scheme[0] if c.scheme else None
            rows.append({
                "source": "published", "id": c.id, "body": c.body, "year": c.year,
                # a place the report does not name is said so, with the report's id (never the file's "UNKNOWN")
                "jurisdiction": jurisdiction_key(c) if jurisdiction_known(c) else Msg("place not known (%(id)s)", id=c.id),
                "submitted": math.nan, "assigned_to_government": math.nan, "handling_units": math.nan, "reply_rate": math.nan,
                "first_class": f"{first.code}: {first.label}" if first else "", "resolved_share": math.nan if value is None else float(value),
                "comparable": value is not None, "note": note, "synthetic": False,
            })
    cols = ["source", "id", "jurisdiction", "body", "year", "submitted", "assigned_to_government", "handling_units", "reply_rate",
            "first_class", "resolved_share", "comparable", "note", "synthetic"]
    frame = pd.DataFrame(rows, columns=cols)
    for col in ("note", "jurisdiction"):  # messages stay messages (the explorer translates them)
        frame[col] = pd.Series([r[col] for r in rows], dtype=object)
    return frame
