"""The explorer: handling-unit performance, interactively, in JupyterLab or as a dashboard.

``notebooks/explore.ipynb`` shows ``Explorer(params)``; ``proposal-stats explore`` serves that
notebook with Voilà (no code cells). All figures come from :mod:`proposal_stats.stats.explore`;
this module only lays out widgets and turns figures into escaped HTML.

One widget tree, updated in place: every control change redraws the same areas (no second copy of
an old selection anywhere on the page). A redraw recomputes the selection from the report's
:class:`~proposal_stats.stats.explore.ReportIndex` (built once per report), writes one page of the
proposals table and the unit's figures, and sets the charts' parameters — the charts themselves are
drawn once per report (``benchmarks/bench_explore.py`` times the whole redraw).

Chinese text needs no system font: the explorer embeds the bundled Noto Sans CJK, cut down to the
characters of the reports it shows (:mod:`proposal_stats.reporting.fonts`).
"""

from __future__ import annotations

import base64
import html
import math
import os
from contextlib import contextmanager
from pathlib import Path

import ipywidgets as w
import pandas as pd

from ..stats import explore
from ..stats.explore import ALL, ReportIndex, Selection
from ..stats.metrics import percent_text, round_half_up
from .fonts import EMBEDDED_FAMILY, characters_needing_font, embed_css, subset_font

def esc(value) -> str:
    """HTML-escape any value's text (quotes included); ``None`` is empty."""
    return html.escape("" if value is None else str(value), quote=True)


#: Environment variable through which ``proposal-stats explore`` names the params files to open
#: (joined with ``os.pathsep``); the notebook's ``params`` parameter wins when set.
PARAMS_ENV = "PROPOSAL_STATS_EXPLORE"
PAGE_SIZES = (25, 50, 100, 200)
TEXT_FONT = f"'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', 'Source Han Sans SC', '{EMBEDDED_FAMILY}', system-ui, sans-serif"

CSS = """
.ps-x, .ps-x select, .ps-x input, .ps-x button, .ps-x .widget-label, .ps-x .widget-html-content, .ps-x .lm-TabBar-tabLabel,
#vg-tooltip-element { font-family: %(font)s; }
.ps-x { max-width: 1180px; }
.ps-x .widget-html-content { line-height: 1.45; }
.ps-x h2 { font-size: 1.3rem; margin: 0.2rem 0; } .ps-x h3 { font-size: 1.05rem; margin: 0.7rem 0 0.3rem; }
.ps-x .ps-note { color: #4b5563; font-size: 0.86rem; } .ps-x .ps-banner { background: #fff4d6; border-left: 5px solid #e0a030;
  padding: 0.4rem 0.7rem; margin: 0.3rem 0; font-size: 0.9rem; }
.ps-x table.ps-t { border-collapse: collapse; width: 100%%; table-layout: fixed; font-size: 0.84rem; margin: 0.2rem 0 0.5rem; }
.ps-x table.ps-t th, .ps-x table.ps-t td { border: 1px solid #d6dae1; padding: 0.2rem 0.35rem; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; white-space: normal; }
.ps-x table.ps-t th { background: #eef1f6; font-weight: 600; overflow-wrap: normal; }
.ps-x table.ps-t td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.ps-x table.ps-t td.date { white-space: nowrap; font-variant-numeric: tabular-nums; }
.ps-x table.ps-t td.def, .ps-x .ps-muted { color: #5b6472; } .ps-x .ps-def { color: #5b6472; font-size: 0.78rem; } .ps-x .ps-bad { color: #b3261e; font-weight: 600; }
.ps-x .ps-ok { color: #1e7b34; font-weight: 600; }
.ps-x .ps-scroll { max-height: 420px; overflow-y: auto; }
"""

#: Proposals table: column, header, width, cell class.
TABLE_COLUMNS = (
    ("proposal_id", "Id", "4.5em", ""), ("title", "Title", "24%", ""), ("topic", "Topic", "5.5em", ""),
    ("lead_unit", "Lead unit", "11%", ""), ("co_handling_units", "Co-handlers", "11%", ""),
    ("assigned_at", "Assigned", "6.6em", "date"), ("due_at", "Due", "6.6em", "date"), ("replied_at", "Replied", "6.6em", "date"),
    ("days", "Days", "3.8em", "num"), ("on_time", "On time", "3.8em", ""), ("result", "Result", "8.5em", ""),
    ("satisfaction", "Evaluation", "7em", ""),
)


