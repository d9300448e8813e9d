"""Headline figures of an annual handling report: counts, rates and result-category shares.

Every rate is ``numerator / denominator × 100`` computed exactly with :mod:`decimal` and rounded
**half-up** at 2 decimals (71.37, 24.60, 4.03), the convention of Chinese official statistics. The
numerator and denominator of each figure are listed in :data:`DEFINITIONS`, which the report's
methods section prints.

The rounding rule is one for every number the product prints or exports (HTML tables, chart
labels, the explorer, CSV, XLSX): :func:`round_half_up` — decimal arithmetic, ties away from zero
(6.25 → 6.3 at one decimal, never the 6.2 that binary floats and half-even rounding give).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from ..messages import N_
from ..params import ResultScheme

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


def round_half_up(value, places: int = 2) -> Decimal | None:
    """The one rounding rule: ``value`` rounded half-up (ties away from zero) to ``places`` decimals.

    Args:
        value: a Decimal, Fraction, int or float; ``None`` or NaN (undefined) give ``None``. A float
            is read through its shortest decimal form (``repr``), so ``0.0625`` is exactly 0.0625 and
            a tie stays a tie: binary noise never decides the last digit.
        places: decimals to keep (0 for whole numbers, e.g. days).

    Returns:
        Decimal with exactly ``places`` decimals (``round_half_up(6.25, 1) == Decimal("6.3")``;
        ``round_half_up(2.8e-17, 2) == Decimal("0.00")``), or ``None``.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    elif isinstance(value, Decimal):
        exact = value
    else:
        if value != value:  # NaN (float or pandas NA-like floats)
            return None
        exact = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(int(value))
    if not exact.is_finite():
        return None
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded + 0 if rounded else abs(rounded)  # no "-0.00"


def as_percent(proportion, places: int = 2) -> Decimal | None:
    """A proportion in [0, 1] (float or Decimal; NaN/None = undefined) as percent, rounded by
    :func:`round_half_up`: ``as_percent(1 / 16, 1) == Decimal("6.3")``. The ×100 is done in decimal
    arithmetic, after reading the float exactly, so it adds no binary noise."""
    if proportion is None or proportion is pd.NA or proportion != proportion:
        return None
    exact = Decimal(repr(float(proportion))) if isinstance(proportion, float) else Decimal(proportion)
    return round_half_up(exact * HUNDRED, places)


