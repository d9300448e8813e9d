"""The annual handling report: its figures, and its sections in reading order.

:func:`build_annual_report` computes everything once from a params file. Each method of
:class:`AnnualReport` named after a section (:meth:`~AnnualReport.title`, :meth:`~AnnualReport.headline`,
…) returns that section as a :class:`~proposal_stats.reporting.content.Section`: the data it shows
(numbers, the ledger's text, messages to translate; no markup), rendered by its template in
``templates/annual/`` in the report's language. The notebook ``notebooks/annual_report.ipynb`` is
the outline: one cell per section, in order. Every figure is computed in
:mod:`proposal_stats.stats.metrics` and compared in :mod:`proposal_stats.stats.compare`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import __version__
from ..ledger.model import Ledger, file_sha256, read_ledger
from ..messages import Msg
from ..params import ReportParams, load_report_params, published_identity_warnings
from ..stats.compare import Comparison, compare_headline
from ..stats.metrics import DEFINITIONS, F2F_BLANK_RULE, Headline, as_percent, headline, per_unit, percent_text, round_half_up
from ..stats.units import compare_units
from . import content
from .content import Section
from .exports import Table, annual_about, annual_tables, write_tables
from .i18n import SOURCE_LANGUAGE, check_language
from .privacy import anonymise_proposers
from .vocabulary import PROBLEM_PLACES, cell_words, column, frame_rows, header_labels, ledger_source, params_text, term, where

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
_SEVERITY_STYLE = {"error": "bad", "warning": "warn", "note": "muted"}
_SIGNAL_STYLE = {"fired": "bad", "not fired": "ok", "not checkable": "muted"}

#: What each column of the unit comparison counts (printed in Methods): column, numerator, denominator.
UNIT_DEFINITIONS = (
    (Msg("Lead/co/sep."), Msg("assignments of the unit as lead (or sole), co-handler, separate handler"), "—"),
    (Msg("n"), Msg("government-system proposals the unit replies to itself (lead, sole or separate)"), "—"),
    (Msg("A share [95% CI]"), Msg("of those, proposals with the scheme's first category"),
     Msg("those carrying any category; Wilson score interval")),
    (Msg("A verdict"), Msg("exact binomial tail of the A count around the target"),
     Msg("Binomial(n, target); < 0.025 / < 0.001 = outside 95% / 99.8%")),
    (Msg("Replied"), Msg("proposals with a reply date"), "n"),
    (Msg("On time"), Msg("replied on or before the due date"), Msg("proposals with a due date")),
    (Msg("Face to face"), Msg("consulted face to face"), "n"),
    (Msg("Satisfied incl./strict"), Msg("satisfied + basically satisfied / satisfied"), Msg("feedback forms returned")),
    (Msg("Forms (response)"), Msg("feedback forms returned"), Msg("replied (the response rate)")),
    (Msg("Days median/p90"), Msg("days from assignment to reply"), Msg("replied proposals")),
    (Msg("Re-handled"), Msg("dissatisfied proposals with a second reply"), "—"),
    (Msg("By status"), Msg("replies per normalised status (the primary status of each printed category)"), "—"),
)


class RowsRejected(RuntimeError):
    """Raised in strict mode when the ledger has rejected rows."""


class NoRowsAccepted(RuntimeError):
    """Raised when no ledger row is accepted (unless a report is asked for anyway): every figure
    would be empty. ``str(err)`` says why in one line."""


@dataclass(frozen=True)
class AnnualReport(content.Sections):
    """Everything the annual report shows, computed once from a params file.

    Attributes:
        params: the validated params file.
        ledger: accepted and rejected rows (:class:`~proposal_stats.ledger.model.Ledger`).
        headline: headline figures over the accepted rows.
        comparisons: each figure beside the published one.
        units: per-unit table by role (:func:`~proposal_stats.stats.metrics.per_unit`).
        performance: the unit comparison (:func:`~proposal_stats.stats.units.compare_units`).
        language: the language the sections are shown in (``en``, ``zh-CN``).
    """

    params: ReportParams
    ledger: Ledger
    headline: Headline
    comparisons: tuple[Comparison, ...]
    units: pd.DataFrame
    performance: pd.DataFrame
    language: str = "en"

    TEMPLATES = "annual"

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
            "language": self.language,
            **self.headline.as_summary(),
            "rows_read": self.ledger.rows_read,
            "rows_accepted": self.ledger.rows_accepted,
            "rows_rejected": len(self.ledger.rejected),
            "rows_set_aside": len(self.ledger.set_aside),
            "problems": {
                "errors": int((self.ledger.problems["severity"] == "error").sum()),
                "warnings": int((self.ledger.problems["severity"] == "warning").sum()),
            },
            "published_checks": {c.figure: c.verdict for c in self.comparisons},
            "published_identity_warnings": published_identity_warnings(p),
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

    def tables(self) -> list[Table]:
        """The report's tables as exported (CSV and the workbook's sheets), with what each holds."""
        return annual_tables(self)

    def export_labels(self):
        """Header labels of the workbook: in an English report ``None`` (the column names, as in the
        CSV files); in another language a function from a workbook column name to its label in that
        language (:func:`~proposal_stats.reporting.vocabulary.header_labels`: ``share`` → "占比",
        the scheme's code ``A`` → "A类")."""
        return header_labels(self.language, self.params.result_scheme.codes)

    def write_outputs(self, output_dir: str | Path) -> list[Path]:
        """Write ``summary.json``, the report's tables as CSV and all of them as ``tables.xlsx``
        into ``output_dir`` (see :mod:`proposal_stats.reporting.exports`); return the paths written."""
        out = Path(output_dir)
        out.mkdir(parents=True, exist_ok=True)
        summary = out / "summary.json"
        summary.write_text(json.dumps(self.summary(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return [summary, *write_tables(self.tables(), out, annual_about(self), self.export_labels(), say=self.t,
                                           words=cell_words(self.language))]

    def _validate_hint(self) -> Msg:
        return Msg("`proposal-stats validate %(ledger)s --params %(params)s` lists every problem",
                   ledger=str(self.ledger.path), params=str(self.params.params_file))

    def check_strict(self) -> None:
        """Raise :class:`RowsRejected` if any ledger row was rejected (the ``--strict`` mode); the
        message is in the report's language."""
        if len(self.ledger.rejected):
            raise RowsRejected(self.t(Msg(
                "%(rejected)s of %(read)s ledger rows rejected (strict mode): %(acceptance)s; %(hint)s",
                rejected=len(self.ledger.rejected), read=self.ledger.rows_read, acceptance=self.ledger.acceptance(),
                hint=self._validate_hint(),
            )))

    def check_accepted(self) -> None:
        """Raise :class:`NoRowsAccepted` when no ledger row was accepted, saying why in the report's
        language (``0 of 20 rows accepted: no lead-unit column (主办单位 or an alias: …)``)."""
        if self.ledger.rows_accepted == 0:
            raise NoRowsAccepted(self.t(Msg("%(acceptance)s; %(hint)s", acceptance=self.ledger.acceptance(), hint=self._validate_hint())))

    # ---- sections, in reading order -------------------------------------------------------------
    #: The report's sections in reading order: the notebook shows them in this order, one cell each.
    SECTIONS = ("title", "banners", "headline_figures", "published_audit", "categories_chart", "handling_units",
                "unit_performance", "funnel_charts", "timeliness", "days_chart", "satisfaction", "signals",
                "data_quality", "methods", "appendix", "footer")

    def sections(self) -> list[Section]:
        """Every section, in reading order (:data:`SECTIONS`)."""
        return [getattr(self, name)() for name in self.SECTIONS]

    def title(self) -> Section:
        """The title: the report's name, jurisdiction, body, session and year."""
        p = self.params
        return self._section("title", title=p.text("title", self.language), jurisdiction=p.text("jurisdiction", self.language),
                             body=term("body", p.body), session=p.session, year=p.year)

    def banners(self) -> Section:
        """Warnings the reader must see first: synthetic data, published figures that seem to be
        another report's, anonymised proposers, an empty ledger, rejected rows."""
        p, ld = self.params, self.ledger
        return self._section(
            "banners",
            synthetic_fields=[column(f) for f in p.synthetic_fields],
            synthetic_note=p.text("synthetic_note", self.language),
            published_mismatches=published_identity_warnings(p),
            anonymised=p.privacy.proposer == "anonymise",
            rows_read=ld.rows_read,
            rejected=len(ld.rejected),
        )

    def headline_figures(self) -> Section:
        """The headline table: each figure, the figure printed by the government, and the verdict."""
        by_name = {c.figure: c for c in self.comparisons}
        h = self.headline

        def row(label, value, names: list[str], sub: bool = False) -> dict:
            comps = [by_name[n] for n in names if n in by_name]
            worst = min(comps, key=lambda c: _VERDICT_ORDER[c.verdict]) if comps else None
            verdict = worst.verdict if worst else "not printed"
            return {
                "label": label, "value": value, "sub": sub,
                "printed": [c.printed_text for c in comps if c.printed_text],
                "verdict": term("verdict", verdict), "style": _VERDICT_STYLE[verdict],
                "details": [c.detail for c in comps if c.detail],
                "synthetic": verdict == "not printed" and any(self._synthetic(n) for n in names),
            }

        rows = [
            row(Msg("Proposals submitted"), f"{h.submitted}", ["submitted"]),
            row(Msg("Assigned to the government system"), f"{h.assigned_to_government}", ["assigned_to_government"]),
            row(Msg("share of proposals submitted"), by_name["assigned_to_government_share"].ledger_text, ["assigned_to_government_share"], sub=True),
            row(Msg("Handling units (lead)"), f"{h.handling_units}", ["handling_units"]),
            row(Msg("Replied"), f"{h.replied} = {percent_text(h.reply_rate)}", ["replied", "reply_rate"]),
            row(Msg("On-time replies"), f"{h.on_time} = {percent_text(h.on_time_rate)}", ["on_time_rate"]),
            row(Msg("Face-to-face consultation"),
                Msg("%(n)s = %(rate)s (%(blank)s not recorded)", n=h.f2f_consulted, rate=percent_text(h.f2f_rate), blank=h.f2f_not_recorded)
                if h.f2f_not_recorded else f"{h.f2f_consulted} = {percent_text(h.f2f_rate)}", ["f2f_rate"]),
            row(Msg("Satisfaction (inclusive)"),
                Msg("%(satisfied)s of %(forms)s forms = %(rate)s", satisfied=h.satisfied_inclusive, forms=h.feedback_returned,
                    rate=percent_text(h.satisfaction_rate)),
                ["satisfaction_rate"]),
        ]
        rows += [row(f"{c.code} · {c.label}", f"{c.count} = {percent_text(c.share)}", [f"{c.code} count", f"{c.code} share"]) for c in h.categories]
        return self._section("headline", rows=rows, categorised=h.categorised)

    def published_audit(self) -> Section:
        """The arithmetic audit of the published figures themselves (are they consistent with each
        other?), next to the headline table's check against the ledger."""
        pub = self.params.published
        if pub is None:
            return self._section("published_audit", printed=False, findings=[], others=[])
        from ..published.audit import audit

        compared = {c.figure for c in self.comparisons}
        findings = [
            {"severity": term("severity", f.severity), "style": _SEVERITY_STYLE.get(f.severity, ""), "kind": term("finding", f.kind),
             "where": where(f.where), "message": f.message}
            for f in audit(pub)
        ]
        others = [name for name in pub.figures if name not in compared]
        return self._section("published_audit", printed=True, findings=findings, others=others)

    def categories_chart(self) -> Section:
        """Bar chart of the result categories, with every bar's figure in the alternative text."""
        from . import charts

        t = self.t
        cats = self.headline.categories
        alt = t(Msg("Bar chart of result categories: %(bars)s",
                    bars="; ".join(f"{c.code} ({c.label}) {c.count} = {percent_text(c.share)}" for c in cats)))
        fig = charts.category_chart(cats, t(Msg("Result categories (government system)")), t=t, glyphs=self.glyphs)
        return content.figure(fig, alt, self.language, figure_id="categories-chart")

    def handling_units(self) -> Section:
        """Per handling unit: assignments by role, categories, replies, face-to-face consultation."""
        codes = self.params.result_scheme.codes
        cols = ["as_lead", "as_co_handler", "separately", *codes, "replied", "f2f_consulted"]
        rows = [{"unit": r["handling_unit"], "counts": [int(r[c]) for c in cols], "f2f_not_recorded": int(r.get("f2f_not_recorded", 0))}
                for r in self.units.to_dict("records")]
        return self._section("units", codes=codes, rows=rows, synthetic="lead_unit" in self.params.synthetic_fields)

    def unit_performance(self) -> Section:
        """Handling-unit performance: the comparison table (rates with intervals and funnel verdicts)."""
        t, p = self.performance, self.params

        def pc(x) -> str:  # a proportion, as percent at 1 decimal by the one rounding rule
            return percent_text(as_percent(x, 1), 1)

        def days(x) -> str:  # whole days, by the one rounding rule
            return "—" if (d := round_half_up(x, 0)) is None else str(d)

        def style(v: str) -> str:
            return "muted" if v == "too few" else "bad" if v.startswith("below") else "ok" if v.startswith("above") else ""

        statuses = list(dict.fromkeys(c.statuses[0] for c in p.result_scheme.categories))
        rows = [
            {
                "unit": r.handling_unit, "grey": r.a_verdict == "too few",
                "roles": f"{r.as_lead}/{r.as_co_handler}/{r.separately}", "n": int(r.n),
                "a_share": f"{pc(r.a_share)} [{pc(r.a_low)}–{pc(r.a_high)}]",
                "a_verdict": term("funnel", r.a_verdict), "a_style": style(r.a_verdict),
                "reply_rate": pc(r.reply_rate), "on_time_rate": pc(r.on_time_rate),
                "on_time_verdict": term("funnel", r.on_time_verdict),
                "on_time_style": style(r.on_time_verdict) if not r.on_time_verdict.startswith("above") else "",
                "f2f_rate": pc(r.f2f_rate),
                "satisfaction": f"{pc(r.satisfaction_inclusive)} / {pc(r.satisfaction_strict)}",
                "forms": f"{r.forms} ({pc(r.response_rate)})",
                "days": f"{days(r.days_median)} / {days(r.days_p90)}",
                "rehandled": int(r.dissatisfied_rehandled),
                "by_status": [(term("status", st), int(getattr(r, st))) for st in statuses if getattr(r, st)],
            }
            for r in t.itertuples(index=False)
        ]
        return self._section(
            "performance", rows=rows, a_code=p.result_scheme.codes[0], target=pc(t.attrs.get("target_a", float("nan"))),
            benchmark=p.units.benchmark_a_share is not None, min_n=p.units.min_n, adjusted=bool(t.attrs.get("adjusted")),
            synthetic="lead_unit" in p.synthetic_fields,
        )

    def funnel_charts(self) -> Section:
        """Funnel plots of the A share and the on-time rate by handling unit, side by side."""
        from . import charts

        t, perf = self.t, self.performance
        a = self.params.result_scheme.codes[0]
        od = perf.attrs.get("a_overdispersion")
        tau2 = od.tau2 if perf.attrs.get("adjusted") and od else 0.0
        fig = charts.funnel_pair(perf, [
            ("a_count", "categorised", perf.attrs["target_a"], "a_verdict", t(Msg("%(code)s share by handling unit", code=a)),
             t(Msg("proposals with a category"))),
            ("on_time", "with_due", perf.attrs["target_on_time"], "on_time_verdict", t(Msg("On-time replies by handling unit")),
             t(Msg("proposals with a due date"))),
        ], tau2, t=t, glyphs=self.glyphs)
        counts = perf["a_verdict"].value_counts()
        alt = t(Msg(
            "Funnel plots of the %(code)s share and the on-time rate of %(n)s units against their number of proposals; %(code)s verdicts: %(verdicts)s",
            code=a, n=len(perf), verdicts=t.join(f"{t(term('funnel', k))} {v}" for k, v in counts.items()),
        ))
        return content.figure(fig, alt, self.language, figure_id="funnel-charts")

    def timeliness(self) -> Section:
        """Late and unreplied proposals, and replies bunched just before the deadline."""
        from ..stats import units

        times = units.reply_times(self.ledger.proposals)
        b = units.bunching(times)
        return self._section(
            "timeliness", deadline=self.params.reply_deadline.describe(),
            late=int((times["days"].notna() & ~times["on_time"] & times["allowed"].notna()).sum()),
            unreplied=int(times["days"].isna().sum()), in_last_tenth=b["in_last_tenth"], replies=b["replies"],
            share=percent_text(as_percent(b["share"], 1), 1), flagged=b["flagged"],
        )

    def days_chart(self) -> Section:
        """Histogram of days from assignment to reply, the deadline marked."""
        from ..stats import units
        from . import charts

        t = self.t
        times = units.reply_times(self.ledger.proposals)
        replied = int(times["days"].notna().sum())
        fig = charts.days_chart(times, t(Msg("Days from assignment to reply")), t=t, glyphs=self.glyphs)
        median = round_half_up(times["days"].median(), 0) if replied else "—"
        alt = t(Msg("Histogram of days to reply for %(n)s replies; median %(median)s days", n=replied, median=median))
        return content.figure(fig, alt, self.language, figure_id="days-chart")

    def satisfaction(self, limit: int = 200) -> Section:
        """The evaluations, a flag for satisfaction without variance, dissatisfied proposals followed
        up (the first ``limit``; every proposal's evaluations are in ``proposals.csv``)."""
        from ..stats import units

        dist = units.satisfaction_distribution(self.ledger.proposals)
        everyone = units.dissatisfied_follow_up(self.ledger.proposals)
        follow = everyone.head(limit)
        return self._section(
            "satisfaction",
            rows=[(term("satisfaction", k), int(v)) for k, v in dist.items()],
            flat=units.zero_variance(dist),
            follow=[
                {"proposal_id": r.proposal_id, "lead_unit": r.lead_unit, "replied": _date(r.replied_at), "second": _date(r.second_replied_at),
                 "days": "—" if r.days_to_second_reply != r.days_to_second_reply else int(r.days_to_second_reply),
                 "evaluation": term("satisfaction", r.second_satisfaction) if r.second_satisfaction else "—"}
                for r in follow.itertuples()
            ],
            total=len(everyone), limit=limit,
        )

    def signals(self, limit: int = 50) -> Section:
        """The audit signals (``stats.signals``): fired, not fired or not checkable, with evidence."""
        from ..stats.signals import audit_signals

        shown = []
        for sig in audit_signals(self):
            evidence = None
            if sig.status == "fired" and len(sig.evidence):
                evidence = {"columns": [column(c) for c in sig.evidence.columns], "rows": frame_rows(sig.evidence.head(limit)),
                            "total": len(sig.evidence)}
            shown.append({"status": term("signal", sig.status), "style": _SIGNAL_STYLE[sig.status], "name": term("signal_name", sig.name),
                          "summary": sig.summary, "evidence": evidence})
        return self._section("signals", signals=shown, limit=limit)

    def data_quality(self, limit: int = 200) -> Section:
        """Rows read, accepted and rejected; problems per rule; the first ``limit`` problems."""
        from ..ledger.rules import RULES

        ld = self.ledger
        problems = ld.problems
        by_rule = problems.groupby(["rule", "severity"]).size().reset_index(name="n") if len(problems) else problems.iloc[0:0]

        def message(r):  # a sentence the ledger wrote as text only: its rule's meaning, in a report in another language
            if isinstance(r.message, Msg) or self.language == SOURCE_LANGUAGE or r.rule not in RULES:
                return r.message
            return Msg(RULES[r.rule].summary)

        headers = set(ld.rejected.columns) - {"source_line", "reasons"}  # the ledger's own headers, as written

        def place(name: str):  # a header as written; else a column the ledger lacks, or the whole row, in words
            if name in headers:
                return name
            return Msg(PROBLEM_PLACES[name]) if name in PROBLEM_PLACES else column(name)

        return self._section(
            "data_quality",
            file=ld.path.name, encoding=ledger_source(ld.encoding), layout=term("layout", ld.layout), rows_read=ld.rows_read,
            accepted=ld.rows_accepted, rejected=len(ld.rejected), set_aside=len(ld.set_aside), proposals=len(ld.proposals),
            assignments=len(ld.assignments), errors=int((problems["severity"] == "error").sum()),
            warnings=int((problems["severity"] == "warning").sum()), unused=list(ld.unused_columns), layout_note=ld.layout_note,
            by_rule=[{"rule": term("rule", r.rule), "severity": term("severity", r.severity), "n": int(r.n),
                      "meaning": Msg(RULES[r.rule].summary) if r.rule in RULES else ""} for r in by_rule.itertuples()],
            problems=[{"line": int(r.line), "proposal_id": r.proposal_id, "column": place(r.column), "value": r.value, "rule": term("rule", r.rule),
                       "severity": term("severity", r.severity), "message": message(r)}
                      for r in problems.head(limit).itertuples()],
            total=len(problems), limit=limit,
        )

    def methods(self) -> Section:
        """How every figure is computed: definitions, the unit comparison's columns, the scheme,
        the reply deadline and the published source."""
        p = self.params
        pub = p.published
        return self._section(
            "methods",
            definitions=[(Msg(d.label), Msg(d.numerator), Msg(d.denominator), term("unit", d.unit)) for d in DEFINITIONS.values()],
            f2f_blank_rule=Msg(F2F_BLANK_RULE),
            unit_definitions=UNIT_DEFINITIONS,
            scheme_id=p.result_scheme.id, scheme_source=params_text(p.result_scheme.source),
            scheme=[(c.code, c.label, [term("status", s) for s in c.statuses]) for c in p.result_scheme.categories],
            mixed=[c.code for c in p.result_scheme.categories if len(c.statuses) > 1],
            deadline=p.reply_deadline.describe(), deadline_source=params_text(p.reply_deadline.source),
            published=None if pub is None else {"title": pub.source.title, "publisher": pub.source.publisher, "url": pub.source.url},
        )

    #: Proposals the appendix lists (the rest are in proposals.csv and the workbook): the HTML of a
    #: 200,000-row ledger stays a report (about 1 MB), not a 30 MB listing.
    APPENDIX_LIMIT = 1000

    def appendix(self, limit: int | None = None) -> Section:
        """Appendix: the accepted proposals (id, title, lead unit, system, category), the first
        ``limit`` (default :attr:`APPENDIX_LIMIT`) in ledger order, collapsed on screen and printed
        in full; every proposal is in ``proposals.csv`` (and the workbook's proposals sheet, up to
        :data:`~proposal_stats.reporting.exports.WORKBOOK_MAX_CELLS` cells)."""
        limit = self.APPENDIX_LIMIT if limit is None else limit
        acc = self.ledger.accepted
        rows = [(r.proposal_id, r.title, r.lead_unit or "—", term("system", r.handling_system), r.result_category or "—")
                for r in acc.head(limit).itertuples()]
        return self._section("appendix", rows=rows, total=len(acc))

    def footer(self) -> Section:
        """Provenance: the params file, the ledger and their SHA-256, the scheme, the package version."""
        return Section("footer.html.j2", self.language, {"items": [(term("provenance", k), v) for k, v in self.provenance().items()]})

    def table(self, frame: pd.DataFrame, caption: str = "", table_id: str = "") -> Section:
        """Any DataFrame as a table in the report's style, its column names translated when they
        are the package's own (for a cell of your own analysis in the notebook)."""
        return Section("table.html.j2", self.language, {
            "columns": [column(c) for c in frame.columns], "rows": frame_rows(frame), "caption": caption, "id": table_id})


def _date(value) -> str:
    return "" if value is None or value != value else str(value)[:10]


def _relative(path: Path, root: Path) -> str:
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:
        return path.as_posix()


def build_annual_report(params_file: str | Path, language: str | None = None) -> AnnualReport:
    """Load a params file and its ledger, and compute everything the annual report shows.

    Args:
        params_file: path to a params YAML file.
        language: the language of the sections (``en``, ``zh-CN``); default the params file's.

    Returns:
        :class:`AnnualReport`.

    Raises:
        ParamsError: the params file is invalid (see :func:`~proposal_stats.params.load_report_params`).
        UnknownLanguage: no catalog for the language.
        LedgerError: the ledger cannot be read (see :func:`~proposal_stats.ledger.model.read_ledger`).
    """
    params = load_report_params(params_file)
    language = check_language(language or params.language)
    ledger = read_ledger(params.ledger, params)
    if params.privacy.proposer == "anonymise":  # before anything is computed or shown
        ledger = anonymise_proposers(ledger, params)
    head = headline(ledger.proposals, params.result_scheme, ledger.assignments)
    return AnnualReport(
        params=params,
        ledger=ledger,
        headline=head,
        comparisons=tuple(compare_headline(head, params.published, params.body)),
        units=per_unit(ledger.proposals, ledger.assignments, params.result_scheme),
        performance=compare_units(ledger.proposals, ledger.assignments, params.result_scheme, params.units),
        language=language,
    )