def find_params(params=None) -> list[Path]:
    """The params files or folders to open: ``params`` (a path or a list of them), else the paths in
    the ``PROPOSAL_STATS_EXPLORE`` environment variable, else the ``params`` folder of the project
    (looked for from the current folder upwards, so the notebook runs from ``notebooks/`` or the root).

    Raises:
        FileNotFoundError: a named path does not exist, or no ``params`` folder was found.
    """
    if params is None and os.environ.get(PARAMS_ENV):
        params = os.environ[PARAMS_ENV].split(os.pathsep)
    if params is None:
        for folder in (Path.cwd(), *Path.cwd().parents):
            if (folder / "params").is_dir():
                return [folder / "params"]
        raise FileNotFoundError(f"no params folder in {Path.cwd()} or above it; give the params files to open")
    found = []
    for item in [params] if isinstance(params, (str, Path)) else params:
        path = Path(item)
        if not path.exists():
            path = next((f / item for f in Path.cwd().parents if (f / item).exists()), path)
        if not path.exists():
            raise FileNotFoundError(f"{item}: no such params file or folder")
        found.append(path.resolve())
    return found


def _pct(x, places: int = 1) -> str:
    return percent_text(x, places)


def _pooled(r) -> str:
    """The pooled rate, or why there is none."""
    return f"<span class='ps-muted'>— {esc(r.pooled_undefined)}</span>" if r.pooled_undefined else _pct(r.pooled)


def _date(x) -> str:
    return "—" if x is None or x is pd.NaT or x != x else str(x)[:10]


def _table(head: list[tuple[str, str]], rows: list[list[tuple[str, str]]]) -> str:
    """An HTML table of fixed layout: ``head`` is (label, width); cells are (escaped html, class)."""
    cols = "".join(f"<col style='width:{w}'>" if w else "<col>" for _, w in head)
    th = "".join(f"<th>{esc(h)}</th>" for h, _ in head)
    body = "".join("<tr>" + "".join(f"<td class='{c}'>{v}</td>" for v, c in row) + "</tr>" for row in rows)
    return f"<table class='ps-t'><colgroup>{cols}</colgroup><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def proposals_html(rows: pd.DataFrame, scheme) -> str:
    """A page of the proposals table: no index column, titles wrapping, dates on one line, and a
    word instead of every blank (``—``: not replied, no due date, not recorded)."""
    labels = {c.code: c.label for c in scheme.categories}
    body = []
    for r in rows.itertuples(index=False):
        replied = not (r.replied_at is pd.NaT or r.replied_at != r.replied_at)
        has_due = not (r.due_at is pd.NaT or r.due_at != r.due_at)
        result = (f"{esc(r.result_category)} · <span class='ps-muted'>{esc(r.resolution_status.replace('_', ' '))}</span>"
                  if r.result_category else "<span class='ps-muted'>— no category</span>")
        on_time = ("yes" if r.on_time else "<span class='ps-bad'>late</span>") if replied and has_due else (
            "<span class='ps-muted'>—</span>" if replied else "<span class='ps-bad'>not replied</span>")
        body.append([
            (esc(r.proposal_id), ""), (esc(r.title) or "<span class='ps-muted'>—</span>", ""), (esc(r.topic) or "—", ""),
            (esc(r.lead_unit) or "—", ""), (esc("、".join(u for u in r.co_handling_units.split(";") if u)) or "—", ""),
            (_date(r.assigned_at), "date"), (_date(r.due_at), "date"), (_date(r.replied_at), "date"),
            ("—" if r.days != r.days else str(int(r.days)), "num"), (on_time, ""),
            (f"<span title='{esc(labels.get(r.result_category, ''))}'>{result}</span>", ""),
            (esc(r.satisfaction.replace("_", " ")) or "<span class='ps-muted'>—</span>", ""),
        ])
    return _table([(h, wd) for _, h, wd, _ in TABLE_COLUMNS], body)


