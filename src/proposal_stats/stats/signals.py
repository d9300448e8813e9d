"""Audit signals: the heuristics an auditor runs on a ledger (``domain.md`` §3.3), each stated as
fired, not fired, or not checkable with this data — never silently skipped.

A signal is a reason to look closer, not a verdict: the evidence rows say where.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..messages import Msg
from ..terms import STATUS_WORDS
from . import units
from .metrics import as_percent, percent_text


@dataclass(frozen=True)
class Signal:
    """One heuristic: ``status`` is "fired", "not fired" or "not checkable"; ``summary`` one
    sentence (a :class:`~proposal_stats.messages.Msg`, shown in the report's language); ``evidence`` the rows."""

    name: str
    status: str
    summary: Msg
    evidence: pd.DataFrame = field(default_factory=pd.DataFrame)


def audit_signals(report) -> list[Signal]:
    """Run every heuristic of ``domain.md`` §3.3 on an annual report's data.

    Args:
        report: an :class:`~proposal_stats.reporting.report.AnnualReport` (its params, ledger, unit table and
            published figures are used).

    Returns:
        One :class:`Signal` per heuristic, in the order of §3.3.
    """
    p, ld, perf = report.params, report.ledger, report.performance
    out: list[Signal] = []

    first = p.result_scheme.categories[0]
    mixed = set(first.statuses) & {"in_progress", "partly_resolved"}
    out.append(Signal(
        "scheme drift", "fired" if mixed else "not fired",
        Msg("category %(code)s “%(label)s” also counts %(statuses)s: its share is not comparable with schemes that do not",
            code=first.code, label=first.label, statuses=[Msg(STATUS_WORDS[st]) for st in sorted(mixed)])
        if mixed else Msg("category %(code)s “%(label)s” means resolved only", code=first.code, label=first.label),
        pd.DataFrame([{"code": c.code, "label": c.label, "statuses": "+".join(c.statuses)} for c in p.result_scheme.categories]),
    ))

    high = perf[perf["a_verdict"].str.startswith("above")]
    out.append(Signal(
        "implausible A share", "fired" if len(high) else "not fired" if perf["categorised"].sum() else "not checkable",
        Msg("%(n)s unit(s) with an A share above the funnel's upper limit", n=len(high)) if len(high)
        else Msg("no unit's A share lies above the funnel's upper limits") if perf["categorised"].sum()
        else Msg("no reply carries a result category"),
        high[["handling_unit", "categorised", "a_count", "a_verdict"]].assign(
            a_share_pct=[percent_text(as_percent(x, 1), 1) for x in high["a_share"]]),
    ))

    out.append(Signal("B items never followed up", "not checkable",
                      Msg("needs next year's ledger (repeat proposals, supplementary replies, look-back reviews) to follow B items")))

    dist = units.satisfaction_distribution(ld.proposals)
    flat = units.zero_variance(dist)
    forms = int(dist[["satisfied", "basically_satisfied", "dissatisfied"]].sum())
    out.append(Signal(
        "satisfaction without variance", "fired" if flat else "not fired" if forms else "not checkable",
        Msg("every one of %(n)s returned forms is satisfied or basically satisfied", n=int(dist[["satisfied", "basically_satisfied"]].sum()))
        if flat else Msg("%(n)s dissatisfied of %(forms)s forms returned", n=int(dist["dissatisfied"]), forms=forms),
        dist.rename("forms").reset_index().rename(columns={"index": "evaluation"}),
    ))

    times = units.reply_times(ld.proposals)
    bunch = units.bunching(times)
    late = times[times["days"].notna() & ~times["on_time"] & times["allowed"].notna()]
    co_late = _co_opinions_after_reply(ld)
    fired = bunch["flagged"] or len(late) or len(co_late)
    late_text = Msg("late replies: %(n)s", n=len(late))
    co_text = (Msg("%(n)s co-handler opinion(s) dated after the lead unit's reply", n=len(co_late)) if ld.layout == "assignment_per_row"
               else Msg("co-handler opinion dates not recorded in this ledger layout"))
    if bunch["replies"]:
        share = percent_text(as_percent(bunch["share"], 0), 0)
        bunched = (Msg("%(k)s of %(n)s replies (%(share)s) in the last tenth of the allowed time — bunched at the deadline",
                       k=bunch["in_last_tenth"], n=bunch["replies"], share=share) if bunch["flagged"]
                   else Msg("%(k)s of %(n)s replies (%(share)s) in the last tenth of the allowed time",
                            k=bunch["in_last_tenth"], n=bunch["replies"], share=share))
        summary = Msg("%(bunching)s; %(late)s; %(co)s", bunching=bunched, late=late_text, co=co_text)
    else:
        summary = Msg("%(late)s; %(co)s", late=late_text, co=co_text)
    evidence = pd.concat([late.assign(reason="late"), times[times["in_last_tenth"]].assign(reason="last tenth")] if bunch["flagged"] else [late.assign(reason="late")])
    evidence = evidence.astype({c: "Int64" for c in ("days", "allowed") if c in evidence.columns})  # whole days, not 54.0
    status = "fired" if fired else "not fired" if len(times) else "not checkable"
    if not len(times):
        summary = Msg("no government-system proposal with an assignment date")
    out.append(Signal("timeliness", status, summary, pd.concat([evidence, co_late]) if len(co_late) else evidence))

    out.append(Signal("boilerplate replies", "not checkable", Msg("needs the reply texts, which the ledger does not hold")))

    if p.published is None:
        out.append(Signal("arithmetic", "not checkable", Msg("no published figures in the params file")))
    else:
        from ..published.audit import audit

        found = [f for f in audit(p.published) if f.severity in ("error", "warning")]
        differs = [c for c in report.comparisons if c.verdict == "differs"]
        out.append(Signal(
            "arithmetic", "fired" if found or differs else "not fired",
            Msg("%(found)s error/warning finding(s) in the published figures; %(differs)s printed figure(s) differ from the ledger",
                found=len(found), differs=len(differs)),
            # object columns: a finding's message stays a Msg, shown in the report's language
            pd.DataFrame([{k: v for k, v in f.as_dict().items() if k != "report_id"} for f in found] + [c.__dict__ for c in differs], dtype=object),
        ))
    return out


def _co_opinions_after_reply(ld) -> pd.DataFrame:
    """Co-handling units whose opinion is dated after the lead unit's reply (assignment layout only)."""
    a = ld.assignments
    lead = a[a["unit_role"].isin(["lead", "sole"])][["proposal_id", "replied_at"]].rename(columns={"replied_at": "lead_replied_at"})
    co = a[(a["unit_role"] == "co_handler") & a["replied_at"].notna()].merge(lead, on="proposal_id")
    late = co[co["replied_at"] > co["lead_replied_at"]]
    return late[["proposal_id", "handling_unit", "replied_at", "lead_replied_at"]].assign(reason="co-handler opinion after the reply")