def round_frame(frame: pd.DataFrame, places: int = 1) -> pd.DataFrame:
    """A copy of ``frame`` whose float columns are rounded by :func:`round_half_up` (for display:
    ``DataFrame.round`` rounds half-even on binary floats, so 6.25 would show as 6.2). Undefined
    values stay NaN; other columns are unchanged."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col].dtype):
            out[col] = [float("nan") if (r := round_half_up(v, places)) is None else float(r) for v in out[col].tolist()]
    return out


def percent_text(value, places: int = 2, undefined: str = "—") -> str:
    """A percent value (already ×100) as text with a % sign: ``"6.3%"``; ``undefined`` when None/NaN."""
    rounded = round_half_up(value, places)
    return undefined if rounded is None else f"{rounded}%"


def count_text(value, undefined: str = "—") -> str:
    """A count (proposals, replies, days) as a whole number with thousands separators: ``"1,234"``,
    also when pandas holds it as a float (``11.0`` → ``"11"``; a fraction is rounded by
    :func:`round_half_up`: a median of 54.5 days is ``"55"``); ``undefined`` when None/NaN."""
    rounded = round_half_up(value, 0)
    return undefined if rounded is None else f"{int(rounded):,}"


def share(count: int, base: int, places: Decimal = TWO_PLACES) -> Decimal | None:
    """``count / base`` as a percentage, rounded half-up.

    Args:
        count: numerator, a whole number of proposals (≥ 0).
        base: denominator, a whole number of proposals (≥ 0).
        places: the quantum to round to; ``Decimal("0.01")`` gives 2 decimals.

    Returns:
        Percent as a Decimal (``share(61, 248) == Decimal("24.60")``), or ``None`` when ``base`` is 0
        (a rate over nothing is undefined, not 0).

    Raises:
        ValueError: a negative count or base, or ``count > base``.
    """
    if count < 0 or base < 0:
        raise ValueError(f"counts must be non-negative, got {count}/{base}")
    if count > base:
        raise ValueError(f"numerator {count} exceeds denominator {base}")
    if base == 0:
        return None
    return (Decimal(count) * HUNDRED / Decimal(base)).quantize(places, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Definition:
    """What a figure counts: label, numerator, denominator, unit ("count" or "percent")."""

    label: str
    numerator: str
    denominator: str
    unit: str


#: The one definition of a blank face-to-face cell, in the headline and in the unit tables alike
#: (printed in the report's methods section, in the report's language).
F2F_BLANK_RULE = N_(
    "A blank face-to-face cell means not recorded: it counts neither as consulted nor as not consulted. "
    "The face-to-face count is the recorded yes; a face-to-face rate (the headline's, a unit's) whose "
    "proposals include one not recorded is undefined (—), never a rate that reads the blanks as no."
)

#: What each headline figure counts. Shown in the report's methods section, in the report's language.
DEFINITIONS: dict[str, Definition] = {
    "submitted": Definition(N_("Proposals submitted"), N_("distinct proposal ids in the ledger"), "—", "count"),
    "assigned_to_government": Definition(
        N_("Assigned to the government system"),
        N_("proposals whose handling_system is 'government'"),
        "—",
        "count",
    ),
    "handling_units": Definition(
        N_("Handling units"),
        N_("distinct units leading (or separately handling) government-system proposals"),
        "—",
        "count",
    ),
    "replied": Definition(N_("Replied"), N_("government-system proposals with a reply date"), "—", "count"),
    "reply_rate": Definition(
        N_("Reply rate (办复率)"), N_("government-system proposals replied"), N_("proposals assigned to the government system"), "percent"
    ),
    "on_time_rate": Definition(
        N_("On-time rate (按时办复率)"),
        N_("government-system proposals replied on or before their due date"),
        N_("proposals assigned to the government system (undefined if any lacks a due date)"),
        "percent",
    ),
    "f2f_rate": Definition(
        N_("Face-to-face rate (面商率)"),
        N_("government-system proposals consulted face to face"),
        N_("proposals assigned to the government system (undefined if any is not recorded)"),
        "percent",
    ),
    "satisfaction_rate": Definition(
        N_("Satisfaction (满意率, inclusive)"),
        N_("evaluations 'satisfied' + 'basically satisfied'"),
        N_("feedback forms returned (evaluations other than 'no_response' or blank)"),
        "percent",
    ),
    "category_share": Definition(
        N_("Result-category share"),
        N_("government-system proposals with that printed category"),
        N_("government-system proposals carrying any result category"),
        "percent",
    ),
}


@dataclass(frozen=True)
class CategoryFigure:
    """One result category: printed code and label, statuses, count (proposals), share (percent)."""

    code: str
    label: str
    statuses: tuple[str, ...]
    count: int
    share: Decimal | None


@dataclass(frozen=True)
class Headline:
    """The headline figures; counts are whole proposals, rates and shares percent (Decimal)."""

    submitted: int
    assigned_to_government: int
    handling_units: int
    replied: int
    reply_rate: Decimal | None
    on_time: int
    on_time_rate: Decimal | None
    f2f_consulted: int
    f2f_rate: Decimal | None
    f2f_not_recorded: int
    categorised: int
    categories: tuple[CategoryFigure, ...]
    feedback_returned: int
    satisfied_inclusive: int
    satisfaction_rate: Decimal | None
    not_government: int = field(default=0)

    def as_summary(self) -> dict:
        """JSON-ready dict (``summary.json``): counts as int, rates and shares as percent floats."""

        def num(d: Decimal | None) -> float | None:
            return None if d is None else float(d)

        return {
            "submitted": self.submitted,
            "assigned_to_government": self.assigned_to_government,
            "not_government": self.not_government,
            "handling_units": self.handling_units,
            "replied": self.replied,
            "reply_rate": num(self.reply_rate),
            "on_time": self.on_time,
            "on_time_rate": num(self.on_time_rate),
            "f2f_consulted": self.f2f_consulted,
            "f2f_rate": num(self.f2f_rate),
            "f2f_not_recorded": self.f2f_not_recorded,
            "categorised": self.categorised,
            "categories": {
                c.code: {"label": c.label, "count": c.count, "share": num(c.share)} for c in self.categories
            },
            "feedback_returned": self.feedback_returned,
            "satisfied_inclusive": self.satisfied_inclusive,
            "satisfaction_rate": num(self.satisfaction_rate),
        }


def among(values: pd.Series, ids) -> np.ndarray:
    """Whether each of ``values`` is one of ``ids`` (a boolean array; missing values are not).

    Arrow's hash lookup: ``Series.isin`` with many Arrow strings first turns each into a Python object
    (130,000 assignments among 100,000 proposal ids: 1.8 s against 0.02 s here).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    found = pc.is_in(pa.array(values, type=pa.string(), from_pandas=True),
                     value_set=pa.array(list(ids) if isinstance(ids, (set, frozenset)) else ids, type=pa.string(), from_pandas=True))
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False)