def figures_html(figs: pd.DataFrame) -> str:
    """A unit's figures beside the pooled ones, each with its count, interval, verdict and definition;
    an undefined figure says why instead of showing a number."""
    rows = []
    for r in figs.itertuples(index=False):
        if r.undefined:
            value, interval = f"<span class='ps-muted'>— {esc(r.undefined)}</span>", ""
        else:
            value, interval = f"<b>{_pct(r.unit)}</b><br><span class='ps-muted'>{r.count} of {r.base}</span>", f"{_pct(r.low)}–{_pct(r.high)}"
        verdict = r.verdict or "<span class='ps-muted'>not judged</span>"
        cls = "ps-bad" if r.verdict.startswith("below") else "ps-ok" if r.verdict.startswith("above") else ""
        rows.append([(f"{esc(r.figure)}<br><span class='ps-def'>{esc(r.definition)}</span>", ""), (value, ""), (interval, "num"),
                     (_pooled(r), "num"), (f"<span class='{cls}'>{verdict if not r.verdict else esc(verdict)}</span>", "")])
    return _table([("Figure: what it counts", ""), ("Unit", "8.2em"), ("95% interval", "7.6em"), ("Pooled", "5em"), ("Verdict", "6.2em")], rows)


def timeliness_html(t: pd.Series, deadline: str) -> str:
    """One unit's timeliness in words (counts and days; nothing undefined is shown as a number)."""
    t = t.copy()
    for col in ("replied", "on_time", "late", "not_replied", "in_last_tenth"):
        t[col] = int(t[col])
    if t.replied == 0:
        days = "no reply of its own yet" if t.not_replied else "no proposal to reply to (co-handler only)"
    else:
        days = (f"days from assignment to reply: median {round_half_up(t.days_median, 0)}, "
                f"90th percentile {round_half_up(t.days_p90, 0)}")
    bunch = (f"; {t.in_last_tenth} of {t.replied} replies came in the last tenth of the time allowed "
             f"(<span class='ps-muted'>{esc(explore.DEFINITIONS['in_last_tenth'])}</span>)") if t.replied else ""
    return (f"<p>Replied {t.replied} (on time {t.on_time}, late {t.late}), not replied {t.not_replied}; {days}{bunch}. "
            f"<span class='ps-muted'>Deadline rule: {esc(deadline)}.</span></p>")


def _dropdown(description: str, width: str = "auto") -> w.Dropdown:
    return w.Dropdown(description=description, layout=w.Layout(width=width), style={"description_width": "initial"})


