"""HTML pieces shared by the reports: the stylesheet, escaping, tables.

Every piece of text that comes from data (unit names, titles, printed wording) goes through
:func:`esc`, so a title holding ``<script>`` shows as text.
"""

from __future__ import annotations

import html

from ..stats.metrics import percent_text

# Text fonts: the reader's own Chinese fonts first, then the subset of the bundled font that the
# renderer embeds (proposal_stats.reporting.fonts.EMBEDDED_FAMILY) for machines that have none.
STYLE = """
<style>
.ps-report { font-family: "Noto Sans CJK SC", "Noto Sans CJK JP", "PingFang SC", "Microsoft YaHei",
  "Proposal Stats CJK", system-ui, sans-serif; line-height: 1.5; max-width: 60rem; }
.ps-report h1 { font-size: 1.6rem; margin: 0.2rem 0; }
.ps-report h2 { font-size: 1.25rem; margin-top: 1.6rem; border-bottom: 1px solid #ccd; }
.ps-banner { background: #fff4d6; border-left: 5px solid #e0a030; padding: 0.6rem 0.9rem; margin: 0.8rem 0; }
.ps-table { border-collapse: collapse; margin: 0.6rem 0; font-size: 0.92rem; }
.ps-report .ps-table th, .ps-report .ps-table td { border: 1px solid #d0d4dc; padding: 0.25rem 0.55rem; text-align: left; vertical-align: top; }
.ps-report .ps-table th { background: #eef1f6; }
.ps-report .ps-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ps-ok { color: #1e7b34; font-weight: 600; } .ps-bad { color: #b3261e; font-weight: 700; }
.ps-warn { color: #a15c00; font-weight: 600; } .ps-muted { color: #6b7280; }
.ps-note { color: #4b5563; font-size: 0.9rem; }
.ps-footer { margin-top: 2rem; border-top: 1px solid #ccd; padding-top: 0.6rem; font-size: 0.85rem; color: #4b5563; }
details.ps-details summary { cursor: pointer; font-weight: 600; }
.ps-wide { max-width: none; overflow-x: auto; }
.ps-wide .ps-table { font-size: 0.8rem; }
.ps-report.ps-wide .ps-table td, .ps-report.ps-wide .ps-table th { white-space: nowrap; padding: 0.2rem 0.4rem; }
</style>
"""


def esc(value) -> str:
    """HTML-escape any value's text (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def table(head: list[str], rows: list[list[tuple[str, str]]], caption: str = "") -> str:
    """An HTML table; each cell is ``(already-escaped html, css class)``."""
    cap = f"<caption class='ps-note'>{esc(caption)}</caption>" if caption else ""
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td class='{cls}'>{cell}</td>" for cell, cls in row) + "</tr>" for row in rows)
    return f"<table class='ps-table'>{cap}<thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def pct(value, places: int = 2) -> str:
    """A percent value (Decimal or float, already ×100) as "71.37%", or "—" when undefined; rounded
    by the one rule (:func:`proposal_stats.stats.metrics.round_half_up`)."""
    return percent_text(value, places)
