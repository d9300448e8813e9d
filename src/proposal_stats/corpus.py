"""The published-report corpus: every report's findings, comparison across places, trends over years.

The notebook ``notebooks/published_audit.ipynb`` calls :func:`build_corpus_report` and displays what
it returns. Adding a report (or a year) is adding a claims file to the folder the params file names.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import __version__
from .audit import KINDS, Finding, audit, comparable_resolution_share
from .claims_format import Claims, load_claims
from .htmlparts import STYLE, esc, table
from .ledger import file_sha256
from .params import AuditReportParams, load_params

#: Printed figure names that count proposals received and filed, in order of preference.
RECEIVED_NAMES = ("received", "submitted", "materials_received", "materials", "tabled", "items_received", "total_proposals", "total")
FILED_NAMES = ("filed",)
_YEAR_SUFFIX = re.compile(r"^(received|filed|materials|submitted)_(\d{4})$")
_YEAR_RANGE = re.compile(r"(19|20)\d{2}\s*[-–—~]\s*(19|20)\d{2}")


def jurisdiction_key(c: Claims) -> str:
    """A report's jurisdiction as a grouping key: its Chinese name, the first word of ``jurisdiction``."""
    return (c.jurisdiction or c.id).split()[0]


@dataclass(frozen=True)
class CorpusReport:
    """The corpus audit: reports with their findings and the tables the report shows.

    Attributes:
        params: the validated params file.
        reports: ``(file, claims, findings)`` per report, sorted by jurisdiction, then year.
    """

    params: AuditReportParams
    reports: tuple[tuple[Path, Claims, tuple[Finding, ...]], ...]

    def summary_table(self) -> pd.DataFrame:
        """One row per report: id, jurisdiction, body, year, reliability and finding counts by severity."""
        rows = []
        for path, c, found in self.reports:
            sev = pd.Series([f.severity for f in found], dtype="str").value_counts()
            rows.append({
                "id": c.id, "jurisdiction": c.jurisdiction, "body": c.body, "year": c.year, "reliability": c.source.reliability,
                "errors": int(sev.get("error", 0)), "warnings": int(sev.get("warning", 0)), "notes": int(sev.get("note", 0)),
            })
        return pd.DataFrame(rows)

    def findings_table(self) -> pd.DataFrame:
        """Every finding: report id, kind, severity, where, the printed text, the explanation."""
        rows = [{"id": c.id, **{k: v for k, v in f.as_dict().items() if k != "report_id"}} for _, c, found in self.reports for f in found]
        return pd.DataFrame(rows, columns=["id", "kind", "severity", "where", "printed", "message"])

    def comparison_table(self) -> pd.DataFrame:
        """Per report with a result breakdown: the share printed as resolved, through its own scheme,
        or why it does not compare (a first class that also covers "being solved" or "partly solved")."""
        rows = []
        for _, c, _ in self.reports:
            if not c.results:
                continue
            share, note = comparable_resolution_share(c)
            first = c.scheme[0] if c.scheme else None
            rows.append({
                "id": c.id, "jurisdiction": jurisdiction_key(c), "body": c.body, "year": c.year,
                "first_class": f"{first.code}: {first.label}" if first else "",
                "resolved_share": None if share is None else float(share),
                "comparable": share is not None, "note": note,
            })
        return pd.DataFrame(rows)

    def trends_table(self) -> pd.DataFrame:
        """Proposals received and filed per jurisdiction and year, for jurisdictions with several years.

        Columns: jurisdiction, body, year, measure ("received" / "filed"), value (count), id.
        """
        rows = []
        for _, c, _ in self.reports:
            # A report covering several years (a whole term) prints totals, not one year's figures.
            spans_years = bool(_YEAR_RANGE.search(f"{c.id} {c.session}"))
            for name, fig in c.figures.items():
                if fig.value is None:
                    continue
                suffix = _YEAR_SUFFIX.match(name)
                if spans_years and not suffix:
                    continue
                year = int(suffix.group(2)) if suffix else c.year
                base = suffix.group(1) if suffix else name
                measure = "filed" if base in FILED_NAMES else "received" if base in RECEIVED_NAMES else None
                if measure and year:
                    rows.append({"jurisdiction": jurisdiction_key(c), "body": c.body, "year": year, "measure": measure, "value": int(fig.value), "id": c.id, "name": name})
        df = pd.DataFrame(rows, columns=["jurisdiction", "body", "year", "measure", "value", "id", "name"])
        # One value per jurisdiction, measure and year: the preferred name, then the later report.
        order = {n: i for i, n in enumerate(RECEIVED_NAMES + FILED_NAMES)}
        df = df.assign(_rank=df["name"].str.replace(r"_\d{4}$", "", regex=True).map(order)).sort_values(["_rank", "id"])
        df = df.drop_duplicates(["jurisdiction", "body", "measure", "year"]).drop(columns=["_rank", "name"])
        years = df.groupby(["jurisdiction", "body"])["year"].nunique()
        several = years[years > 1].index
        df = df.set_index(["jurisdiction", "body"]).loc[lambda d: d.index.isin(several)].reset_index()
        return df.sort_values(["jurisdiction", "body", "measure", "year"]).reset_index(drop=True)

    # ---- HTML ---------------------------------------------------------------------------------
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
        """``summary.json`` and the report's tables as CSV (UTF-8 with BOM) into ``output_dir``."""
        out = Path(output_dir)
        out.mkdir(parents=True, exist_ok=True)
        findings = self.findings_table()
        summary = {
            "report_id": self.params.report_id, "reports": len(self.reports),
            "findings": findings["severity"].value_counts().to_dict(),
            "reports_with_errors": int((self.summary_table()["errors"] > 0).sum()),
        }
        (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        for name, frame in {"reports.csv": self.summary_table(), "findings.csv": findings,
                            "comparison.csv": self.comparison_table(), "trends.csv": self.trends_table()}.items():
            frame.to_csv(out / name, index=False, encoding="utf-8-sig", lineterminator="\n")


def build_corpus_report(params_file: str | Path) -> CorpusReport:
    """Load every claims file the params file names and audit each report.

    Raises:
        ParamsError: the params file is invalid or not ``kind: published_audit``.
        ClaimsError: a claims file breaks the format (the message names file, report and key).
    """
    params = load_params(params_file)
    if not isinstance(params, AuditReportParams):
        from .params import ParamsError

        raise ParamsError(f"{params_file}: not a published-audit params file (kind: published_audit)")
    files = sorted(params.claims.glob("*.yaml")) if params.claims.is_dir() else [params.claims]
    reports = [(f, c, tuple(audit(c))) for f in files for c in load_claims(f)]
    reports.sort(key=lambda r: (jurisdiction_key(r[1]), r[1].year or 0, r[1].id))
    return CorpusReport(params, tuple(reports))
