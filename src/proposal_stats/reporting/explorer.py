"""The explorer: handling-unit performance, interactively, in JupyterLab or as a dashboard.

``notebooks/explore.ipynb`` shows ``Explorer(params)``; ``proposal-stats explore`` serves that
notebook with Voilà (no code cells; :mod:`proposal_stats.reporting.dashboard`). All figures come
from :mod:`proposal_stats.stats.explore`; this module only lays out widgets and turns figures into
escaped HTML.

One widget tree, updated in place: every control change redraws the same areas (no second copy of
an old selection anywhere on the page). A redraw recomputes the selection from the report's
:class:`~proposal_stats.stats.explore.ReportIndex` (built once per report), writes one page of the
proposals table and the unit's figures, and sets the charts' parameters — the charts themselves are
drawn once per report (``benchmarks/bench_explore.py`` times the whole redraw). Opening a report
keeps the controls on the page and says that it is opening it (the figures dim until it is open).

**Language.** The explorer speaks the report's language (its params file's ``language:``), or the
one it is given (``Explorer(language="zh-CN")``, ``proposal-stats explore --language``): every
label, definition, table header, verdict and chart word comes from the report's gettext catalogs
(:mod:`proposal_stats.reporting.i18n`), written once in English as ``Msg("…")``. Counts are whole
numbers and rates are rounded by the one rule (:mod:`proposal_stats.stats.metrics`).

**Chinese without a system font.** The explorer embeds the bundled Noto Sans CJK
(:mod:`proposal_stats.reporting.fonts`), cut down to the characters it can show: the open report's
whole text when it opens, then, after every redraw, whatever else any widget shows (another report,
the published corpus, a translated label) as one more ``@font-face`` slice for just those
characters. A slice is never replaced, so text already drawn never blanks while a font loads.
"""

from __future__ import annotations

import base64
import functools
import html
import json
import math
import os
import traceback
from contextlib import contextmanager
from pathlib import Path

import ipywidgets as w
import pandas as pd

from ..messages import Msg
from ..stats import explore
from ..stats.explore import ALL, NO_CATEGORY, NOT_REPLIED, ReportIndex, Selection
from ..stats.metrics import count_text, percent_text
from .fonts import EMBEDDED_FAMILY, characters_needing_font, embed_css, open_font, subset_font
from .i18n import SOURCE_LANGUAGE, Translator, UnknownLanguage, check_language
from .vocabulary import TERMS, cell_words, column, column_label, term


def esc(value) -> str:
    """HTML-escape any value's text (quotes included); ``None`` is empty."""
    return html.escape("" if value is None else str(value), quote=True)


#: Environment variables through which ``proposal-stats explore`` names the params files to open
#: (joined with ``os.pathsep``) and the language; the notebook's parameters win when set.
PARAMS_ENV = "PROPOSAL_STATS_EXPLORE"
LANGUAGE_ENV = "PROPOSAL_STATS_EXPLORE_LANGUAGE"
PAGE_SIZES = (25, 50, 100, 200)
TEXT_FONT = f"'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', 'Source Han Sans SC', '{EMBEDDED_FAMILY}', system-ui, sans-serif"

CSS = """
.ps-x, .ps-x select, .ps-x input, .ps-x button, .ps-x .widget-label, .ps-x .widget-html-content, .ps-x .lm-TabBar-tabLabel,
#vg-tooltip-element { font-family: %(font)s; }
.ps-x { max-width: 1180px; }
.ps-x .widget-html-content { line-height: 1.45; }
.ps-x h1 { font-size: 1.6rem; font-weight: 500; margin: 0.3rem 0 0.4rem; }
.ps-x h2 { font-size: 1.3rem; margin: 0.2rem 0; } .ps-x h3 { font-size: 1.05rem; margin: 0.7rem 0 0.3rem; }
.ps-x .ps-note { color: #4b5563; font-size: 0.86rem; } .ps-x .ps-banner { background: #fff4d6; border-left: 5px solid #e0a030;
  padding: 0.4rem 0.7rem; margin: 0.3rem 0; font-size: 0.9rem; }
.ps-x table.ps-t { border-collapse: collapse; width: 100%%; table-layout: fixed; font-size: 0.84rem; margin: 0.2rem 0 0.5rem; }
.ps-x table.ps-t th, .ps-x table.ps-t td { border: 1px solid #d6dae1; padding: 0.2rem 0.35rem; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; white-space: normal; }
.ps-x table.ps-t th { background: #eef1f6; font-weight: 600; overflow-wrap: normal; }
.ps-x table.ps-t td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.ps-x table.ps-t td.date { white-space: nowrap; font-variant-numeric: tabular-nums; }
.ps-x table.ps-t td.why { color: #5b6472; white-space: normal; }
.ps-x table.ps-t td.def, .ps-x .ps-muted { color: #5b6472; } .ps-x .ps-def { color: #5b6472; font-size: 0.78rem; } .ps-x .ps-bad { color: #b3261e; font-weight: 600; }
.ps-x .ps-ok { color: #1e7b34; font-weight: 600; }
.ps-x .ps-scroll { max-height: 420px; overflow-y: auto; }
.ps-x .ps-opening { color: #1d4f91; font-size: 0.9rem; padding: 0.15rem 0; }
.ps-x .ps-opening::before { content: ""; display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.45em; vertical-align: -0.1em;
  border: 2px solid #9db7dd; border-top-color: #1d4f91; border-radius: 50%%; animation: ps-spin 0.8s linear infinite; }
@keyframes ps-spin { to { transform: rotate(360deg); } }
.ps-x.ps-busy { cursor: progress; } .ps-x.ps-busy .ps-result { opacity: 0.45; transition: opacity 0.15s; }
"""

