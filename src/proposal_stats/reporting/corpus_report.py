"""The corpus report: the published-report audit of many reports, as sections and CSV tables.

The notebook ``notebooks/published_audit.ipynb`` calls :func:`build_corpus_report` and displays its
sections in order (templates in ``templates/corpus/``); the figures come from
:mod:`proposal_stats.published.corpus`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import __version__
from ..ledger.model import file_sha256
from ..messages import Msg
from ..published.audit import KINDS, comparable_resolution_share
from ..published.corpus import Corpus, load_corpus
from ..stats.metrics import percent_text
from . import content
from .content import Section
from .exports import corpus_about, corpus_tables, write_tables
from .i18n import check_language
from .vocabulary import cell_words, header_labels, printed_code, term, where


_SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2}
_SEVERITY_STYLE = {"error": "bad", "warning": "warn", "note": "muted"}


@dataclass(frozen=True)
class CorpusReport(Corpus, content.Sections):
    """The corpus audit (:class:`~proposal_stats.published.corpus.Corpus`) with its sections, in
    reading order, shown in ``language`` through the templates in ``templates/corpus/``."""

    language: str = "en"

    TEMPLATES = "corpus"

    def title(self) -> Section:
        """The title, with the number of reports and of error-level findings."""
        errors = sum(f.severity == "error" for _, _, found in self.reports for f in found)
        return self._section("title", title=self.params.text("title", self.language), reports=len(self.reports), errors=errors)

    def reports_audited(self) -> Section:
        """One row per report: its identity and its findings by severity."""
        df = self.summary_table()
        rows = [{"id": r.id, "jurisdiction": r.jurisdiction, "body": term("claims_body", r.body), "year": "" if pd.isna(r.year) else int(r.year),
                 "errors": int(r.errors), "warnings": int(r.warnings), "notes": int(r.notes)} for r in df.itertuples()]
        return self._section("summary", rows=rows)

    def findings(self) -> Section:
        """Every finding, errors first, and what each kind of finding means."""
        found = [(c.id, f) for _, c, fs in self.reports for f in fs]
        found.sort(key=lambda x: (_SEVERITY_ORDER.get(x[1].severity, 3), x[0]))
        rows = [{"id": rid, "severity": term("severity", f.severity), "style": _SEVERITY_STYLE.get(f.severity, ""),
                 "kind": term("finding", f.kind), "where": where(f.where), "message": f.message} for rid, f in found]
        kinds = [(term("finding", k), term("severity", sev), Msg(text)) for k, (sev, text) in KINDS.items()]
        return self._section("findings", rows=rows, kinds=kinds)

    def comparison(self) -> Section:
        """The share each report prints as resolved, through its own scheme, or why it does not compare."""
        notes = {c.id: comparable_resolution_share(c)[1] for _, c, _ in self.reports if c.results}
        firsts = {c.id: Msg("%(code)s: %(label)s", code=printed_code(c.scheme[0].code), label=c.scheme[0].label)
                  for _, c, _ in self.reports if c.results and c.scheme}
        df = self.comparison_table()
        rows = [{"id": r.id, "first_class": firsts.get(r.id, r.first_class), "share": percent_text(r.resolved_share),
                 "comparable": bool(r.comparable), "note": notes.get(r.id, r.note)} for r in df.itertuples()]
        return self._section("comparison", rows=rows)

    def comparison_chart(self) -> Section:
        """Bars of the comparable resolved shares, every bar's figure in the alternative text."""
        from . import charts

        t = self.t
        df = self.comparison_table()
        shown = df[df["comparable"]]
        fig = charts.comparison_chart(df, t(Msg("Share printed as resolved (comparable reports only)")), t=t, glyphs=self.glyphs)
        alt = t(Msg("Bar chart of the resolved shares of the comparable reports: %(bars)s",
                    bars="; ".join(f"{r.id} {percent_text(r.resolved_share)}" for r in shown.itertuples())))
        return content.figure(fig, alt, self.language, figure_id="comparison-chart")

    def trends(self) -> Section:
        """Proposals received and filed per year, for jurisdictions with several years."""
        df = self.trends_table()
        wide = df.pivot_table(index=["jurisdiction", "body", "year"], columns="measure", values="value", aggfunc="first").reset_index()
        rows = [{"jurisdiction": r.jurisdiction, "body": term("claims_body", r.body), "year": int(r.year),
                 "received": "—" if pd.isna(getattr(r, "received", None)) else int(r.received),
                 "filed": "—" if pd.isna(getattr(r, "filed", None)) else int(r.filed)} for r in wide.itertuples()]
        return self._section("trends", rows=rows, left_out=self.trends_left_out())

    def trends_chart(self) -> Section:
        """Line charts of proposals received and filed per year, one panel per jurisdiction."""
        from . import charts

        t = self.t
        trends = self.trends_table()
        fig = charts.trend_chart(trends, t(Msg("Proposals received and filed")), t=t, glyphs=self.glyphs)
        alt = t(Msg("Line charts of proposals received and filed per year for: %(places)s",
                    places=t.join(sorted(set(trends["jurisdiction"])))))
        return content.figure(fig, alt, self.language, figure_id="trends-chart")

    def footer(self) -> Section:
        """Provenance: the params file and its SHA-256, the claims, the number of reports, the version."""
        p = self.params
        items = [("params_file", p.params_file.name), ("params_sha256", file_sha256(p.params_file)),
                 ("claims", str(p.claims.name)), ("reports", str(len(self.reports))), ("proposal_stats_version", __version__)]
        return Section("footer.html.j2", self.language, {"items": [(term("provenance", k), v) for k, v in items]})

    def write_outputs(self, output_dir: str | Path) -> None:
        """``summary.json``, the report's tables as CSV and all of them as ``tables.xlsx`` into
        ``output_dir`` (see :mod:`proposal_stats.reporting.exports`)."""
        out = Path(output_dir)
        out.mkdir(parents=True, exist_ok=True)
        findings = self.findings_table()
        summary = {
            "report_id": self.params.report_id, "reports": len(self.reports),
            "findings": findings["severity"].value_counts().to_dict(),
            "reports_with_errors": int((self.summary_table()["errors"] > 0).sum()),
        }
        (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        write_tables(corpus_tables(self), out, corpus_about(self, file_sha256(self.params.params_file), __version__),
                     header_labels(self.language), say=self.t, words=cell_words(self.language))


def build_corpus_report(params_file: str | Path, language: str | None = None) -> CorpusReport:
    """Load and audit every claims file the params file names (:func:`~proposal_stats.published.corpus.load_corpus`).

    Args:
        params_file: a ``kind: published_audit`` params file.
        language: the language of the sections (``en``, ``zh-CN``); default the params file's.

    Raises:
        ParamsError: the params file is invalid or not ``kind: published_audit``.
        UnknownLanguage: no catalog for the language.
        ClaimsError: a claims file breaks the format (the message names file, report and key).
    """
    corpus = load_corpus(params_file)
    return CorpusReport(corpus.params, corpus.reports, check_language(language or corpus.params.language))
