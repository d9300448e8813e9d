"""The published-report corpus: every report's findings, comparison across places, trends over years.

:func:`load_corpus` audits every claims file a ``kind: published_audit`` params file names; the
tables are plain DataFrames. The corpus report (:mod:`proposal_stats.reporting.corpus_report`)
shows them. Adding a report (or a year) is adding a claims file to the folder the params file names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..claims_format import Claims, load_claims
from ..messages import message_column
from ..params import AuditReportParams, load_params
from .audit import Finding, audit, comparable_resolution_share

#: Printed figure names that count proposals received and filed, in order of preference.
RECEIVED_NAMES = ("received", "submitted", "materials_received", "materials", "tabled", "items_received", "total_proposals", "total")
FILED_NAMES = ("filed",)
_YEAR_SUFFIX = re.compile(r"^(received|filed|materials|submitted)_(\d{4})$")
_YEAR_RANGE = re.compile(r"(19|20)\d{2}\s*[-–—~]\s*(19|20)\d{2}")


def jurisdiction_key(c: Claims) -> str:
    """A report's jurisdiction as a grouping key: its Chinese name, the first word of ``jurisdiction``."""
    return (c.jurisdiction or c.id).split()[0]


def jurisdiction_known(c: Claims) -> bool:
    """Whether a report names its place: not blank and not ``UNKNOWN …`` (a report whose place is not
    known may be one of several places, so it never joins a jurisdiction's trend)."""
    return bool(c.jurisdiction.strip()) and not c.jurisdiction.strip().upper().startswith("UNKNOWN")


@dataclass(frozen=True)
class Corpus:
    """The corpus audit: reports with their findings and the tables the corpus report shows.

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
        return pd.DataFrame(rows, columns=["id", "jurisdiction", "body", "year", "reliability", "errors", "warnings", "notes"]).astype({"year": "Int64"})

    def findings_table(self) -> pd.DataFrame:
        """Every finding: report id, kind, severity, where, the printed text, the explanation."""
        rows = [{"id": c.id, **{k: v for k, v in f.as_dict().items() if k != "report_id"}} for _, c, found in self.reports for f in found]
        frame = pd.DataFrame(rows, columns=["id", "kind", "severity", "where", "printed", "message"])
        frame["message"] = message_column((r["message"] for r in rows), frame.index)  # each Msg kept, for the report's language
        return frame

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
        columns = ["id", "jurisdiction", "body", "year", "first_class", "resolved_share", "comparable", "note"]
        frame = pd.DataFrame(rows, columns=columns).astype({"year": "Int64"})
        frame["note"] = message_column((r["note"] for r in rows), frame.index)  # each Msg kept, for the report's language
        return frame

    def trends_left_out(self) -> list[str]:
        """The reports left out of the trends because their jurisdiction is not known (ids)."""
        return [c.id for _, c, _ in self.reports if not jurisdiction_known(c)]

    def trends_table(self) -> pd.DataFrame:
        """Proposals received and filed per jurisdiction and year, for jurisdictions with several years;
        reports whose jurisdiction is not known are left out (:meth:`trends_left_out`).

        Columns: jurisdiction, body, year, measure ("received" / "filed"), value (count), id.
        """
        rows = []
        for _, c, _ in self.reports:
            if not jurisdiction_known(c):
                continue  # see trends_left_out()
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
        return df.sort_values(["jurisdiction", "body", "measure", "year"]).reset_index(drop=True).astype({"year": "Int64", "value": "Int64"})


def load_corpus(params_file: str | Path) -> Corpus:
    """Load every claims file the params file names and audit each report.

    Raises:
        ParamsError: the params file is invalid or not ``kind: published_audit``.
        ClaimsError: a claims file breaks the format (the message names file, report and key), or
            two reports share an id.
    """
    params = load_params(params_file)
    if not isinstance(params, AuditReportParams):
        from ..params import ParamsError

        raise ParamsError(f"{params_file}: not a published-audit params file (kind: published_audit)")
    files = sorted(params.claims.glob("*.yaml")) if params.claims.is_dir() else [params.claims]
    loaded = [(f, c) for f in files for c in load_claims(f)]
    first: dict[str, Path] = {}
    for f, c in loaded:  # the tables, the comparison and the trends name a report by its id
        if c.id and c.id in first:
            from ..claims_format import ClaimsError

            raise ClaimsError(f"{f} ({c.id}): the id is also a report's in {first[c.id]}: every report of a corpus needs its own id")
        first.setdefault(c.id, f)
    reports = [(f, c, tuple(audit(c))) for f, c in loaded]
    reports.sort(key=lambda r: (jurisdiction_key(r[1]), r[1].year or 0, r[1].id))
    return Corpus(params, tuple(reports))