#: Proposals table: column, header (a message), width.
TABLE_COLUMNS = (
    ("proposal_id", Msg("Id"), "4.5em"), ("title", Msg("Title"), "24%"), ("topic", Msg("Topic"), "5.5em"),
    ("lead_unit", Msg("Lead unit"), "11%"), ("co_handling_units", Msg("Co-handlers"), "11%"),
    ("assigned_at", Msg("Assigned"), "6.6em"), ("due_at", Msg("Due"), "6.6em"), ("replied_at", Msg("Replied on"), "6.6em"),
    ("days", Msg("Days"), "3.8em"), ("on_time", Msg("On time"), "4.2em"), ("result", Msg("Result"), "9em"),
    ("satisfaction", Msg("Evaluation"), "7em"),
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


def report_language(params) -> str:
    """The language a report is explored in: its params file's ``language:`` when there is a catalog
    for it, else English (the annual report would refuse it; the explorer still opens)."""
    try:
        return check_language(params.language)
    except UnknownLanguage:
        return SOURCE_LANGUAGE


# ---- HTML pieces (escaped; words through the translator ``t``) ---------------------------------------

def _pct(x, places: int = 1) -> str:
    return percent_text(x, places)


def _note(text) -> str:
    """A note paragraph (the text escaped; no message inside an f-string, where the catalog
    extractor cannot see it)."""
    return f"<p class='ps-note'>{esc(text)}</p>"


def _h3(text) -> str:
    return f"<h3>{esc(text)}</h3>"


def _banner(title, text) -> str:
    return f"<div class='ps-banner'><b>{esc(title)}</b> {esc(text)}</div>"


def _gap(t: Translator) -> str:
    """What separates two sentences: a space, or nothing where sentences are not spaced (Chinese),
    as the catalog says (the report's own setting)."""
    return "" if t.pgettext("typography: answer yes or no", "sentences are separated by a space: yes") == "no" else " "


def _muted(text) -> str:
    return f"<span class='ps-muted'>{esc(text)}</span>"


def _why(text) -> str:
    """An undefined value: a dash and the reason (already in the reader's language)."""
    return f"<span class='ps-muted'>— {esc(text)}</span>"


def _pooled(r, t: Translator) -> tuple[str, str]:
    """The pooled rate as a cell (html, class), or why there is none (a cell that wraps)."""
    return (_why(t.value(r.pooled_undefined)), "why") if r.pooled_undefined else (_pct(r.pooled), "num")


def _date(x) -> str:
    return "—" if x is None or x is pd.NaT or x != x else str(x)[:10]


def _table(head: list[tuple[str, str]], rows: list[list[tuple[str, str]]]) -> str:
    """An HTML table of fixed layout: ``head`` is (label, width); cells are (escaped html, class)."""
    cols = "".join(f"<col style='width:{w}'>" if w else "<col>" for _, w in head)
    th = "".join(f"<th>{esc(h)}</th>" for h, _ in head)
    body = "".join("<tr>" + "".join(f"<td class='{c}'>{v}</td>" for v, c in row) + "</tr>" for row in rows)
    return f"<table class='ps-t'><colgroup>{cols}</colgroup><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def category_words(category, t: Translator) -> str:
    """What a scheme's category covers, in words: its normalised statuses ("resolved, being
    resolved"; "已解决、正在解决")."""
    return t.join([term("status", s) for s in category.statuses])


def proposals_html(rows: pd.DataFrame, scheme, t: Translator | None = None) -> str:
    """A page of the proposals table: no index column, titles wrapping, dates on one line, a result
    as its printed code and label (what it covers on hovering), and a word instead of every blank
    (``—``: not replied, no due date, not recorded)."""
    t = t or Translator()
    categories = {c.code: c for c in scheme.categories}
    yes, late, not_replied = t(Msg("yes")), t(Msg("late")), t(Msg("not replied"))
    body = []
    for r in rows.itertuples(index=False):
        replied = not (r.replied_at is pd.NaT or r.replied_at != r.replied_at)
        has_due = not (r.due_at is pd.NaT or r.due_at != r.due_at)
        cat = categories.get(r.result_category)
        if cat is not None:
            result = f"<span title='{esc(category_words(cat, t))}'><b>{esc(cat.code)}</b> · <span class='ps-muted'>{esc(cat.label)}</span></span>"
        elif r.result_category:
            result = esc(r.result_category)
        else:
            result = _why(t(Msg("no category")))
        on_time = (esc(yes) if r.on_time else f"<span class='ps-bad'>{esc(late)}</span>") if replied and has_due else (
            "<span class='ps-muted'>—</span>" if replied else f"<span class='ps-bad'>{esc(not_replied)}</span>")
        evaluation = esc(t.value(term("satisfaction", r.satisfaction))) if r.satisfaction else "<span class='ps-muted'>—</span>"
        body.append([
            (esc(r.proposal_id), ""), (esc(r.title) or "<span class='ps-muted'>—</span>", ""), (esc(r.topic) or "—", ""),
            (esc(r.lead_unit) or "—", ""), (esc(t.join([u for u in r.co_handling_units.split(";") if u])) or "—", ""),
            (_date(r.assigned_at), "date"), (_date(r.due_at), "date"), (_date(r.replied_at), "date"),
            (count_text(r.days), "num"), (on_time, ""), (result, ""), (evaluation, ""),
        ])
    return _table([(t(header), width) for _, header, width in TABLE_COLUMNS], body)


def _verdict(code: str, t: Translator) -> str:
    if not code:
        return _muted(t(Msg("not judged")))
    cls = "ps-bad" if code.startswith("below") else "ps-ok" if code.startswith("above") else ""
    return f"<span class='{cls}'>{esc(t.value(term('funnel', code)))}</span>"


def figure_name(figure: str, t: Translator) -> str:
    """A figure's name (``"A share"``, ``"reply rate"`` …) in the reader's language."""
    return t.gettext(explore.DEFINITIONS[figure][0]) if figure in explore.DEFINITIONS else figure


def _of(count, base, t: Translator) -> str:
    return t(Msg("%(count)s of %(base)s", count=count_text(count), base=count_text(base)))


def figures_html(figs: pd.DataFrame, t: Translator | None = None) -> str:
    """A unit's figures beside the pooled ones, each with its count, interval, verdict and definition;
    an undefined figure says why instead of showing a number."""
    t = t or Translator()
    rows = []
    for r in figs.itertuples(index=False):
        if r.undefined:
            value, interval = (_why(t.value(r.undefined)), "why"), ("", "")
        else:
            value = (f"<b>{_pct(r.unit)}</b><br><span class='ps-muted'>{esc(_of(r.count, r.base, t))}</span>", "")
            interval = (f"{_pct(r.low)}–{_pct(r.high)}", "num")
        rows.append([(f"{esc(figure_name(r.figure, t))}<br><span class='ps-def'>{esc(t.gettext(r.definition))}</span>", ""), value, interval,
                     _pooled(r, t), (_verdict(r.verdict, t), "")])
    return _table([(t(Msg("Figure: what it counts")), ""), (t(Msg("Unit")), "8.2em"), (t(Msg("95% interval")), "9em"),
                   (t(Msg("Pooled")), "6.5em"), (t(Msg("Verdict")), "6.2em")], rows)


def timeliness_html(row: pd.Series, deadline, t: Translator | None = None) -> str:
    """One unit's timeliness in words: counts as whole numbers, days rounded half-up to whole days,
    nothing undefined shown as a number. ``deadline``: the reply-deadline rule (a ``Msg``)."""
    t = t or Translator()
    n = {col: count_text(row[col]) for col in ("replied", "on_time", "late", "not_replied", "in_last_tenth")}
    if int(row["replied"]) == 0:
        days = t(Msg("no reply of its own yet")) if int(row["not_replied"]) else t(Msg("no proposal to reply to (co-handler only)"))
        sentence = t(Msg("Replied %(replied)s (on time %(on_time)s, late %(late)s), not replied %(not_replied)s; %(days)s.",
                         replied=n["replied"], on_time=n["on_time"], late=n["late"], not_replied=n["not_replied"], days=days))
    else:
        sentence = t(Msg("Replied %(replied)s (on time %(on_time)s, late %(late)s), not replied %(not_replied)s; days from assignment to "
                         "reply: median %(median)s, 90th percentile %(p90)s; %(k)s of %(replied)s replies came in the last tenth of the "
                         "time allowed (an even spread puts about 10%% there).",
                         replied=n["replied"], on_time=n["on_time"], late=n["late"], not_replied=n["not_replied"],
                         median=count_text(row["days_median"]), p90=count_text(row["days_p90"]), k=n["in_last_tenth"]))
    return f"<p>{esc(sentence)}{_gap(t)}" + _muted(t(Msg("Deadline rule: %(rule)s.", rule=deadline))) + "</p>"


def _dropdown(width: str = "auto") -> w.Dropdown:
    return w.Dropdown(layout=w.Layout(width=width), style={"description_width": "initial"})


def _walk(widget, skip=None):
    """``widget`` and every widget inside it (boxes, tabs), leaving out ``skip`` and what it holds."""
    if widget is skip:
        return
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child, skip)