def government_system(ledger: pd.DataFrame) -> pd.DataFrame:
    """Rows of an accepted ledger whose ``handling_system`` is ``government``."""
    return ledger[ledger["handling_system"] == "government"]


def category_counts(ledger: pd.DataFrame, scheme: ResultScheme) -> pd.Series:
    """Government-system proposals per printed result category, in the scheme's order.

    Args:
        ledger: accepted ledger (column ``result_category`` holds scheme codes or ``""``).
        scheme: the params file's result scheme.

    Returns:
        Series indexed by category code (every code of the scheme, zero if unused), dtype int.
    """
    gov = government_system(ledger)
    return gov["result_category"].value_counts().reindex(scheme.codes, fill_value=0).astype(int)


def headline(ledger: pd.DataFrame, scheme: ResultScheme, assignments: pd.DataFrame | None = None) -> Headline:
    """Compute the headline figures of an annual handling report from an accepted ledger.

    Args:
        ledger: ``Ledger.accepted`` (one row per proposal; columns as in
            :data:`~proposal_stats.terms.LEDGER_COLUMNS`, parsed).
        scheme: result-category scheme mapping printed codes to labels.
        assignments: ``Ledger.assignments``; when given, units handling a proposal separately
            (分办) count as handling units too. Without it, the distinct lead units are counted.

    Returns:
        :class:`Headline`. Definitions of each figure: :data:`DEFINITIONS`.

    Raises:
        KeyError: a canonical column is missing from ``ledger``.
    """
    gov = government_system(ledger)
    assigned = len(gov)
    replied_mask = gov["replied_at"].notna()
    on_time_mask = replied_mask & gov["due_at"].notna() & (gov["replied_at"] <= gov["due_at"])
    f2f = int(gov["f2f_consulted"].fillna(False).sum())
    f2f_known = bool(gov["f2f_consulted"].notna().all())  # F2F_BLANK_RULE: a rate over unknowns would read as "no"
    counts = category_counts(ledger, scheme)
    categorised = int(counts.sum())
    evaluations = gov["satisfaction"]
    returned = int(evaluations.isin(["satisfied", "basically_satisfied", "dissatisfied"]).sum())
    satisfied = int(evaluations.isin(["satisfied", "basically_satisfied"]).sum())
    return Headline(
        submitted=int(ledger["proposal_id"].nunique()),
        assigned_to_government=assigned,
        not_government=len(ledger) - assigned,
        handling_units=_handling_units(gov, assignments),
        replied=int(replied_mask.sum()),
        reply_rate=share(int(replied_mask.sum()), assigned),
        on_time=int(on_time_mask.sum()),
        # Undefined, not 0, when some proposal has no due date to be on time against.
        on_time_rate=share(int(on_time_mask.sum()), assigned) if gov["due_at"].notna().all() else None,
        f2f_consulted=f2f,
        f2f_not_recorded=int(gov["f2f_consulted"].isna().sum()),
        f2f_rate=share(f2f, assigned) if f2f_known else None,
        categorised=categorised,
        categories=tuple(
            CategoryFigure(c.code, c.label, c.statuses, int(counts[c.code]), share(int(counts[c.code]), categorised))
            for c in scheme.categories
        ),
        feedback_returned=returned,
        satisfied_inclusive=satisfied,
        satisfaction_rate=share(satisfied, returned),
    )


