"""The annual handling report: figures assembled from a params file, as HTML fragments and files.

The notebook ``notebooks/annual_report.ipynb`` only calls :func:`build_annual_report` and displays
the fragments this module returns; every figure is computed in :mod:`proposal_stats.stats.metrics` and
compared in :mod:`proposal_stats.stats.compare`. Every piece of text that comes from data (unit names,
titles, printed wording) is HTML-escaped here, so a title holding ``<script>`` shows as text.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import __version__
from ..ledger.model import Ledger, file_sha256, read_ledger
from ..params import ReportParams, load_report_params
from ..stats.compare import Comparison, compare_headline
from ..stats.metrics import DEFINITIONS, F2F_BLANK_RULE, Headline, as_percent, headline, per_unit, percent_text, round_half_up
from ..stats.units import compare_units
from .exports import Table, annual_about, annual_tables, write_tables
from .htmlparts import STYLE, esc
from .htmlparts import pct as _pct
from .htmlparts import table as _table

#: Ledger columns each headline figure is computed from (to flag figures resting on synthetic data).
FIGURE_SOURCES: dict[str, tuple[str, ...]] = {
    "submitted": ("proposal_id",),
    "assigned_to_government": ("handling_system",),
    "assigned_to_government_share": ("handling_system",),
    "handling_units": ("lead_unit",),
    "replied": ("replied_at",),
    "reply_rate": ("replied_at",),
    "on_time_rate": ("assigned_at", "due_at", "replied_at"),
    "f2f_rate": ("f2f_consulted",),
    "satisfaction_rate": ("satisfaction",),
    "category": ("result_category",),
}

_VERDICT_ORDER = {"differs": 0, "missing": 1, "no ledger data": 2, "agrees": 3, "not printed": 4}
_VERDICT_STYLE = {"agrees": "ok", "differs": "bad", "missing": "warn", "no ledger data": "warn", "not printed": "muted"}

SATISFACTION_LABELS = {
    "satisfied": "satisfied (满意)", "basically_satisfied": "basically satisfied (基本满意)", "dissatisfied": "dissatisfied (不满意)",
    "no_response": "no form returned (未反馈)", "not_recorded": "not recorded",
}

#: What each column of the unit comparison counts (printed in Methods).
UNIT_DEFINITIONS = (
    ("Lead/co/sep.", "assignments of the unit as lead (or sole), co-handler, separate handler", "—"),
    ("n", "government-system proposals the unit replies to itself (lead, sole or separate)", "—"),
    ("A share [95% CI]", "of those, proposals with the scheme's first category", "those carrying any category; Wilson score interval"),
    ("A verdict", "exact binomial tail of the A count around the target", "Binomial(n, target); < 0.025 / < 0.001 = outside 95% / 99.8%"),
    ("Replied", "proposals with a reply date", "n"),
    ("On time", "replied on or before the due date", "proposals with a due date"),
    ("Face to face", "consulted face to face", "n"),
    ("Satisfied incl./strict", "satisfied + basically satisfied / satisfied", "feedback forms returned"),
    ("Forms (response)", "feedback forms returned", "replied (the response rate)"),
    ("Days median/p90", "days from assignment to reply", "replied proposals"),
    ("Re-handled", "dissatisfied proposals with a second reply", "—"),
    ("By status", "replies per normalised status (the primary status of each printed category)", "—"),
)


class RowsRejected(RuntimeError):
    """Raised in strict mode when the ledger has rejected rows."""


class NoRowsAccepted(RuntimeError):
    """Raised when no ledger row is accepted (unless a report is asked for anyway): every figure
    would be empty. ``str(err)`` says why in one line."""


@dataclass(frozen=True)
class AnnualReport:
    """Everything the annual report shows, computed once from a params file.

    Attributes:
        params: the validated params file.
        ledger: accepted and rejected rows (:class:`~proposal_stats.ledger.model.Ledger`).
        headline: headline figures over the accepted rows.
        comparisons: each figure beside the published one.
        units: per-unit table by role (:func:`~proposal_stats.stats.metrics.per_unit`).
        performance: the unit comparison (:func:`~proposal_stats.stats.units.compare_units`).
    """

    params: ReportParams
    ledger: Ledger
    headline: Headline
    comparisons: tuple[Comparison, ...]
    units: pd.DataFrame
    performance: pd.DataFrame

    # ---- data ---------------------------------------------------------------------------------
    def _synthetic(self, figure: str) -> bool:
        sources = FIGURE_SOURCES["category" if figure.endswith((" count", " share")) else figure]
        return bool(set(sources) & set(self.params.synthetic_fields))

    def summary(self) -> dict:
        """``summary.json`` content: identity, row counts, provenance and the headline figures."""
        p = self.params
        return {
            "report_id": p.report_id,
            "jurisdiction": p.jurisdiction,
            "body": p.body,
            "session": p.session,
            "year": p.year,
            **self.headline.as_summary(),
            "rows_read": self.ledger.rows_read,
            "rows_accepted": len(self.ledger.accepted),
            "rows_rejected": len(self.ledger.rejected),
            "problems": {
                "errors": int((self.ledger.problems["severity"] == "error").sum()),
                "warnings": int((self.ledger.problems["severity"] == "warning").sum()),
            },
            "published_checks": {c.figure: c.verdict for c in self.comparisons},
            "synthetic_fields": list(p.synthetic_fields),
            "provenance": self.provenance(),
        }

    def provenance(self) -> dict:
        """Params file and ledger (paths relative to the project, SHA-256), scheme id, package version."""
        p = self.params
        root = p.params_file.parent.parent
        return {
            "params_file": _relative(p.params_file, root),
            "params_sha256": file_sha256(p.params_file),
            "ledger_file": _relative(self.ledger.path, root),
            "ledger_sha256": self.ledger.sha256,
            "result_scheme": p.result_scheme.id,
            "proposal_stats_version": __version__,
        }

    def categories_table(self) -> pd.DataFrame:
        """Columns: code, label, statuses, count (proposals), share (percent as a Decimal, 2 dp; None
        when no proposal carries a category)."""
        return pd.DataFrame(
            [
                {"code": c.code, "label": c.label, "statuses": "+".join(c.statuses), "count": c.count, "share": c.share}
                for c in self.headline.categories
            ],
            columns=["code", "label", "statuses", "count", "share"],
        )

    def category_alt_text(self) -> str:
        """Alternative text for the result-category chart: every bar's figure in words."""
        parts = [f"{c.code} ({c.label}) {c.count} = {_pct(c.share)}" for c in self.headline.categories]
        return "Bar chart of result categories: " + "; ".join(parts)

    def tables(self) -> list[Table]:
        """The report's tables as exported (CSV and the workbook's sheets), with what each holds."""
        return annual_tables(self)

    def export_labels(self):
        """Header labels of the workbook (export column name → label); ``None``: the column names."""
        return None

    def write_outputs(self, output_dir: str | Path) -> list[Path]:
        """Write ``summary.json``, the report's tables as CSV and all of them as ``tables.xlsx``
        into ``output_dir`` (see :mod:`proposal_stats.reporting.exports`); return the paths written."""
        out = Path(output_dir)
        out.mkdir(parents=True, exist_ok=True)
        summary = out / "summary.json"
        summary.write_text(json.dumps(self.summary(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return [summary, *write_tables(self.tables(), out, annual_about(self), self.export_labels())]

    # ---- HTML fragments -----------------------------------------------------------------------
    def title_html(self) -> str:
        """The report's title section as escaped HTML."""
        p = self.params
        return (
            f"{STYLE}<div class='ps-report'><h1>{esc(p.title)}</h1>"
            f"<p class='ps-note'>{esc(p.jurisdiction)} · {esc(p.body_label)} · {esc(p.session)} · {p.year}</p></div>"
        )

    def banner_html(self) -> str:
        """A visible warning when any ledger field is synthetic, or when rows were rejected."""
        parts = []
        p = self.params
        if p.synthetic_fields:
            parts.append(
                "<div class='ps-banner'><strong>Synthetic data.</strong> The figures the government "
                "published are real; the ledger rows behind them were generated to match those figures. "
                f"These fields are synthetic: <code>{esc(', '.join(p.synthetic_fields))}</code>. "
                "Any figure computed from them (marked <em>synthetic</em> below) describes the synthetic "
                f"data, not the jurisdiction. {esc(p.synthetic_note)}</div>"
            )
        if self.ledger.rows_read == 0:
            parts.append("<div class='ps-banner'><strong>Empty ledger.</strong> The ledger has a header but no rows: every figure below is zero or undefined.</div>")
        if len(self.ledger.rejected):
            parts.append(
                f"<div class='ps-banner'><strong>Rows rejected.</strong> {len(self.ledger.rejected)} of "
                f"{self.ledger.rows_read} ledger rows failed validation and are not counted; see the data-quality "
                "section.</div>"
            )
        return "<div class='ps-report'>" + "".join(parts) + "</div>"

    def headline_html(self) -> str:
        """The headline table: each figure, the figure printed by the government, and the verdict."""
        by_name = {c.figure: c for c in self.comparisons}
        h = self.headline

        def row(label: str, value: str, names: list[str]) -> list[tuple[str, str]]:
            comps = [by_name[n] for n in names if n in by_name]
            worst = min(comps, key=lambda c: _VERDICT_ORDER[c.verdict]) if comps else None
            printed = " · ".join(f"“{esc(c.printed_text)}”" for c in comps if c.printed_text) or "—"
            verdict = worst.verdict if worst else "not printed"
            details = "; ".join(c.detail for c in comps if c.detail)
            tag = " <span class='ps-warn'>synthetic</span>" if verdict == "not printed" and any(self._synthetic(n) for n in names) else ""
            return [
                (esc(label), ""),
                (esc(value) + tag, "num"),
                (printed, ""),
                (f"<span class='ps-{_VERDICT_STYLE[verdict]}'>{esc(verdict)}</span>"
                 + (f"<br><span class='ps-note'>{esc(details)}</span>" if details else ""), ""),
            ]

        rows = [
            row("Proposals submitted", f"{h.submitted}", ["submitted"]),
            row("Assigned to the government system", f"{h.assigned_to_government}", ["assigned_to_government"]),
        ]
        rows.append(row("  share of proposals submitted", by_name["assigned_to_government_share"].ledger_text, ["assigned_to_government_share"]))
        rows += [
            row("Handling units (lead)", f"{h.handling_units}", ["handling_units"]),
            row("Replied", f"{h.replied} = {_pct(h.reply_rate)}", ["replied", "reply_rate"]),
            row("On-time replies", f"{h.on_time} = {_pct(h.on_time_rate)}", ["on_time_rate"]),
            row("Face-to-face consultation", f"{h.f2f_consulted} = {_pct(h.f2f_rate)}"
                + (f" ({h.f2f_not_recorded} not recorded)" if h.f2f_not_recorded else ""), ["f2f_rate"]),
            row(
                "Satisfaction (inclusive)",
                f"{h.satisfied_inclusive} of {h.feedback_returned} forms = {_pct(h.satisfaction_rate)}",
                ["satisfaction_rate"],
            ),
        ]
        for c in h.categories:
            rows.append(row(f"{c.code} · {c.label}", f"{c.count} = {_pct(c.share)}", [f"{c.code} count", f"{c.code} share"]))
        note = (
            f"Shares of the {h.categorised} government-system proposals carrying a result category; "
            "printed percentages are checked at the precision they were printed with."
        )
        return "<div class='ps-report'><h2>Headline figures</h2>" + _table(
            ["Figure", "This ledger", "Printed by the government", "Check"], rows, note
        ) + "</div>"

    def published_audit_html(self) -> str:
        """The arithmetic audit of the published figures themselves (are they consistent with each
        other?), next to the headline table's check against the ledger."""
        pub = self.params.published
        if pub is None:
            return ""
        from ..published.audit import audit

        found = audit(pub)
        compared = {c.figure for c in self.comparisons}
        others = [name for name in pub.figures if name not in compared]
        if found:
            rows = [[(esc(f.severity), f"ps-{'bad' if f.severity == 'error' else 'warn' if f.severity == 'warning' else 'muted'}"),
                     (esc(f.kind), ""), (esc(f.where), ""), (esc(f.message), "")] for f in found]
            body = _table(["Severity", "Kind", "Where", "Finding"], rows, "notes are harmless printing habits")
        else:
            body = "<p>No findings: the printed figures are consistent with each other.</p>"
        if others:
            body += f"<p class='ps-note'>Printed figures with no ledger counterpart (audited above, not compared): {esc(', '.join(others))}.</p>"
        return "<div class='ps-report'><h2>Audit of the published figures</h2>" + body + "</div>"

    def units_html(self) -> str:
        """The report's units section as escaped HTML."""
        codes = self.params.result_scheme.codes
        cols = ["as_lead", "as_co_handler", "separately", *codes, "replied"]

        def f2f(r) -> str:  # blank = not recorded (F2F_BLANK_RULE), shown apart, never read as "no"
            return f"{r.f2f_consulted}" + (f" (+{r.f2f_not_recorded} not recorded)" if r.f2f_not_recorded else "")

        rows = [[(esc(r.handling_unit), "")] + [(str(getattr(r, c)), "num") for c in cols] + [(f2f(r), "num")]
                for r in self.units.itertuples(index=False)]
        note = ""
        if "lead_unit" in self.params.synthetic_fields:
            note = "<p class='ps-banner'>Which unit led which proposal is synthetic: the number of units is real, the split between them is not.</p>"
        return (
            f"<div class='ps-report'><h2>Handling units</h2>{note}"
            + _table(
                ["Handling unit", "Lead", "Co-handler", "Separate", *codes, "Replied", "Face to face"],
                rows,
                f"{len(self.units)} units; counts are assignments by role; categories, replies and face-to-face "
                "consultation over the proposals the unit replied to itself (lead or separate)",
            )
            + "</div>"
        )

    def performance_html(self) -> str:
        """Handling-unit performance: the comparison table (rates with intervals and funnel verdicts)."""
        t, p = self.performance, self.params
        a_code = p.result_scheme.codes[0]

        def pc(x) -> str:  # a proportion, as percent at 1 decimal by the one rounding rule
            return percent_text(as_percent(x, 1), 1)

        def num(x) -> str:  # days, whole
            return "—" if (d := round_half_up(x, 0)) is None else str(d)

        statuses = list(dict.fromkeys(c.statuses[0] for c in p.result_scheme.categories))
        rows = []
        for r in t.itertuples(index=False):
            grey = r.a_verdict == "too few"
            rows.append([
                (esc(r.handling_unit), "ps-muted" if grey else ""),
                (f"{r.as_lead}/{r.as_co_handler}/{r.separately}", "num"),
                (str(r.n), "num"),
                (f"{pc(r.a_share)} [{pc(r.a_low)}–{pc(r.a_high)}]", "num"),
                (esc(r.a_verdict), "ps-muted" if grey else "ps-bad" if r.a_verdict.startswith("below") else "ps-ok" if r.a_verdict.startswith("above") else ""),
                (pc(r.reply_rate), "num"),
                (pc(r.on_time_rate), "num"),
                (esc(r.on_time_verdict), "ps-muted" if r.on_time_verdict == "too few" else "ps-bad" if r.on_time_verdict.startswith("below") else ""),
                (pc(r.f2f_rate), "num"),
                (f"{pc(r.satisfaction_inclusive)} / {pc(r.satisfaction_strict)}", "num"),
                (f"{r.forms} ({pc(r.response_rate)})", "num"),
                (f"{num(r.days_median)} / {num(r.days_p90)}", "num"),
                (str(r.dissatisfied_rehandled), "num"),
                (esc(" · ".join(f"{st} {getattr(r, st)}" for st in statuses if getattr(r, st))), ""),
            ])
        target = t.attrs.get("target_a", float("nan"))
        bench = "a benchmark set in the params file" if p.units.benchmark_a_share is not None else "the pooled rate"
        adjusted = " Limits are widened for over-dispersion (Spiegelhalter, Qual Saf Health Care 2005)." if t.attrs.get("adjusted") else ""
        intro = (
            f"<p>Each unit is judged against funnel limits around {bench} ({pc(target)} for {esc(a_code)}) that depend on its number "
            f"of proposals (exact binomial, 95% and 99.8%; Spiegelhalter, Stat Med 2005). Units replying to fewer than "
            f"{p.units.min_n} proposals are shown grey, without a verdict. There is no ranking: a unit inside the limits is "
            f"not distinguishable from the others.{adjusted}</p>"
        )
        note = "<p class='ps-banner'>Unit figures rest on synthetic assignments of proposals to units.</p>" if "lead_unit" in p.synthetic_fields else ""
        head = ["Unit", "Lead/co/sep.", "n", f"{a_code} share [95% CI]", f"{a_code} verdict", "Replied", "On time", "On-time verdict",
                "Face to face", "Satisfied incl./strict", "Forms (response)", "Days median/p90", "Re-handled", "By status"]
        return ("<div class='ps-report'><h2>Handling-unit performance</h2>" + note + intro + "</div>"
                + "<div class='ps-report ps-wide'>"
                + _table(head, rows, "counts are proposals the unit replied to itself; see Methods for every numerator and denominator") + "</div>")

    def timeliness_html(self) -> str:
        """The report's timeliness section as escaped HTML."""
        from ..stats import units

        times = units.reply_times(self.ledger.proposals)
        b = units.bunching(times)
        late = int((times["days"].notna() & ~times["on_time"] & times["allowed"].notna()).sum())
        unreplied = int(times["days"].isna().sum())
        share = percent_text(as_percent(b["share"], 1), 1)
        flag = (" <span class='ps-warn'>Replies bunch just before the deadline.</span>" if b["flagged"] else "")
        return (
            "<div class='ps-report'><h2>Timeliness</h2>"
            f"<p>{esc(self.params.reply_deadline.describe().capitalize())}. Replied late: {late}; not replied: {unreplied}. "
            f"Replies in the last tenth of the allowed time: {b['in_last_tenth']} of {b['replies']} ({share}; about 10% if replies were spread "
            f"evenly; flagged at 25% or more over at least 20 replies).{flag}</p></div>"
        )

    def satisfaction_html(self) -> str:
        """The report's satisfaction section as escaped HTML."""
        from ..stats import units

        dist = units.satisfaction_distribution(self.ledger.proposals)
        rows = [[(esc(SATISFACTION_LABELS.get(k, k)), ""), (str(v), "num")] for k, v in dist.items()]
        flag = ("<p class='ps-warn'>100% satisfied over 30 or more forms with none dissatisfied: evaluations collected face to face by the "
                "unit itself tend to be “被满意” (made to be satisfied); read with care.</p>" if units.zero_variance(dist) else "")
        follow = units.dissatisfied_follow_up(self.ledger.proposals)
        frows = [[(esc(r.proposal_id), ""), (esc(r.lead_unit), ""), (esc(_date(r.replied_at)), ""), (esc(_date(r.second_replied_at)) or "no second reply", ""),
                  ("—" if r.days_to_second_reply != r.days_to_second_reply else str(int(r.days_to_second_reply)), "num"), (esc(SATISFACTION_LABELS.get(r.second_satisfaction, r.second_satisfaction) or "—"), "")]
                 for r in follow.itertuples()]
        return ("<div class='ps-report'><h2>Satisfaction</h2>" + _table(["Evaluation", "Proposals"], rows, "evaluations of government-system replies") + flag
                + "<h3>Dissatisfied proposals, followed up</h3>"
                + (_table(["Proposal", "Lead unit", "Reply", "Second reply", "Days", "Second evaluation"], frows) if len(frows) else "<p>None.</p>")
                + "</div>")

    def signals_html(self) -> str:
        """The report's signals section as escaped HTML."""
        from ..stats.signals import audit_signals

        parts = []
        for sig in audit_signals(self):
            cls = {"fired": "ps-bad", "not fired": "ps-ok", "not checkable": "ps-muted"}[sig.status]
            evidence = ""
            if sig.status == "fired" and len(sig.evidence):
                shown = sig.evidence.head(50).astype(str)
                evidence = _table(list(shown.columns), [[(esc(v), "") for v in row] for row in shown.itertuples(index=False)],
                                  f"evidence ({len(sig.evidence)} row(s){', first 50' if len(sig.evidence) > 50 else ''})")
            parts.append(f"<p><span class='{cls}'>{esc(sig.status)}</span> — <strong>{esc(sig.name)}</strong>: {esc(sig.summary)}</p>{evidence}")
        return ("<div class='ps-report'><h2>Audit signals</h2><p class='ps-note'>Heuristics an auditor runs (domain research §3.3); "
                "each is a reason to look closer, not a verdict.</p>" + "".join(parts) + "</div>")

    def methods_html(self) -> str:
        """The report's methods section as escaped HTML."""
        p = self.params
        rows = [
            [(esc(d.label), ""), (esc(d.numerator), ""), (esc(d.denominator), ""), (esc(d.unit), "")]
            for d in DEFINITIONS.values()
        ]
        scheme_rows = [
            [(esc(c.code), ""), (esc(c.label), ""), (esc(" + ".join(c.statuses)), "")] for c in p.result_scheme.categories
        ]
        comparable = [c.code for c in p.result_scheme.categories if len(c.statuses) > 1]
        caveat = (
            f"<p class='ps-note'>Categories {esc(', '.join(comparable))} each cover more than one normalised status, "
            "so their shares are not comparable with schemes that split them.</p>"
            if comparable
            else ""
        )
        return (
            "<div class='ps-report'><h2>Methods</h2>"
            "<p>Rates and shares are <code>numerator / denominator × 100</code>, computed exactly with decimal "
            "arithmetic and rounded half-up to 2 decimals. A printed percentage agrees when the exact ratio, "
            "rounded half-up to the number of decimals it was printed with, equals it (so “24.6%” agrees with "
            "61/248 = 24.5967…%). Only rows accepted by validation are counted; a proposal is counted once.</p>"
            + _table(["Figure", "Numerator", "Denominator", "Unit"], rows)
            + f"<p>{esc(F2F_BLANK_RULE)}</p>"
            + "<h3>Handling-unit comparison</h3>" + _table(["Column", "Numerator", "Denominator"], [
                [(esc(a), ""), (esc(b), ""), (esc(c), "")] for a, b, c in UNIT_DEFINITIONS])
            + f"<p>Result scheme <code>{esc(p.result_scheme.id)}</code> (source: {esc(p.result_scheme.source)}):</p>"
            + _table(["Printed code", "Printed label", "Normalised status(es)"], scheme_rows)
            + caveat
            + f"<p>Reply deadline: {esc(p.reply_deadline.describe())}"
            + (f" (source: {esc(p.reply_deadline.source)})" if p.reply_deadline.source else "")
            + "; a blank due date in the ledger is filled from this rule.</p>"
            + self._published_source_html()
            + "</div>"
        )

    def _published_source_html(self) -> str:
        """The report's  published source section as escaped HTML."""
        pub = self.params.published
        if pub is None:
            return "<p>No published figures were given for comparison.</p>"
        s = pub.source
        where = f", {esc(s.url)}" if s.url else " (no public address recorded)"
        return f"<p>Published figures: “{esc(s.title)}”, {esc(s.publisher)}{where}.</p>"

    def data_quality_html(self, limit: int = 200) -> str:
        """Rows read, accepted and rejected; problems per rule; the first ``limit`` problems."""
        ld = self.ledger
        problems = ld.problems
        text = (
            f"<p>File <code>{esc(ld.path.name)}</code> ({esc(ld.encoding)}, {esc(ld.layout.replace('_', ' '))}): "
            f"rows read {ld.rows_read} = accepted {ld.rows_read - len(ld.rejected)} + rejected {len(ld.rejected)}; "
            f"{len(ld.proposals)} proposals and {len(ld.assignments)} unit assignments counted. "
            f"{int((problems['severity'] == 'error').sum())} error(s), {int((problems['severity'] == 'warning').sum())} warning(s).</p>"
            f"<p class='ps-note'>Layout: {esc(ld.layout_note)}.</p>"
        )
        if ld.unused_columns:
            text += f"<p class='ps-note'>Columns not used (no known meaning): {esc(', '.join(ld.unused_columns))}.</p>"
        if len(problems):
            from ..ledger.rules import RULES

            by_rule = problems.groupby(["rule", "severity"]).size().reset_index(name="n")
            text += _table(
                ["Rule", "Severity", "Problems", "Meaning"],
                [[(esc(r.rule), ""), (esc(r.severity), ""), (str(r.n), "num"), (esc(RULES[r.rule].summary), "")] for r in by_rule.itertuples()],
            )
            shown = problems.head(limit)
            rows = [
                [(str(r.line), "num"), (esc(r.column), ""), (esc(r.value), ""), (esc(r.rule), ""), (esc(r.severity), ""), (esc(r.message), "")]
                for r in shown.itertuples()
            ]
            more = f" (first {limit} of {len(problems)}; all in problems.csv)" if len(problems) > limit else " (also in problems.csv)"
            text += _table(["Line", "Column", "Value", "Rule", "Severity", "Message"], rows, "problems" + more)
        return f"<div class='ps-report'><h2>Data quality</h2>{text}</div>"

    def _validate_hint(self) -> str:
        return f"`proposal-stats validate {self.ledger.path} --params {self.params.params_file}` lists every problem"

    def check_strict(self) -> None:
        """Raise :class:`RowsRejected` if any ledger row was rejected (the ``--strict`` mode)."""
        if len(self.ledger.rejected):
            raise RowsRejected(
                f"{len(self.ledger.rejected)} of {self.ledger.rows_read} ledger rows rejected "
                f"(strict mode): {self.ledger.acceptance()}; {self._validate_hint()}"
            )

    def check_accepted(self) -> None:
        """Raise :class:`NoRowsAccepted` when no ledger row was accepted, saying why
        (``0 of 20 rows accepted: no lead-unit column (主办单位 or an alias: …)``)."""
        if self.ledger.rows_read == len(self.ledger.rejected):
            raise NoRowsAccepted(f"{self.ledger.acceptance()}; {self._validate_hint()}")

    def proposals_html(self) -> str:
        """Appendix: every accepted proposal (id, title, lead unit, category), collapsed by default."""
        acc = self.ledger.accepted
        rows = [
            [(esc(r.proposal_id), ""), (esc(r.title), ""), (esc(r.lead_unit or "—"), ""), (esc(r.handling_system), ""), (esc(r.result_category or "—"), "")]
            for r in acc.itertuples()
        ]
        return (
            "<div class='ps-report'><h2>Appendix: proposals</h2><details class='ps-details'>"
            f"<summary>{len(acc)} proposals</summary>"
            + _table(["Id", "Title", "Lead unit", "System", "Category"], rows)
            + "</details></div>"
        )

    def footer_html(self) -> str:
        """The report's footer section as escaped HTML."""
        prov = self.provenance()
        items = "".join(f"<li>{esc(k)}: <code>{esc(v)}</code></li>" for k, v in prov.items())
        return f"<div class='ps-report ps-footer'><strong>Provenance</strong><ul>{items}</ul></div>"


def _date(value) -> str:
    return "" if value is None or value != value else str(value)[:10]


def _relative(path: Path, root: Path) -> str:
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:
        return path.as_posix()


def build_annual_report(params_file: str | Path) -> AnnualReport:
    """Load a params file and its ledger, and compute everything the annual report shows.

    Args:
        params_file: path to a params YAML file.

    Returns:
        :class:`AnnualReport`.

    Raises:
        ParamsError: the params file is invalid (see :func:`~proposal_stats.params.load_report_params`).
        LedgerError: the ledger cannot be read (see :func:`~proposal_stats.ledger.model.read_ledger`).
    """
    params = load_report_params(params_file)
    ledger = read_ledger(params.ledger, params)
    head = headline(ledger.proposals, params.result_scheme, ledger.assignments)
    return AnnualReport(
        params=params,
        ledger=ledger,
        headline=head,
        comparisons=tuple(compare_headline(head, params.published)),
        units=per_unit(ledger.proposals, ledger.assignments, params.result_scheme),
        performance=compare_units(ledger.proposals, ledger.assignments, params.result_scheme, params.units),
    )