class Explorer:
    """The explorer's widgets and what they do.

    Args:
        params: params files or folders (annual reports; a ``kind: published_audit`` params file adds
            the published corpus to the side-by-side view); default see :func:`find_params`.
        start: the params file to open first (default: the first annual one, by jurisdiction and year).
        page_size: rows per page of the proposals table.
        language: the language of every word shown (``en``, ``zh-CN``); default the
            ``PROPOSAL_STATS_EXPLORE_LANGUAGE`` environment variable, else each report's own
            ``language:`` (the words follow the report open).

    Attributes:
        widget: the whole explorer (display it, or display the Explorer itself).
        index: the current report's :class:`~proposal_stats.stats.explore.ReportIndex`.
        rows: positions (in ``index.rows``) of the current selection, in order.
        t: the :class:`~proposal_stats.reporting.i18n.Translator` of the words shown.

    Raises:
        FileNotFoundError: no params file found; ``ParamsError``/``LedgerError`` for a bad one;
        ``UnknownLanguage``: ``language`` has no catalog.
    """

    def __init__(self, params=None, start=None, page_size: int = PAGE_SIZES[0], language: str | None = None):
        from . import interactive

        language = language or os.environ.get(LANGUAGE_ENV) or None
        self.language = check_language(language) if language else None
        paths = find_params(params)
        self.annual = explore.annual_params_of(paths)
        if not self.annual:
            raise FileNotFoundError(f"no annual-report params file in {', '.join(map(str, paths))}")
        self.audits = explore.audit_params_of(paths)
        self._indexes: dict[str, ReportIndex] = {}
        self._chars: set[str] = set()
        self._chart_chars: dict[str, str] = {}
        self._corpus = None
        self._quiet = False
        self.page = 0
        start_path = str(Path(start).resolve()) if start else str(self.annual[0][0])
        if start_path not in {str(p) for p, _ in self.annual}:
            raise FileNotFoundError(f"{start}: not among the params files opened")
        self.t = Translator(self.language or report_language(dict((str(p), q) for p, q in self.annual)[start_path]))

        self.report_picker = _dropdown("100%")
        self.opening = w.HTML()  # "Opening …" while a report is being read
        self.problem = w.HTML()  # what went wrong in the last change, instead of a page silently left as it was
        self.unit = _dropdown("420px")
        self.role, self.result, self.topic, self.sort_by = _dropdown(), _dropdown(), _dropdown(), _dropdown()
        self.descending = w.Checkbox(indent=False, layout=w.Layout(width="auto"))
        self.page_size = w.Dropdown(options=PAGE_SIZES, value=page_size, layout=w.Layout(width="130px"), style={"description_width": "initial"})
        self.prev_page = w.Button(layout=w.Layout(width="auto"))
        self.next_page = w.Button(layout=w.Layout(width="auto"))
        self.page_label = w.HTML()
        self.measure = w.ToggleButtons(style={"button_width": "auto"})
        self.compare = w.SelectMultiple(rows=7, layout=w.Layout(width="420px"), style={"description_width": "initial"})
        self.export_csv = w.Button(layout=w.Layout(width="auto"))
        self.export_xlsx = w.Button(layout=w.Layout(width="auto"))
        self.download = w.HTML()
        self.side_reports = w.SelectMultiple(rows=min(6, len(self.annual)), layout=w.Layout(width="100%"), style={"description_width": "initial"})
        self.show_corpus = w.Checkbox(value=bool(self.audits), indent=False, disabled=not self.audits, layout=w.Layout(width="auto"))

        self.css = w.HTML("<style>" + CSS % {"font": TEXT_FONT} + "</style>")
        self.fonts = w.VBox([self.css], layout=w.Layout(display="none"))  # the CSS and the font slices: nothing to see
        self.header, self.figures, self.table, self.compare_table = w.HTML(), w.HTML(), w.HTML(), w.HTML()
        self.trend_table, self.side = w.HTML(), w.HTML()
        self.intro, self.compare_note, self.trend_title, self.side_title, self.funnel_note, self.about = (w.HTML() for _ in range(6))
        first = self.index_of(start_path)
        self.funnel = interactive.jupyter_chart(interactive.funnel_chart(first.funnel_points, first.funnel_lines, t=self.t))
        self.funnel.selections.observe(self._picked, ["pick"])
        self._funnel_for = (first, self.t.language)
        self.trend, self._trend_for = None, None
        self.trend_box = w.VBox([])

        tabs = w.Tab(children=[
            w.VBox([w.HBox([self.sort_by, self.descending, self.page_size, self.prev_page, self.next_page, self.page_label],
                           layout=w.Layout(flex_flow="row wrap", align_items="center")),
                    self.table, w.HBox([self.export_csv, self.export_xlsx, self.download], layout=w.Layout(align_items="center"))]),
            w.VBox([self.compare_note, self.compare, self.compare_table]),
            w.VBox([self.trend_title, self.trend_box, self.trend_table, self.side_title, self.side_reports, self.show_corpus, self.side]),
            self.about,
        ])
        self.tabs = tabs
        controls = w.VBox([self.report_picker, self.opening, self.problem,
                           w.HBox([self.unit, self.role, self.result, self.topic], layout=w.Layout(flex_flow="row wrap"))])
        chart_box = w.VBox([self.measure, self.funnel, self.funnel_note], layout=w.Layout(width="620px"))
        figures_box = w.VBox([self.figures], layout=w.Layout(flex="1 1 420px"))
        for area in (chart_box, figures_box, tabs, self.header):
            area.add_class("ps-result")  # dimmed while a report opens
        self.widget = w.VBox([self.fonts, self.intro, self.header, controls, w.HBox([chart_box, figures_box], layout=w.Layout(flex_flow="row wrap")), tabs])
        self.widget.add_class("ps-x")
        self._words()

        said = self._says_errors
        self.report_picker.observe(said(self._pick_report), "value")
        for control in (self.unit, self.role, self.result, self.topic, self.sort_by, self.descending):
            control.observe(said(self._first_page), "value")
        self.page_size.observe(said(self._first_page), "value")
        self.prev_page.on_click(said(lambda _: self._turn(-1)))
        self.next_page.on_click(said(lambda _: self._turn(1)))
        self.measure.observe(said(self._set_measure), "value")
        self.compare.observe(said(lambda _: self.redraw()), "value")
        self.export_csv.on_click(said(lambda _: self.export("csv")))
        self.export_xlsx.on_click(said(lambda _: self.export("xlsx")))
        self.show_corpus.observe(said(lambda _: self._draw_across()), "value")
        self.side_reports.observe(said(lambda _: self._draw_across()), "value")
        tabs.observe(said(lambda _: self._draw_across()), "selected_index")
        self.load(start_path)

    # ---- words -----------------------------------------------------------------------------
    def _words(self) -> None:
        """Every fixed word of the widgets, in the current language (again when it changes)."""
        t = self.t
        with self._hold():
            for widget, label in ((self.report_picker, Msg("Report")), (self.unit, Msg("Handling unit")), (self.role, Msg("Role")),
                                  (self.result, Msg("Result")), (self.topic, Msg("Topic")), (self.sort_by, Msg("Sort by")),
                                  (self.descending, Msg("descending")), (self.prev_page, Msg("◀ previous")),
                                  (self.next_page, Msg("next ▶")), (self.compare, Msg("Compare")), (self.export_csv, Msg("Export CSV")),
                                  (self.export_xlsx, Msg("Export XLSX")), (self.show_corpus, Msg("include the published corpus"))):
                widget.description = t(label)
            self.page_size.description = t.pgettext("explorer control", "rows per page")
            self.side_reports.description = t.pgettext("explorer control", "Reports")
            labels = [self._report_label(p) for _, p in self.annual]
            # two reports that read alike (an anonymised copy, a re-issue) are told apart by their id
            reports = [(f"{label} · {p.report_id}" if labels.count(label) > 1 else label, str(path))
                       for label, (path, p) in zip(labels, self.annual)]
            picked, sides = self.report_picker.value, tuple(self.side_reports.value)
            self.report_picker.options = reports
            if picked is not None:
                self.report_picker.value = picked
            self.side_reports.options = reports
            self.side_reports.value = sides or tuple(v for _, v in reports)
            measure = self.measure.value or "A share"
            self.measure.options = [(figure_name(m, t), m) for m in explore.FUNNELS]
            self.measure.value = measure
        self.tabs.titles = (t.pgettext("explorer tab", "Proposals"), t.pgettext("explorer tab", "Compare units"),
                            t.pgettext("explorer tab", "Across reports"), t.pgettext("explorer tab", "Definitions"))
        self.intro.value = "<h1>" + esc(t(Msg("Explore handling-unit performance"))) + "</h1>" + _note(t(Msg(
            "Pick a report, a handling unit (listed by size, with its number of proposals), a role, a result and a topic — or click a "
            "unit's dot on the funnel plot; hover a dot for its figures. The unit's figures beside the pooled ones, its place on the "
            "funnel, its timeliness, its proposals, a comparison with other units and its figures across years follow. The proposals "
            "of the selection can be exported to CSV or Excel under the table.")))
        self.compare_note.value = _note(t(Msg("Pick units to compare (Ctrl- or Shift-click for several); they are named on the funnel.")))
        self.trend_title.value = _h3(t(Msg("The unit across years")))
        self.side_title.value = _h3(t(Msg("Jurisdictions side by side"))) + _note(
            t(Msg("The annual reports to set side by side (Ctrl- or Shift-click for several), and the published reports.")))
        self.funnel_note.value = "<p class='ps-note'>" + esc(t(Msg(
            "Each dot is a unit: its rate against its number of proposals. Dotted lines: 99.8%% limits; dashed: 95%% limits, around the "
            "pooled rate (solid line). A unit inside the limits is not distinguishable from the others; grey units have too few "
            "proposals to judge. Units at the same point are spread a little sideways and counted (%(mark)s); the tooltip names them. "
            "Hover a dot for its figures; click it to pick the unit.", mark="×3"))) + "</p>"
        self.about.value = self._about_html()

    def _report_label(self, p) -> str:
        lang, t = self.t.language, self.t
        label = t(Msg("%(jurisdiction)s · %(year)s · %(body)s · %(title)s", jurisdiction=p.text("jurisdiction", lang), year=str(p.year),
                      body=term("body", p.body), title=p.text("title", lang)))
        return t(Msg("%(report)s · SYNTHETIC data", report=label)) if p.synthetic_fields else label

    def _says_errors(self, handler):
        """``handler`` for a control: an exception it raises is said on the page, under the report
        control (a widget's callback error is otherwise only in the kernel's log, and a dashboard
        would keep showing the previous selection as if it were this one); its traceback goes to
        the log. The next change that succeeds clears it."""
        @functools.wraps(handler)
        def run(*args):
            try:
                handler(*args)
            except Exception as exc:
                traceback.print_exc()
                self.problem.value = _banner(self.t(Msg("Could not show this selection.")), f"{type(exc).__name__}: {exc}")
                self._ensure_font()
            else:
                self.problem.value = ""
        return run

    # ---- state -----------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

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
        return Selection(unit=self.unit.value or ALL, result=self.result.value or ALL, topic=self.topic.value or ALL,
                         role=self.role.value or ALL, sort_by=self.sort_by.value or "proposal_id", descending=self.descending.value)

    @contextmanager
    def _hold(self):
        """Set several controls without a redraw for each."""
        quiet, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = quiet

    @contextmanager
    def _opening(self, what: str):
        """Say what is being opened, under the report control, and dim the figures until it is done;
        the controls stay on the page (the kernel answers a change once the report is open)."""
        self.widget.add_class("ps-busy")
        self.opening.value = f"<div class='ps-opening'>{esc(what)}</div>"
        try:
            yield
        finally:
            self.widget.remove_class("ps-busy")
            self.opening.value = ""

    def _options(self, ix: ReportIndex) -> dict[str, list[tuple[str, str]]]:
        """Each control's ``(label, value)`` pairs in the current language, led by "(all)"."""
        t, choices = self.t, ix.choices()
        everything = t(Msg("(all)"))
        scheme = {c.code: c for c in ix.report.params.result_scheme.categories}
        results = []
        for code, n in choices["result"]:
            if code == NOT_REPLIED:
                results.append((t(Msg("not replied · %(n)s", n=count_text(n))), code))
            elif code == NO_CATEGORY:
                results.append((t(Msg("replied, no category · %(n)s", n=count_text(n))), code))
            else:
                c = scheme[code]
                results.append((t(Msg("%(code)s · %(label)s (%(covers)s) · %(n)s", code=code, label=c.label, covers=category_words(c, t),
                                      n=count_text(n))), code))
        return {
            "unit": [(t(Msg("%(all)s · %(n)s units", all=everything, n=count_text(len(choices["unit"])))), ALL)]
                    + [(f"{u} · {count_text(n)}", u) for u, n in choices["unit"]],
            "result": [(everything, ALL), *results],
            "topic": [(everything, ALL)] + [(f"{tp} · {count_text(n)}", tp) for tp, n in choices["topic"]],
            "role": [(everything, ALL)] + [(t.value(term("role", r)), r) for r, _ in choices["role"]],
            "sort_by": [(column_label(k, t.language), k) for k, _ in choices["sort_by"]],
        }

    def load(self, path) -> None:
        """Open a report: its words (when its language differs), its controls (keeping each choice
        the new report also has), its charts, its font; then redraw."""
        from . import interactive

        ix = self.index_of(path)
        self.index = ix
        language = self.language or report_language(ix.report.params)
        if language != self.t.language:
            self.t = Translator(language)
            self._words()
        before = self.selection if self.unit.options else Selection()
        compared = list(self.compare.value)
        opts = self._options(ix)
        with self._hold():
            for control, name, keep in ((self.unit, "unit", before.unit), (self.role, "role", before.role), (self.result, "result", before.result),
                                        (self.topic, "topic", before.topic), (self.sort_by, "sort_by", before.sort_by)):
                values = [v for _, v in opts[name]]
                control.options = opts[name]
                control.value = keep if keep in values else values[0]
            self.compare.options = opts["unit"][1:]
            self.compare.value = tuple(u for u in compared if ix.has_unit(u))
            self.report_picker.value = str(Path(path).resolve())
            self.page = 0
        if self._funnel_for != (ix, language):  # a new report or language: a new chart (a selection only sets its parameters)
            self._funnel_for = (ix, language)
            self.funnel.chart = interactive.funnel_chart(ix.funnel_points, ix.funnel_lines, measure=self.measure.value,
                                                         focus=self._focus(), compare=self.compare.value, t=self.t)
            self.funnel.selections.observe(self._picked, ["pick"])
        self._chart_chars["funnel"] = self._spec_characters(self.funnel)
        self.header.value = self._header_html()
        self.redraw(font_text=self._report_text(ix))

    def _pick_report(self, change) -> None:
        """Open the report picked; one that cannot be opened says why, and the current one stays."""
        if self._quiet:
            return
        label = dict((v, k) for k, v in self.report_picker.options).get(change["new"], Path(change["new"]).name)
        try:
            with self._opening(self.t(Msg("Opening %(report)s …", report=label))):
                self.load(change["new"])
        except Exception as exc:  # an unreadable ledger, a broken params file: say so, keep what works
            with self._hold():
                self.report_picker.value = change["old"]
            why = self.t(Msg("Could not open %(file)s.", file=Path(change["new"]).name))
            self.header.value = self._header_html() + _banner(why, f"{type(exc).__name__}: {exc}")
            self._ensure_font()

    def _focus(self) -> str:
        return "" if self.unit.value in (None, ALL) else self.unit.value

    def _picked(self, change) -> None:
        """A click on a dot: pick that unit (the controls and tables follow)."""
        picked = change["new"].value
        if picked and picked[0].get("handling_unit") in [v for _, v in self.unit.options]:
            self.unit.value = picked[0]["handling_unit"]

    def _set_measure(self, change) -> None:
        """Show the other funnel (a parameter of the chart), and its verdicts in the overview."""
        if self._quiet:
            return
        self.funnel.params.measure = change["new"]
        self.redraw()

    def _first_page(self, _=None) -> None:
        self.page = 0
        self.redraw()

    def _turn(self, step: int) -> None:
        self.page += step
        self.redraw()

    # ---- drawing ---------------------------------------------------------------------------
    def redraw(self, font_text: str = "") -> None:
        """Show the current selection everywhere: proposals page, unit figures, charts' parameters,
        comparison, and the across-reports view when it is open; then embed the characters shown
        that the font does not have yet (and those of ``font_text``: a report's text, when it opens)."""
        if self._quiet:
            return
        t, ix, sel = self.t, self.index, self.selection
        self.rows = ix.select(sel)
        size = self.page_size.value
        pages = max(1, math.ceil(len(self.rows) / size))
        self.page = min(max(self.page, 0), pages - 1)
        start = self.page * size
        shown = ix.rows.iloc[self.rows[start:start + size]]
        self.table.value = proposals_html(shown, ix.report.params.result_scheme, t) if len(shown) else (
            _note(t(Msg("No proposal matches this selection."))))
        self.page_label.value = "<span class='ps-note'>" + esc(t(Msg(
            "%(n)s proposals · rows %(first)s–%(last)s · page %(page)s of %(pages)s", n=count_text(len(self.rows)), first=count_text(start + 1),
            last=count_text(start + len(shown)), page=count_text(self.page + 1), pages=count_text(pages))) if len(self.rows) else
            t(Msg("%(n)s proposals", n="0"))) + "</span>"
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
        self._ensure_font(font_text)

    def _header_html(self) -> str:
        t, p, lang = self.t, self.index.report.params, self.t.language
        banner = ""
        if p.synthetic_fields:
            fields = [column(f) for f in p.synthetic_fields]
            sentences = (t.ngettext("This field is synthetic: %(fields)s.", "These fields are synthetic: %(fields)s.", len(fields), fields=fields),
                         t(Msg("Figures computed from them describe the synthetic data, not the jurisdiction.")), p.text("synthetic_note", lang))
            banner = _banner(t(Msg("Synthetic data.")), _gap(t).join(sentences))
        ledger = self.index.report.ledger
        if ledger.rows_read == 0:
            banner += _banner(t(Msg("Empty ledger.")), t(Msg("The ledger has a header but no rows: there is nothing to explore.")))
        if len(ledger.rejected):
            # (ngettext's count is shown as a plain number: the read count carries the thousands separator)
            banner += _banner(t(Msg("Rows rejected.")), t.ngettext(
                "%(num)s ledger row of %(read)s failed validation and is not counted (the annual report lists it).",
                "%(num)s of %(read)s ledger rows failed validation and are not counted (the annual report lists them).",
                len(ledger.rejected), read=count_text(ledger.rows_read)))
        identity = " · ".join(esc(x) for x in (p.text("jurisdiction", lang), t.value(term("body", p.body)), p.session, p.year))
        return f"<h2>{esc(p.text('title', lang))}</h2><p class='ps-note'>{identity}</p>{banner}"

    def _figures_html(self, sel: Selection) -> str:
        t, ix = self.t, self.index
        if sel.unit == ALL:
            pooled = ix.figures.drop_duplicates("figure")
            pts = ix.funnel_points[ix.funnel_points["measure"] == self.measure.value]
            verdicts = " · ".join(f"{t.value(term('funnel', v))} {count_text(n)}" for v, n in pts["verdict"].value_counts().items())
            rows = [[(esc(figure_name(r.figure, t)), ""), _pooled(r, t), (esc(t.gettext(r.definition)), "def")] for r in pooled.itertuples()]
            verdicts = verdicts or t(Msg("none"))
            intro = t(Msg("Pick a unit in the list or click a dot on the funnel. Funnel verdicts (%(measure)s): %(verdicts)s.",
                          measure=figure_name(self.measure.value, t), verdicts=verdicts))
            return (_h3(t(Msg("All %(n)s units", n=count_text(len(ix.units))))) + _note(intro)
                    + _table([(t(Msg("Figure")), "10em"), (t(Msg("Pooled")), "8em"), (t(Msg("What it counts")), "")], rows))
        u = ix.units.set_index("handling_unit").loc[sel.unit]
        intro = t(Msg("%(n)s proposals: %(lead)s as lead, %(co)s as co-handler, %(separate)s separately; figures over the %(own)s it replies to itself.",
                      n=count_text(u["proposals"]), lead=count_text(u["as_lead"]), co=count_text(u["as_co_handler"]),
                      separate=count_text(u["separately"]), own=count_text(u["n"])))
        return (f"<h3>{esc(sel.unit)}</h3><p class='ps-note'>{esc(intro)}</p>"
                + figures_html(explore.unit_figures(ix, sel.unit), t)
                + _h3(t(Msg("Timeliness"))) + timeliness_html(ix.timeliness.loc[sel.unit], ix.report.params.reply_deadline.describe(), t))

    def _compare_html(self) -> str:
        t = self.t
        units = list(self.compare.value)
        if self._focus() and self._focus() not in units:
            units = [self._focus(), *units]
        if not units:
            return _note(t(Msg("No unit picked yet.")))
        df = explore.compare_units(self.index, units)
        figures = list(dict.fromkeys(df["figure"]))
        head = [(t(Msg("Figure")), "9em"), *[(u, "") for u in units], (t(Msg("Pooled")), "8em")]
        rows = []
        for fig in figures:
            part = df[df["figure"] == fig].set_index("handling_unit")
            cells = []
            for u in units:
                r = part.loc[u]
                if r.undefined:
                    cells.append((_why(t.value(r.undefined)), "why"))
                else:
                    verdict = f" · {_verdict(r.verdict, t)}" if r.verdict else ""
                    cells.append((f"<b>{_pct(r.unit)}</b> ({esc(_of(r['count'], r.base, t))})<br>"
                                  f"<span class='ps-muted'>{_pct(r.low)}–{_pct(r.high)}</span>{verdict}", ""))
            rows.append([(esc(figure_name(fig, t)), ""), *cells, _pooled(part.iloc[0], t)])
        note = t(Msg("Intervals are 95% Wilson intervals; overlapping intervals mean the counts cannot tell the units apart."))
        return _table(head, rows) + f"<p class='ps-note'>{esc(note)}</p>"

    def _draw_across(self) -> None:
        """The across-reports tab (drawn only while it is open: it may load other reports)."""
        if self.tabs.selected_index != 2 or self._quiet:
            return
        from . import interactive

        t, p = self.t, self.index.report.params
        siblings = [path for path, q in self.annual if (q.jurisdiction, q.body) == (p.jurisdiction, p.body)]
        unopened = [path for path in [*siblings, *map(Path, self.side_reports.value)] if str(Path(path).resolve()) not in self._indexes]
        with self._opening(t(Msg("Opening %(n)s more reports …", n=len(unopened)))) if unopened else _nothing():
            key = (tuple(map(str, siblings)), t.language)
            if self._trend_for != key:
                self._trend_for = key
                chart = interactive.trend_chart(explore.trend_table([self.index_of(s) for s in siblings]), focus=self._focus(), t=t)
                if self.trend is None:
                    self.trend = interactive.jupyter_chart(chart)
                    self.trend_box.children = [self.trend]
                else:
                    self.trend.chart = chart
                self._chart_chars["trend"] = self._spec_characters(self.trend)
            self.trend.params.focus = self._focus()
            years = {q.year for path, q in self.annual if path in siblings}
            if len(years) < 2:
                self.trend_table.value = "<p class='ps-note'>" + esc(t(Msg(
                    "Only one year of %(jurisdiction)s is open: add the params files of other years (same jurisdiction and body) to see trends.",
                    jurisdiction=p.text("jurisdiction", t.language)))) + "</p>"
            elif not self._focus():
                self.trend_table.value = _note(t(Msg("Pick a unit to see its figures across years.")))
            else:
                trend = explore.unit_trend([self.index_of(s) for s in siblings], self._focus())
                rows = [[(esc(r.point), ""), (count_text(r.n), "num"), (_pct(r.a_share), "num"), (_pct(r.on_time_rate), "num"), (_pct(r.reply_rate), "num")]
                        for r in trend.itertuples()]
                head = [(t(Msg("Year")), "5em"), ("n", "4em"), (figure_name("A share", t), ""), (figure_name("on-time rate", t), ""),
                        (figure_name("reply rate", t), "")]
                self.trend_table.value = ("<div style='max-width:36rem'>" + _table(head, rows) + "</div><p class='ps-note'>"
                                          + esc(t(Msg("Years in which the unit handled nothing are left out; the A share is each year's own scheme.")))
                                          + "</p>")
            self.side.value = self._side_html()
        self._ensure_font()

    def _side_html(self) -> str:
        t = self.t
        corpus = None
        if self.show_corpus.value and self.audits:
            if self._corpus is None:
                from ..published.corpus import load_corpus

                self._corpus = load_corpus(self.audits[0])
            corpus = self._corpus
        df = explore.side_by_side([self.index_of(path) for path in self.side_reports.value], corpus, language=t.language)
        ledger, synthetic, published = t(Msg("ledger")), t(Msg("ledger (synthetic)")), t(Msg("published"))
        rows = []
        for r in df.itertuples(index=False):
            src = (synthetic if r.synthetic else ledger) if r.source == "ledger" else published
            share = (_pct(r.resolved_share, 2), "num") if r.comparable else (_why(t.value(r.note)), "why")
            rows.append([(esc(src), "ps-muted"), (esc(t.value(r.jurisdiction)), ""), ("" if r.year != r.year or r.year is None else str(int(r.year)), "num"),
                         (esc(r.first_class), ""), share, (_pct(r.reply_rate, 2), "num")])
        intro = t(Msg("The share of proposals each report counts as resolved, through its own scheme: only classes whose label means resolved "
                      "(已解决/基本解决) count. A report whose first class also covers “being solved” (正在解决) or “partly solved” (部分解决) is "
                      "not comparable, and says so. Ledger rows are computed from the ledgers opened here; published rows as printed."))
        head = [(t(Msg("Source")), "7em"), (column_label("jurisdiction", t.language), "16em"), (column_label("year", t.language), "3.5em"),
                (column_label("first_class", t.language), ""), (column_label("resolved_share", t.language), "14em"),
                (column_label("reply_rate", t.language), "5em")]
        return f"<p class='ps-note'>{esc(intro)}</p><div class='ps-scroll'>" + _table(head, rows) + "</div>"

    def _about_html(self) -> str:
        t = self.t
        items = "".join(f"<dt><b>{esc(t.gettext(name))}</b></dt><dd>{esc(t.gettext(text))}</dd>" for name, text in explore.DEFINITIONS.values())
        note = t(Msg("Rates are rounded half-up to one decimal; counts are whole numbers. Funnel limits: Spiegelhalter, Stat Med "
                     "2005;24:1185–1202 (exact binomial, interpolated); intervals: Wilson 1927. Nothing here is a ranking: a unit inside "
                     "the limits is not distinguishable from the others."))
        return _h3(t(Msg("What the figures mean"))) + f"<dl>{items}</dl>" + _note(note)

    # ---- font ------------------------------------------------------------------------------
    def _report_text(self, ix: ReportIndex) -> str:
        """Every text of a report the explorer may show later (any page of its proposals, any unit,
        its scheme and params, the words for its codes), so that one slice of the font covers it."""
        texts = [str(v) for v in ix.report.params.model_dump().values()]
        texts += [str(self.t.value(term(kind, code))) for kind in ("satisfaction", "role", "status", "funnel") for code in TERMS[kind]]
        for col in ("title", "topic", "lead_unit", "co_handling_units"):
            texts.append("".join(ix.rows[col].unique()))
        texts.append("".join(ix.unit_names))
        return "".join(texts)

    @staticmethod
    def _spec_characters(chart) -> str:
        """The characters a chart widget can draw (its specification: data, axes, legends, tooltips)."""
        return characters_needing_font(json.dumps(chart.spec, ensure_ascii=False, default=str))

    def shown_text(self) -> str:
        """All text the widgets show or can show: HTML, labels, every option of every control, tab
        titles, and the charts' words and data (their tooltips included)."""
        parts = []
        for x in _walk(self.widget, skip=self.fonts):
            for attr in ("value", "description", "tooltip", "placeholder"):
                v = getattr(x, attr, None)
                if isinstance(v, str):
                    parts.append(v)
            parts += [str(o) for o in getattr(x, "_options_labels", ())]
            parts += [str(o) for o in (getattr(x, "titles", None) or ())]
        return "".join(parts) + "".join(self._chart_chars.values())

    def _ensure_font(self, extra: str = "") -> None:
        """Embed the characters shown that the font slices do not cover yet, as one more slice (a
        ``@font-face`` with a ``unicode-range`` of just those characters; about 0.15 s)."""
        new = set(characters_needing_font(self.shown_text() + extra + "、·—–")) - self._chars
        if not new:
            return
        self._chars |= new
        chars = "".join(sorted(new))
        face = open_font()
        try:
            font = base64.b64encode(subset_font(chars, face)).decode("ascii")  # WOFF
        finally:
            face.close()
        self.fonts.children = (*self.fonts.children, w.HTML(embed_css(font, characters=chars, display="swap")))

    def _selection_words(self, sel: Selection) -> str:
        """The filters and order of ``sel`` in the reader's language, as the controls name them
        ("承办单位 = 市住建局、办理方式 = 主办（主办）"); "" when nothing is picked."""
        t = self.t
        results = {NOT_REPLIED: Msg("not replied"), NO_CATEGORY: Msg("replied, no category")}
        parts = [(column_label("handling_unit", t.language), sel.unit) if sel.unit != ALL else None,
                 (t(Msg("Role")), t.value(term("role", sel.role))) if sel.role != ALL else None,
                 (t(Msg("Result")), t.value(results.get(sel.result, sel.result))) if sel.result != ALL else None,
                 (t(Msg("Topic")), sel.topic) if sel.topic != ALL else None,
                 (t(Msg("Sort by")), column_label(sel.sort_by, t.language) + (f" ({t(Msg('descending'))})" if sel.descending else ""))
                 if sel.sort_by != "proposal_id" or sel.descending else None]
        return t.join([f"{k} = {v}" for k, v in filter(None, parts)])

    # ---- export ----------------------------------------------------------------------------
    def export(self, kind: str) -> bytes:
        """The current selection (every row, in the order shown) as ``"csv"`` or ``"xlsx"`` bytes, written
        by :mod:`proposal_stats.reporting.exports` (formula-looking text neutralised, one rounding
        rule); also offered as a download link under the table. The workbook adds the unit's figures
        and an about sheet (report, selection, provenance); its headers are in the explorer's
        language (a CSV keeps the machine names)."""
        import tempfile

        from .exports import Table, about_sheet, write_csv, write_workbook

        if kind not in ("csv", "xlsx"):
            raise ValueError(f"export as csv or xlsx, not {kind!r}")
        t, ix, sel = self.t, self.index, self.selection
        p = ix.report.params
        self.download.value = _note(t(Msg("Preparing %(n)s proposals…", n=count_text(len(self.rows)))))
        picked = self._selection_words(sel)
        everything = t(Msg("all government-system proposals"))
        frame = ix.rows.iloc[self.rows].reset_index(drop=True)
        tables = [Table("selection", frame, about=t(Msg("the proposals selected (%(what)s), one row each", what=picked or everything)),
                        days=("days",))]
        if sel.unit != ALL:
            figs = explore.unit_figures(ix, sel.unit)
            figs = pd.DataFrame({  # as the explorer shows them: figures and verdicts in its language
                "figure": [figure_name(f, t) for f in figs["figure"]], "count": figs["count"], "base": figs["base"],
                "rate": figs["unit"], "rate_low": figs["low"], "rate_high": figs["high"], "pooled": figs["pooled"],
                "funnel_verdict": [t.value(term("funnel", v)) if v else "" for v in figs["verdict"]],
                "undefined": [t.value(x) for x in figs["undefined"]], "pooled_undefined": [t.value(x) for x in figs["pooled_undefined"]],
            })
            about = t(Msg("%(unit)s: each figure, its count and base, 95%% Wilson interval, pooled rate", unit=sel.unit))
            tables.append(Table("unit_figures", figs, about=about, percent=("rate", "rate_low", "rate_high", "pooled"), places=1))
        stem = f"{p.report_id}-selection"
        prov = ix.report.provenance()
        with tempfile.TemporaryDirectory(prefix="ps-export-") as tmp:
            path = Path(tmp) / f"{stem}.{kind}"
            if kind == "csv":
                write_csv(tables[0], path)
            else:
                notes = [t(Msg("Selection: %(what)s.", what=picked or everything))]
                if p.synthetic_fields:
                    synthetic = t(Msg("SYNTHETIC data: these ledger fields are synthetic: %(fields)s.", fields=[column(f) for f in p.synthetic_fields]))
                    notes.append(_gap(t).join((synthetic, p.text("synthetic_note", t.language))))
                write_workbook(tables, path, about_sheet(t, p.text("title", t.language), prov, notes, places=1),
                               labels=lambda c: column_label(c, t.language), say=t, words=cell_words(t.language))
            data = path.read_bytes()
        mime = "text/csv" if kind == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        link, count = t(Msg("Download %(file)s", file=path.name)), t(Msg("(%(n)s proposals)", n=count_text(len(self.rows))))
        self.download.value = (f"<a download='{esc(path.name)}' href='data:{mime};base64,{base64.b64encode(data).decode('ascii')}'>"
                               f"{esc(link)}</a> <span class='ps-note'>{esc(count)}</span>")
        return data


@contextmanager
def _nothing():
    yield