class Explorer:
    """The explorer's widgets and what they do.

    Args:
        params: params files or folders (annual reports; a ``kind: published_audit`` params file adds
            the published corpus to the side-by-side view); default see :func:`find_params`.
        start: the params file to open first (default: the first annual one, by jurisdiction and year).
        page_size: rows per page of the proposals table.

    Attributes:
        widget: the whole explorer (display it, or display the Explorer itself).
        index: the current report's :class:`~proposal_stats.stats.explore.ReportIndex`.
        rows: positions (in ``index.rows``) of the current selection, in order.

    Raises:
        FileNotFoundError: no params file found; ``ParamsError``/``LedgerError`` for a bad one.
    """

    def __init__(self, params=None, start=None, page_size: int = PAGE_SIZES[0]):
        from . import interactive

        paths = find_params(params)
        self.annual = explore.annual_params_of(paths)
        if not self.annual:
            raise FileNotFoundError(f"no annual-report params file in {', '.join(map(str, paths))}")
        self.audits = explore.audit_params_of(paths)
        self._indexes: dict[str, ReportIndex] = {}
        self._chars: set[str] = set()
        self._corpus = None
        self._quiet = False
        self.page = 0
        start_path = str(Path(start).resolve()) if start else str(self.annual[0][0])
        if start_path not in {str(p) for p, _ in self.annual}:
            raise FileNotFoundError(f"{start}: not among the params files opened")

        self.report_picker = _dropdown("Report", "100%")
        self.report_picker.options = [(self._report_label(p), str(path)) for path, p in self.annual]
        self.report_picker.value = start_path
        self.unit = _dropdown("Handling unit", "420px")
        self.role, self.status, self.topic = _dropdown("Role"), _dropdown("Result"), _dropdown("Topic")
        self.sort_by = _dropdown("Sort by")
        self.descending = w.Checkbox(description="descending", indent=False, layout=w.Layout(width="auto"))
        self.page_size = w.Dropdown(options=PAGE_SIZES, value=page_size, description="rows", layout=w.Layout(width="110px"),
                                    style={"description_width": "initial"})
        self.prev_page = w.Button(description="◀ previous", layout=w.Layout(width="auto"))
        self.next_page = w.Button(description="next ▶", layout=w.Layout(width="auto"))
        self.page_label = w.HTML()
        self.measure = w.ToggleButtons(options=list(explore.FUNNELS), value="A share", style={"button_width": "auto"})
        self.compare = w.SelectMultiple(description="Compare", rows=7, layout=w.Layout(width="420px"), style={"description_width": "initial"})
        self.export_csv = w.Button(description="Export CSV", layout=w.Layout(width="auto"))
        self.export_xlsx = w.Button(description="Export XLSX", layout=w.Layout(width="auto"))
        self.download = w.HTML()
        self.side_reports = w.SelectMultiple(description="Reports", rows=min(6, len(self.annual)), layout=w.Layout(width="100%"),
                                             options=[(self._report_label(p), str(path)) for path, p in self.annual],
                                             value=tuple(str(path) for path, _ in self.annual), style={"description_width": "initial"})
        self.show_corpus = w.Checkbox(description="include the published corpus", value=bool(self.audits), indent=False,
                                      disabled=not self.audits, layout=w.Layout(width="auto"))

        self.style = w.HTML()
        self.header, self.figures, self.table, self.compare_table = w.HTML(), w.HTML(), w.HTML(), w.HTML()
        self.trend_table, self.side = w.HTML(), w.HTML()
        first = self.index_of(start_path)
        self.funnel = interactive.jupyter_chart(interactive.funnel_chart(first.funnel_points, first.funnel_lines))
        self.funnel.selections.observe(self._picked, ["pick"])
        self._funnel_for = first
        self.trend, self._trend_for = None, None
        self.trend_box = w.VBox([])
        self.funnel_note = w.HTML(
            "<p class='ps-note'>Each dot is a unit: its rate against its number of proposals. Dotted lines: 99.8% limits; dashed: "
            "95% limits, around the pooled rate (solid line). A unit inside the limits is not distinguishable from the others; "
            "grey units have too few proposals to judge. Units at the same point are spread a little sideways and counted (×3); the tooltip names them. "
            "Hover a dot for its figures; click it to pick the unit.</p>")

        tabs = w.Tab(children=[
            w.VBox([w.HBox([self.sort_by, self.descending, self.page_size, self.prev_page, self.next_page, self.page_label],
                           layout=w.Layout(flex_flow="row wrap", align_items="center")),
                    self.table, w.HBox([self.export_csv, self.export_xlsx, self.download], layout=w.Layout(align_items="center"))]),
            w.VBox([w.HTML("<p class='ps-note'>Pick units to compare (Ctrl- or Shift-click for several); they are named on the funnel.</p>"),
                    self.compare, self.compare_table]),
            w.VBox([w.HTML("<h3>The unit across years</h3>"), self.trend_box, self.trend_table,
                    w.HTML("<h3>Jurisdictions side by side</h3><p class='ps-note'>The annual reports to set side by side "
                           "(Ctrl- or Shift-click for several), and the published reports.</p>"), self.side_reports, self.show_corpus, self.side]),
            w.HTML(self._about_html()),
        ])
        for i, title in enumerate(("Proposals", "Compare units", "Across reports", "Definitions")):
            tabs.set_title(i, title)
        self.tabs = tabs
        controls = w.VBox([self.report_picker, w.HBox([self.unit, self.role, self.status, self.topic], layout=w.Layout(flex_flow="row wrap"))])
        chart_box = w.VBox([self.measure, self.funnel, self.funnel_note], layout=w.Layout(width="620px"))
        self.widget = w.VBox([self.style, self.header, controls,
                              w.HBox([chart_box, w.VBox([self.figures], layout=w.Layout(flex="1 1 420px"))],
                                     layout=w.Layout(flex_flow="row wrap")), tabs])
        self.widget.add_class("ps-x")

        self.report_picker.observe(self._pick_report, "value")
        for control in (self.unit, self.role, self.status, self.topic, self.sort_by, self.descending):
            control.observe(self._first_page, "value")
        self.page_size.observe(self._first_page, "value")
        self.prev_page.on_click(lambda _: self._turn(-1))
        self.next_page.on_click(lambda _: self._turn(1))
        self.measure.observe(self._set_measure, "value")
        self.compare.observe(lambda _: self.redraw(), "value")
        self.export_csv.on_click(lambda _: self.export("csv"))
        self.export_xlsx.on_click(lambda _: self.export("xlsx"))
        self.show_corpus.observe(lambda _: self._draw_across(), "value")
        self.side_reports.observe(lambda _: self._draw_across(), "value")
        tabs.observe(lambda _: self._draw_across(), "selected_index")
        self.load(start_path)

    # ---- state -----------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    @staticmethod
    def _report_label(p) -> str:
        return f"{p.jurisdiction} · {p.year} · {p.body_label} · {p.title}" + (" · SYNTHETIC data" if p.synthetic_fields else "")

    def index_of(self, path) -> ReportIndex:
        """The :class:`ReportIndex` of a params file (built on first use, then kept)."""
        from .report import build_annual_report

        key = str(Path(path).resolve())
        if key not in self._indexes:
            self._indexes[key] = ReportIndex(build_annual_report(key))
        return self._indexes[key]

    @property
    def selection(self) -> Selection:
        """The selection the controls show."""
        return Selection(unit=self.unit.value or ALL, status=self.status.value or ALL, topic=self.topic.value or ALL,
                         role=self.role.value or ALL, sort_by=self.sort_by.value or "proposal_id", descending=self.descending.value)

    @contextmanager
    def _hold(self):
        """Set several controls without a redraw for each."""
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False

    def load(self, path) -> None:
        """Open a report: its controls (keeping each choice the new report also has), its charts, its
        font; then redraw."""
        from . import interactive

        self.index = ix = self.index_of(path)
        before = self.selection if self.unit.options else Selection()
        compared = list(self.compare.value)
        opts = ix.options()
        with self._hold():
            for control, name, keep in ((self.unit, "unit", before.unit), (self.role, "role", before.role), (self.status, "status", before.status),
                                        (self.topic, "topic", before.topic), (self.sort_by, "sort_by", before.sort_by)):
                values = [v for _, v in opts[name]]
                control.options = opts[name]
                control.value = keep if keep in values else values[0]
            self.compare.options = opts["unit"][1:]
            self.compare.value = tuple(u for u in compared if ix.has_unit(u))
            self.report_picker.value = str(Path(path).resolve())
            self.page = 0
        if self._funnel_for is not ix:  # a new report: new data for the chart (a selection only sets its parameters)
            self._funnel_for = ix
            self.funnel.chart = interactive.funnel_chart(ix.funnel_points, ix.funnel_lines, measure=self.measure.value,
                                                         focus=self._focus(), compare=self.compare.value)
            self.funnel.selections.observe(self._picked, ["pick"])
        self._embed_font()
        self.header.value = self._header_html()
        self.redraw()

    def _pick_report(self, change) -> None:
        """Open the report picked; one that cannot be opened says why, and the current one stays."""
        if self._quiet:
            return
        try:
            self.load(change["new"])
        except Exception as exc:  # an unreadable ledger, a broken params file: say so, keep what works
            with self._hold():
                self.report_picker.value = change["old"]
            self.header.value = (self._header_html() + f"<div class='ps-banner'><b>Could not open {esc(Path(change['new']).name)}.</b> "
                                 f"{esc(type(exc).__name__)}: {esc(exc)}</div>")

    def _focus(self) -> str:
        return "" if self.unit.value in (None, ALL) else self.unit.value

    def _picked(self, change) -> None:
        """A click on a dot: pick that unit (the controls and tables follow)."""
        picked = change["new"].value
        if picked and picked[0].get("handling_unit") in [v for _, v in self.unit.options]:
            self.unit.value = picked[0]["handling_unit"]

    def _set_measure(self, change) -> None:
        """Show the other funnel (a parameter of the chart), and its verdicts in the overview."""
        self.funnel.params.measure = change["new"]
        self.redraw()

    def _first_page(self, _=None) -> None:
        self.page = 0
        self.redraw()

    def _turn(self, step: int) -> None:
        self.page += step
        self.redraw()

    # ---- drawing ---------------------------------------------------------------------------
    def redraw(self) -> None:
        """Show the current selection everywhere: proposals page, unit figures, charts' parameters,
        comparison, and the across-reports view when it is open."""
        if self._quiet:
            return
        ix, sel = self.index, self.selection
        self.rows = ix.select(sel)
        size = self.page_size.value
        pages = max(1, math.ceil(len(self.rows) / size))
        self.page = min(max(self.page, 0), pages - 1)
        start = self.page * size
        shown = ix.rows.iloc[self.rows[start:start + size]]
        self.table.value = proposals_html(shown, ix.report.params.result_scheme) if len(shown) else (
            "<p class='ps-note'>No proposal matches this selection.</p>")
        self.page_label.value = (f"<span class='ps-note'>{len(self.rows):,} proposals · rows {start + 1:,}–{start + len(shown):,} · "
                                 f"page {self.page + 1} of {pages}</span>" if len(self.rows) else "<span class='ps-note'>0 proposals</span>")
        self.prev_page.disabled = self.page == 0
        self.next_page.disabled = self.page >= pages - 1
        self.download.value = ""
        self.figures.value = self._figures_html(sel)
        with self.funnel.hold_sync():
            self.funnel.params.focus = self._focus()
            self.funnel.params.compare = list(self.compare.value)
        self.compare_table.value = self._compare_html()
        if self.tabs.selected_index == 2:
            self._draw_across()

    def _header_html(self) -> str:
        p = self.index.report.params
        banner = ""
        if p.synthetic_fields:
            banner = (f"<div class='ps-banner'><b>Synthetic data.</b> These ledger fields are synthetic: {esc(', '.join(p.synthetic_fields))}. "
                      f"Figures computed from them describe the synthetic data, not the jurisdiction. {esc(p.synthetic_note)}</div>")
        if self.index.report.ledger.rows_read == 0:
            banner += "<div class='ps-banner'><b>Empty ledger.</b> The ledger has a header but no rows: there is nothing to explore.</div>"
        rejected = len(self.index.report.ledger.rejected)
        if rejected:
            read = self.index.report.ledger.rows_read
            said = (f"{rejected} ledger row of {read} failed validation and is not counted" if rejected == 1 else
                    f"{rejected} of {read} ledger rows failed validation and are not counted")
            banner += f"<div class='ps-banner'><b>Rows rejected.</b> {said} (the annual report lists them).</div>"
        return f"<h2>{esc(p.title)}</h2><p class='ps-note'>{esc(p.jurisdiction)} · {esc(p.body_label)} · {esc(p.session)} · {p.year}</p>{banner}"

    def _figures_html(self, sel: Selection) -> str:
        ix = self.index
        if sel.unit == ALL:
            pooled = ix.figures.drop_duplicates("figure")[["figure", "pooled", "pooled_undefined", "definition"]]
            pts = ix.funnel_points[ix.funnel_points["measure"] == self.measure.value]
            verdicts = pts["verdict"].value_counts()
            counts = " · ".join(f"{esc(v)} {n}" for v, n in verdicts.items())
            rows = [[(esc(r.figure), ""), (_pooled(r), "num"), (esc(r.definition), "def")] for r in pooled.itertuples()]
            return (f"<h3>All {len(ix.units)} units</h3><p class='ps-note'>Pick a unit in the list or click a dot on the funnel. "
                    f"Funnel verdicts ({esc(self.measure.value)}): {counts or 'none'}.</p>"
                    + _table([("Figure", "10em"), ("Pooled", "5em"), ("What it counts", "")], rows))
        u = ix.units.set_index("handling_unit").loc[sel.unit]
        t = ix.timeliness.loc[sel.unit]
        return (f"<h3>{esc(sel.unit)}</h3><p class='ps-note'>{u.proposals} proposals: {u.as_lead} as lead, {u.as_co_handler} as co-handler, "
                f"{u.separately} separately; figures over the {u.n} it replies to itself.</p>"
                + figures_html(explore.unit_figures(ix, sel.unit))
                + "<h3>Timeliness</h3>" + timeliness_html(t, ix.report.params.reply_deadline.describe()))

    def _compare_html(self) -> str:
        units = list(self.compare.value)
        if self._focus() and self._focus() not in units:
            units = [self._focus(), *units]
        if not units:
            return "<p class='ps-note'>No unit picked yet.</p>"
        df = explore.compare_units(self.index, units)
        figures = list(dict.fromkeys(df["figure"]))
        head = [("Figure", "9em"), *[(u, "") for u in units], ("Pooled", "5em")]
        rows = []
        for fig in figures:
            part = df[df["figure"] == fig].set_index("handling_unit")
            cells = []
            for u in units:
                r = part.loc[u]
                cells.append((f"<span class='ps-muted'>— {esc(r.undefined)}</span>" if r.undefined else
                              f"<b>{_pct(r.unit)}</b> ({r['count']} of {r.base})<br><span class='ps-muted'>{_pct(r.low)}–{_pct(r.high)}"
                              f"{' · ' + esc(r.verdict) if r.verdict else ''}</span>", ""))
            rows.append([(esc(fig), ""), *cells, (_pooled(part.iloc[0]), "num")])
        return _table(head, rows) + "<p class='ps-note'>Intervals are 95% Wilson intervals; overlapping intervals mean the counts cannot tell the units apart.</p>"

    def _draw_across(self) -> None:
        """The across-reports tab (drawn only while it is open: it may load other reports)."""
        if self.tabs.selected_index != 2:
            return
        from . import interactive

        p = self.index.report.params
        siblings = [path for path, q in self.annual if (q.jurisdiction, q.body) == (p.jurisdiction, p.body)]
        key = tuple(map(str, siblings))
        if self._trend_for != key:
            self._trend_for = key
            chart = interactive.trend_chart(explore.trend_table([self.index_of(s) for s in siblings]), focus=self._focus())
            if self.trend is None:
                self.trend = interactive.jupyter_chart(chart)
                self.trend_box.children = [self.trend]
            else:
                self.trend.chart = chart
        self.trend.params.focus = self._focus()
        if len(siblings) < 2:
            self.trend_table.value = (f"<p class='ps-note'>Only one year of {esc(p.jurisdiction)} is open: add the params files of other years "
                                      "(same jurisdiction and body) to see trends.</p>")
        elif not self._focus():
            self.trend_table.value = "<p class='ps-note'>Pick a unit to see its figures across years.</p>"
        else:
            t = explore.unit_trend([self.index_of(s) for s in siblings], self._focus())
            rows = [[(str(r.year), ""), (str(r.n), "num"), (_pct(r.a_share), "num"), (_pct(r.on_time_rate), "num"), (_pct(r.reply_rate), "num")]
                    for r in t.itertuples()]
            self.trend_table.value = "<div style='max-width:36rem'>" + _table([("Year", "5em"), ("n", "4em"), ("A share", ""), ("On time", ""), ("Replied", "")], rows) + "</div>" + (
                "<p class='ps-note'>Years in which the unit handled nothing are left out; the A share is each year's own scheme.</p>")
        self.side.value = self._side_html()

    def _side_html(self) -> str:
        corpus = None
        if self.show_corpus.value and self.audits:
            if self._corpus is None:
                from ..published.corpus import load_corpus

                self._corpus = load_corpus(self.audits[0])
            corpus = self._corpus
        df = explore.side_by_side([self.index_of(path) for path in self.side_reports.value], corpus)
        rows = []
        for r in df.itertuples(index=False):
            src = "ledger" + (" (synthetic)" if r.synthetic else "") if r.source == "ledger" else "published"
            rows.append([(esc(src), "ps-muted"), (esc(r.jurisdiction), ""), ("" if r.year != r.year or r.year is None else str(int(r.year)), "num"),
                         (esc(r.first_class), ""), (_pct(r.resolved_share, 2) if r.comparable else f"<span class='ps-muted'>— {esc(r.note)}</span>", ""),
                         (_pct(r.reply_rate, 2), "num")])
        intro = ("<p class='ps-note'>The share of proposals each report counts as resolved, through its own scheme: only classes whose label "
                 "means resolved (已解决/基本解决) count. A report whose first class also covers “being solved” (正在解决) or “partly solved” "
                 "(部分解决) is not comparable, and says so. Ledger rows are computed from the ledgers opened here; published rows as printed.</p>")
        return intro + "<div class='ps-scroll'>" + _table([("Source", "7em"), ("Jurisdiction", "16em"), ("Year", "3.5em"), ("First class as printed", ""),
                                                           ("Resolved share", "14em"), ("Reply rate", "5em")], rows) + "</div>"

    @staticmethod
    def _about_html() -> str:
        items = "".join(f"<dt><b>{esc(k)}</b></dt><dd>{esc(v)}</dd>" for k, v in explore.DEFINITIONS.items())
        return ("<h3>What the figures mean</h3><dl>" + items + "</dl><p class='ps-note'>Rates are rounded half-up to one decimal. "
                "Funnel limits: Spiegelhalter, Stat Med 2005;24:1185–1202 (exact binomial, interpolated); intervals: Wilson 1927. "
                "Nothing here is a ranking: a unit inside the limits is not distinguishable from the others.</p>")

    # ---- font ------------------------------------------------------------------------------
    def _embed_font(self) -> None:
        """Embed the bundled CJK font, cut to every character the open reports can show (done again
        only when a report brings new characters)."""
        ix = self.index
        texts = [self._about_html(), "".join(explore.ROLE_LABELS.values()), *(str(v) for v in ix.report.params.model_dump().values())]
        for col in ("title", "topic", "lead_unit", "co_handling_units"):
            texts.append("".join(ix.rows[col].unique()))
        texts.append("".join(ix.unit_names))
        texts += [lbl for _, p in self.annual for lbl in (self._report_label(p),)]
        new = set(characters_needing_font("".join(texts)) + "、·—–") - self._chars
        if not new and self.style.value:
            return
        self._chars |= new
        font = base64.b64encode(subset_font("".join(sorted(self._chars)))).decode("ascii")
        self.style.value = embed_css(font) + "<style>" + CSS % {"font": TEXT_FONT} + "</style>"  # the subset is WOFF

    # ---- export ----------------------------------------------------------------------------
    def export(self, kind: str) -> bytes:
        """The current selection (every row, in the order shown) as ``"csv"`` or ``"xlsx"`` bytes, written
        by :mod:`proposal_stats.reporting.exports` (formula-looking text neutralised, one rounding
        rule); also offered as a download link under the table. The workbook adds the unit's figures
        and an about sheet (report, selection, provenance)."""
        import tempfile

        from .exports import About, Table, write_csv, write_workbook

        if kind not in ("csv", "xlsx"):
            raise ValueError(f"export as csv or xlsx, not {kind!r}")
        ix, sel = self.index, self.selection
        p = ix.report.params
        self.download.value = f"<span class='ps-note'>Preparing {len(self.rows):,} proposals…</span>"
        picked = ", ".join(f"{k} = {v}" for k, v in vars(sel).items() if v not in (ALL, False, "proposal_id"))
        frame = ix.rows.iloc[self.rows].reset_index(drop=True)
        tables = [Table("selection", frame, about=f"the proposals selected ({picked or 'all government-system proposals'}), one row each",
                        days=("days",))]
        if sel.unit != ALL:
            figs = explore.unit_figures(ix, sel.unit).rename(columns={"unit": "rate", "low": "interval_low", "high": "interval_high"})
            tables.append(Table("unit_figures", figs, about=f"{sel.unit}: each figure, its count and base, 95% Wilson interval, pooled rate",
                                percent=("rate", "interval_low", "interval_high", "pooled"), places=1))
        stem = f"{p.report_id}-selection"
        prov = ix.report.provenance()
        with tempfile.TemporaryDirectory(prefix="ps-export-") as tmp:
            path = Path(tmp) / f"{stem}.{kind}"
            if kind == "csv":
                write_csv(tables[0], path)
            else:
                notes = [f"Selection: {picked or 'all government-system proposals'}."]
                if p.synthetic_fields:
                    notes.append(f"SYNTHETIC data: these ledger fields are synthetic: {', '.join(p.synthetic_fields)}. {p.synthetic_note}")
                write_workbook(tables, path, About(title=p.title, provenance=tuple((k, str(v)) for k, v in prov.items()), notes=tuple(notes)))
            data = path.read_bytes()
        mime = "text/csv" if kind == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        self.download.value = (f"<a download='{esc(path.name)}' href='data:{mime};base64,{base64.b64encode(data).decode('ascii')}'>"
                               f"Download {esc(path.name)}</a> <span class='ps-note'>({len(self.rows):,} proposals)</span>")
        return data
