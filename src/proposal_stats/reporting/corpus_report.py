"""The corpus report: the published-report audit of many reports as HTML sections and CSV tables.

The notebook ``notebooks/published_audit.ipynb`` calls :func:`build_corpus_report` and displays what
it returns; the figures come from :mod:`proposal_stats.published.corpus`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .. import __version__
from ..ledger.model import file_sha256
from ..published.audit import KINDS
from ..published.corpus import Corpus, load_corpus
from .exports import corpus_about, corpus_tables, write_tables
from .htmlparts import STYLE, esc, table


class CorpusReport(Corpus):
    """The corpus audit (:class:`~proposal_stats.published.corpus.Corpus`) with its HTML sections."""

    def title_html(self) -> str:
        """The report's title section as escaped HTML."""
        n = len(self.reports)
        errors = sum(f.severity == "error" for _, _, found in self.reports for f in found)
        return (
            f"{STYLE}<div class='ps-report'><h1>{esc(self.params.title)}</h1>"
            f"<p class='ps-note'>{n} published reports · {errors} error-level findings · real data, transcribed as printed</p></div>"
        )

    def summary_html(self) -> str:
        """The report's summary section as escaped HTML."""
        df = self.summary_table()
        rows = [[(esc(r.id), ""), (esc(r.jurisdiction), ""), (esc(r.body), ""), (esc("" if pd.isna(r.year) else int(r.year)), "num"),
                 (str(r.errors), "num bad" if r.errors else "num"), (str(r.warnings), "num"), (str(r.notes), "num")] for r in df.itertuples()]
        return "<div class='ps-report'><h2>Reports audited</h2>" + table(
            ["Report", "Jurisdiction", "Body", "Year", "Errors", "Warnings", "Notes"], rows,
            "every printed figure checked against the others; notes are harmless printing habits") + "</div>"

    def findings_html(self) -> str:
        """The report's findings section as escaped HTML."""
        df = self.findings_table()
        order = {"error": 0, "warning": 1, "note": 2}
        df = df.assign(_o=df["severity"].map(order)).sort_values(["_o", "id"], kind="stable")
        rows = [[(esc(r.id), ""), (esc(r.severity), f"ps-{'bad' if r.severity == 'error' else 'warn' if r.severity == 'warning' else 'muted'}"),
                 (esc(r.kind), ""), (esc(r.where), ""), (esc(r.message), "")] for r in df.itertuples()]
        kinds = [[(esc(k), ""), (esc(sev), ""), (esc(text), "")] for k, (sev, text) in KINDS.items()]
        return ("<div class='ps-report'><h2>Findings</h2>" + table(["Report", "Severity", "Kind", "Where", "Finding"], rows)
                + "<h2>Kinds of finding</h2>" + table(["Kind", "Severity", "Meaning"], kinds) + "</div>")

    def comparison_html(self) -> str:
        """The report's comparison section as escaped HTML."""
        df = self.comparison_table()
        rows = [[(esc(r.id), ""), (esc(r.first_class), ""), ("—" if pd.isna(r.resolved_share) else f"{r.resolved_share:.2f}%", "num"),
                 ("yes" if r.comparable else esc(r.note), "" if r.comparable else "ps-warn")] for r in df.itertuples()]
        return ("<div class='ps-report'><h2>Resolution shares across places</h2><p>The share of proposals each report prints as "
                "resolved, through its own scheme: only classes whose printed label means resolved (已解决/基本解决) count. "
                "A report whose first class also covers “being solved” (正在解决) or “partly solved” (部分解决) is marked not "
                "comparable.</p>" + table(["Report", "First class as printed", "Resolved share", "Comparable"], rows) + "</div>")

    def trends_html(self) -> str:
        """The report's trends section as escaped HTML."""
        df = self.trends_table()
        wide = df.pivot_table(index=["jurisdiction", "body", "year"], columns="measure", values="value", aggfunc="first").reset_index()
        rows = [[(esc(r.jurisdiction), ""), (esc(r.body), ""), (str(int(r.year)), "num"),
                 ("—" if pd.isna(getattr(r, "received", None)) else str(int(r.received)), "num"),
                 ("—" if pd.isna(getattr(r, "filed", None)) else str(int(r.filed)), "num")] for r in wide.itertuples()]
        return ("<div class='ps-report'><h2>Trends</h2><p>Jurisdictions with reports for several years: proposals received and "
                "filed, as printed. A new year appears when its claims file is added.</p>"
                + table(["Jurisdiction", "Body", "Year", "Received", "Filed"], rows) + "</div>")

    def footer_html(self) -> str:
        """The report's footer section as escaped HTML."""
        p = self.params
        items = [("params_file", p.params_file.name), ("params_sha256", file_sha256(p.params_file)),
                 ("claims", str(p.claims.name)), ("reports", str(len(self.reports))), ("proposal_stats_version", __version__)]
        return "<div class='ps-report ps-footer'><strong>Provenance</strong><ul>" + "".join(
            f"<li>{esc(k)}: <code>{esc(v)}</code></li>" for k, v in items) + "</ul></div>"

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
        write_tables(corpus_tables(self), out, corpus_about(self, file_sha256(self.params.params_file), __version__))


def build_corpus_report(params_file: str | Path) -> CorpusReport:
    """Load and audit every claims file the params file names (:func:`~proposal_stats.published.corpus.load_corpus`).

    Raises:
        ParamsError: the params file is invalid or not ``kind: published_audit``.
        ClaimsError: a claims file breaks the format (the message names file, report and key).
    """
    corpus = load_corpus(params_file)
    return CorpusReport(corpus.params, corpus.reports)