def _handling_units(gov: pd.DataFrame, assignments: pd.DataFrame | None) -> int:
    if assignments is None:
        return int(gov.loc[gov["lead_unit"] != "", "lead_unit"].nunique())
    replying = assignments[among(assignments["proposal_id"], gov["proposal_id"]) & assignments["unit_role"].isin(["lead", "sole", "separate"]).to_numpy()]
    return int(replying["handling_unit"].nunique())


def per_unit(proposals: pd.DataFrame, assignments: pd.DataFrame, scheme: ResultScheme) -> pd.DataFrame:
    """Assignments per handling unit, by role, with the result categories of the replies it made.

    Args:
        proposals: accepted proposals (to keep government-system ones only).
        assignments: accepted assignments (``proposal_id``, ``handling_unit``, ``unit_role``,
            ``replied_at``, ``result_category``, ``f2f_consulted``).
        scheme: result scheme; one count column per code, in the scheme's order.

    Returns:
        DataFrame, one row per unit: ``handling_unit``, ``as_lead`` (lead or sole), ``as_co_handler``,
        ``separately`` (分办), one column per category code, ``replied``, ``f2f_consulted`` (recorded
        yes) and ``f2f_not_recorded`` (blank: neither yes nor no, see :data:`F2F_BLANK_RULE`), over
        the assignments on which the unit replies itself (lead, sole, separate). Counts are
        assignments; a proposal counts once per unit. Sorted by ``as_lead`` + ``separately``
        descending, then unit name.
    """
    gov_ids = proposals.loc[proposals["handling_system"] == "government", "proposal_id"]
    a = assignments[among(assignments["proposal_id"], gov_ids)]
    replying = a[a["unit_role"].isin(["lead", "sole", "separate"])]
    units = sorted(set(a["handling_unit"]))
    role = a.assign(role=a["unit_role"].replace({"sole": "lead"}))
    roles = pd.crosstab(role["handling_unit"], role["role"]).reindex(index=units, columns=["lead", "co_handler", "separate"], fill_value=0)
    cats = pd.crosstab(replying["handling_unit"], replying["result_category"]).reindex(index=units, columns=scheme.codes, fill_value=0)
    table = pd.DataFrame(
        {
            "as_lead": roles["lead"],
            "as_co_handler": roles["co_handler"],
            "separately": roles["separate"],
            **{code: cats[code] for code in scheme.codes},
            "replied": replying.groupby("handling_unit")["replied_at"].count().reindex(units, fill_value=0),
            "f2f_consulted": replying.groupby("handling_unit")["f2f_consulted"].sum().reindex(units, fill_value=0),
            "f2f_not_recorded": replying["f2f_consulted"].isna().groupby(replying["handling_unit"]).sum().reindex(units, fill_value=0),
        },
        index=pd.Index(units, name="handling_unit"),
    ).fillna(0).astype(int).reset_index()
    table["handling_unit"] = table["handling_unit"].astype("str")
    key = table["as_lead"] + table["separately"]
    return table.assign(_key=key).sort_values(["_key", "handling_unit"], ascending=[False, True], kind="stable").drop(columns="_key").reset_index(drop=True)
