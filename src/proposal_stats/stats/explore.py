"""Selections for interactive exploration (``notebooks/explore.ipynb``): the logic behind the controls.

The notebook only wires ipywidgets to these functions; each takes an
:class:`~proposal_stats.reporting.report.AnnualReport` (or several, for trends) and a :class:`Selection`, and
returns a DataFrame. All are vectorised, so a new selection on a 100,000-row ledger redraws in well
under 200 ms (``benchmarks/bench_explore.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..params import ReportParams, load_params

ALL = "(all)"
ROLES = ("lead", "co_handler", "separate", "sole")


@dataclass(frozen=True)
class Selection:
    """What the user picked; :data:`ALL` means no filter on that field."""

    unit: str = ALL
    status: str = ALL
    topic: str = ALL
    role: str = ALL
    sort_by: str = "proposal_id"
    descending: bool = False


def annual_params(params_dir: str | Path) -> list[tuple[Path, ReportParams]]:
    """Every annual-report params file in ``params_dir`` (published-audit files are skipped), with its
    validated params, sorted by jurisdiction then year."""
    out = []
    for path in sorted(Path(params_dir).glob("*.yaml")):
        p = load_params(path)
        if isinstance(p, ReportParams):
            out.append((path, p))
    return sorted(out, key=lambda x: (x[1].jurisdiction, x[1].year))


def same_jurisdiction(params_dir: str | Path, params_file: str | Path) -> list[Path]:
    """The params files covering the same jurisdiction and body as ``params_file``, by year."""
    target = load_params(params_file)
    return [path for path, p in annual_params(params_dir) if (p.jurisdiction, p.body) == (target.jurisdiction, target.body)]


def options(report) -> dict[str, list[str]]:
    """Choices for each control: units (by assignments), statuses, topics, roles; each led by :data:`ALL`."""
    a, p = report.ledger.assignments, report.ledger.proposals
    return {
        "unit": [ALL, *sorted(set(a["handling_unit"]))],
        "status": [ALL, *[s for s in dict.fromkeys(c.statuses[0] for c in report.params.result_scheme.categories)], "(not replied)"],
        "topic": [ALL, *sorted(t for t in set(p["topic"]) if t)],
        "role": [ALL, *[r for r in ROLES if r in set(a["unit_role"])]],
        "sort_by": ["proposal_id", "replied_at", "days", "result_category", "lead_unit", "topic"],
    }


def select_proposals(report, sel: Selection) -> pd.DataFrame:
    """The proposals a selection picks, one row each.

    Args:
        report: an annual report.
        sel: the selection; ``unit`` and ``role`` filter through the assignments (the proposals the unit
            handled in that role), ``status`` is the normalised status or "(not replied)".

    Returns:
        Columns ``proposal_id, title, topic, lead_unit, co_handling_units, assigned_at, due_at,
        replied_at, days, on_time, result_category, resolution_status, satisfaction`` (days: assignment to
        reply), sorted by ``sel.sort_by``.
    """
    p = report.ledger.proposals
    keep = (p["handling_system"] == "government").to_numpy().copy()
    if sel.unit != ALL or sel.role != ALL:
        a = report.ledger.assignments
        mask = pd.Series(True, index=a.index)
        if sel.unit != ALL:
            mask &= a["handling_unit"] == sel.unit
        if sel.role != ALL:
            mask &= a["unit_role"] == sel.role
        # positions of the picked proposals: a lookup of the few picked ids, not a scan of all ids
        hit = np.zeros(len(p), dtype=bool)
        hit[pd.Index(p["proposal_id"]).get_indexer(a.loc[mask, "proposal_id"].unique())] = True
        keep &= hit
    keep = pd.Series(keep, index=p.index)
    if sel.status == "(not replied)":
        keep &= p["replied_at"].isna()
    elif sel.status != ALL:
        keep &= p["resolution_status"] == sel.status
    if sel.topic != ALL:
        keep &= p["topic"] == sel.topic
    rows = p[keep]
    out = rows[["proposal_id", "title", "topic", "lead_unit", "co_handling_units", "assigned_at", "due_at", "replied_at",
                "result_category", "resolution_status", "satisfaction"]].assign(
        days=(rows["replied_at"] - rows["assigned_at"]).dt.days,
        on_time=rows["replied_at"].notna() & rows["due_at"].notna() & (rows["replied_at"] <= rows["due_at"]),
    )
    return out.sort_values(sel.sort_by, ascending=not sel.descending, kind="stable", na_position="last").reset_index(drop=True)


def unit_figures(report, unit: str) -> pd.DataFrame:
    """A unit's figures beside the pooled ones: rows A share, reply, on-time, face-to-face, satisfaction;
    columns ``unit`` and ``pooled`` (percent), ``unit_low``/``unit_high`` (Wilson 95% for the A share)
    and ``verdict`` (the funnel verdict, where there is one)."""
    perf = report.performance
    row = perf[perf["handling_unit"] == unit]
    if row.empty:
        raise KeyError(f"no handling unit named {unit!r}")
    r = row.iloc[0]
    tot = perf[["a_count", "categorised", "replied", "n", "on_time", "with_due", "f2f", "f2f_recorded", "forms", "satisfied",
                "basically_satisfied"]].sum()

    def pc(num, den):
        return math.nan if not den else 100 * num / den

    return pd.DataFrame(
        [
            ("A share", 100 * r.a_share, 100 * r.a_low, 100 * r.a_high, pc(tot.a_count, tot.categorised), r.a_verdict),
            ("reply rate", 100 * r.reply_rate, math.nan, math.nan, pc(tot.replied, tot.n), ""),
            ("on-time rate", 100 * r.on_time_rate, math.nan, math.nan, pc(tot.on_time, tot.with_due), r.on_time_verdict),
            ("face-to-face rate", 100 * r.f2f_rate, math.nan, math.nan, pc(tot.f2f, tot.n) if tot.f2f_recorded == tot.n else math.nan, ""),
            ("satisfaction (inclusive)", 100 * r.satisfaction_inclusive, math.nan, math.nan,
             pc(tot.satisfied + tot.basically_satisfied, tot.forms), ""),
        ],
        columns=["figure", "unit", "unit_low", "unit_high", "pooled", "verdict"],
    )


def unit_trend(reports: list, unit: str) -> pd.DataFrame:
    """A unit across years: ``year, n, a_share, on_time_rate, reply_rate`` (percent) from reports of one
    jurisdiction; years in which the unit handled nothing are left out."""
    rows = []
    for rep in reports:
        perf = rep.performance
        r = perf[perf["handling_unit"] == unit]
        if not r.empty:
            r = r.iloc[0]
            rows.append({"year": rep.params.year, "n": int(r.n), "a_share": 100 * r.a_share,
                         "on_time_rate": 100 * r.on_time_rate, "reply_rate": 100 * r.reply_rate})
    return pd.DataFrame(rows, columns=["year", "n", "a_share", "on_time_rate", "reply_rate"]).sort_values("year").reset_index(drop=True)


def unit_timeliness(report, unit: str) -> pd.DataFrame:
    """A unit's timeliness as the proposals it leads or handles separately show it: one row with
    ``replied, on_time, late, not_replied, days_median, days_p90, in_last_tenth`` (counts and days)."""
    from . import units

    a = report.ledger.assignments
    p = report.ledger.proposals
    ids = a.loc[(a["handling_unit"] == unit) & a["unit_role"].isin(["lead", "sole", "separate"]), "proposal_id"].unique()
    t = units.reply_times(p.iloc[pd.Index(p["proposal_id"]).get_indexer(ids)])
    replied = t["days"].notna()
    return pd.DataFrame([{
        "replied": int(replied.sum()), "on_time": int(t["on_time"].sum()), "late": int((replied & ~t["on_time"]).sum()),
        "not_replied": int((~replied).sum()), "days_median": t["days"].median(), "days_p90": t["days"].quantile(0.9),
        "in_last_tenth": int(t["in_last_tenth"].sum()),
    }])
