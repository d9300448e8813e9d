"""proposal_stats: reproducible, auditable reports on the handling of CPPCC proposals (政协提案)
and NPC deputies' suggestions (人大代表建议).

The package does three jobs on shared statistics (``docs/architecture.md``):

- ``ledger``: read a ledger (台账) and check it → :func:`read_ledger`, :class:`Ledger`;
- ``published``: audit the figures a published report prints → :func:`audit`, :func:`load_claims`;
- ``reporting``: make the annual and corpus reports → :func:`build_annual_report`, :func:`render_report`;

with ``stats`` (headline figures, unit comparison, signals) between them and the parameter and
claims files (``params``, ``claims_format``) at the bottom. The public names below import lazily,
so ``import proposal_stats`` stays cheap for the command line and notebook kernels.
"""

from importlib import import_module

# Single source of the version (pyproject.toml reads it from here); a literal, because asking
# importlib.metadata costs every CLI start and every notebook kernel a scan of site-packages.
__version__ = "0.1.0"

#: Public name → the module that defines it.
_PUBLIC = {
    "read_ledger": "ledger.model", "Ledger": "ledger.model", "LedgerError": "ledger.model", "RULES": "ledger.rules",
    "load_params": "params", "load_report_params": "params", "ReportParams": "params", "AuditReportParams": "params",
    "ParamsError": "params", "ResultScheme": "params",
    "load_claims": "claims_format", "Claims": "claims_format", "ClaimsError": "claims_format",
    "audit": "published.audit", "Finding": "published.audit", "load_corpus": "published.corpus",
    "headline": "stats.metrics", "Headline": "stats.metrics", "per_unit": "stats.metrics", "share": "stats.metrics",
    "compare_units": "stats.units", "compare_headline": "stats.compare",
    "build_annual_report": "reporting.report", "AnnualReport": "reporting.report",
    "build_corpus_report": "reporting.corpus_report", "render_report": "reporting.render", "RenderError": "reporting.render",
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'proposal_stats' has no attribute {name!r}")
    value = getattr(import_module(f".{_PUBLIC[name]}", __name__), name)
    globals()[name] = value  # once imported, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
