"""Charts, and the one place where the CJK font is registered.

A fresh machine has no CJK font, so Chinese labels would draw as empty boxes with "Glyph … missing"
warnings. The project brings Noto Sans CJK (SIL Open Font License 1.1) as an OpenType collection
(:mod:`proposal_stats.reporting.fonts`); :func:`register_cjk_font` adds its faces to matplotlib and
every chart draws with the face of the report's ``chinese_glyphs`` (SC for simplified Chinese), so
the charts and the HTML text show the same regional forms. Noto Sans CJK covers GB 18030 including
CJK Extension A (e.g. 䶮).

Every word a chart shows (titles, axes, legends) goes through ``t``, a
:class:`~proposal_stats.reporting.i18n.Translator`, so a Chinese report has Chinese charts.

:func:`set_theme` is the only theming entry point: it calls :func:`seaborn.set_theme` and then puts
the CJK font first in the sans-serif list, because ``sns.set_theme()`` resets the font family.
"""

from __future__ import annotations

import base64
import html
import io
from functools import cache

import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
from matplotlib import font_manager, ticker

from ..messages import Msg
from ..stats.metrics import percent_text, round_half_up
from .fonts import cjk_font_path, family
from .i18n import Translator
from .vocabulary import term

PALETTE = ["#2f6f9f", "#e0a030", "#b8483d", "#6a8f4e", "#7a6aa8"]
ENGLISH = Translator()


@cache
def register_cjk_font() -> None:
    """Add the collection's faces (JP, KR, SC, TC, HK) to matplotlib's font manager (idempotent)."""
    font_manager.fontManager.addfont(str(cjk_font_path()))


def set_theme(glyphs: str = "simplified") -> None:
    """Apply the report theme: seaborn "whitegrid", the CJK face for ``glyphs`` first, deterministic PNGs.

    Call it after any ``sns.set_theme()`` of your own; it survives that reset because it re-applies
    the font list last.
    """
    register_cjk_font()
    sns.set_theme(
        style="whitegrid",
        palette=PALETTE,
        rc={
            "font.family": ["sans-serif"],
            "font.sans-serif": [family(glyphs), "DejaVu Sans"],
            "axes.unicode_minus": False,
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "figure.figsize": (7.5, 3.6),
        },
    )


def whole_ticks(axis) -> None:
    """Ticks at whole numbers only, printed without decimals, offset or scientific notation: for
    axes of counts, days and years (a year axis of two years would otherwise read 2014.5)."""
    axis.set_major_locator(ticker.MaxNLocator(integer=True, min_n_ticks=1))
    axis.set_major_formatter(ticker.StrMethodFormatter("{x:.0f}"))


def show(fig, alt: str, dpi: int = 110) -> None:
    """Display a figure in the notebook as an embedded PNG with alternative text, then close it.

    Args:
        fig: a matplotlib Figure.
        alt: what the chart shows, for screen readers (HTML-escaped here).

    One render (the inline backend's ``bbox_inches="tight"`` would draw every figure twice), and the
    PNG carries no timestamp, so the same inputs give byte-identical reports.
    """
    from IPython.display import HTML, display

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    display(HTML(f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'))


def category_chart(categories, title: str, t: Translator = ENGLISH, glyphs: str = "simplified"):
    """Horizontal bar chart of result categories.

    Args:
        categories: ``Headline.categories`` (code, label, count, share in percent).
        title: chart title.
        t: the report's language; glyphs: the regional forms of its Chinese (``chinese_glyphs``).

    Returns:
        The matplotlib Figure (one Axes); bars are labelled "count (share%)", first category on top.
    """
    set_theme(glyphs)
    labels = [f"{c.code} · {c.label}" for c in categories]
    counts = [c.count for c in categories]
    height = 0.6 + 0.55 * len(labels)
    fig, ax = plt.subplots(figsize=(7.5, max(2.2, height)))
    # Plain bars (no seaborn estimator): the values are counts, so no error bars and no bootstrap.
    ax.barh(labels, counts, color=[PALETTE[i % len(PALETTE)] for i in range(len(labels))], height=0.7)
    ax.invert_yaxis()  # first category on top
    for i, c in enumerate(categories):
        text = f"{c.count}" + ("" if c.share is None else f" ({percent_text(c.share)})")
        ax.text(c.count, i, f" {text}", va="center", ha="left", fontsize=10,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})
    ax.set_xlim(0, max(counts + [1]) * 1.25)
    whole_ticks(ax.xaxis)
    ax.set_xlabel(t(Msg("proposals")))
    ax.set_ylabel("")
    ax.set_title(title, loc="left", fontsize=12)
    sns.despine(ax=ax, left=True)
    fig.tight_layout()
    return fig


def comparison_chart(comparison, title: str, t: Translator = ENGLISH, glyphs: str = "simplified"):
    """Horizontal bars of the comparable resolved shares (percent), one per report.

    Args:
        comparison: :meth:`CorpusReport.comparison_table` (``id``, ``resolved_share``, ``comparable``).
        title: chart title.
        t, glyphs: as for :func:`category_chart`.

    Returns:
        The Figure; reports that do not compare are left out (the table beside it says why).
    """
    set_theme(glyphs)
    df = comparison[comparison["comparable"]].sort_values("resolved_share")
    fig, ax = plt.subplots(figsize=(7.5, max(2.2, 0.32 * len(df) + 1.0)))
    ax.barh(df["id"], df["resolved_share"], color=PALETTE[0], height=0.6)
    for i, v in enumerate(df["resolved_share"]):
        ax.text(v, i, f" {percent_text(v)}", va="center", fontsize=9, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
    ax.set_xlim(0, 110)
    ax.set_xlabel(t(Msg("share printed as resolved (%)")))
    ax.tick_params(axis="y", labelsize=8)
    ax.set_title(title, loc="left", fontsize=12)
    sns.despine(ax=ax, left=True)
    fig.tight_layout()
    return fig


def trend_chart(trends, title: str, t: Translator = ENGLISH, glyphs: str = "simplified"):
    """Proposals received and filed per year, one panel per jurisdiction with several years.

    Args:
        trends: :meth:`CorpusReport.trends_table` (``jurisdiction``, ``body``, ``year``, ``measure``, ``value``).
        title: figure title.
        t, glyphs: as for :func:`category_chart`.

    Returns:
        The Figure: panels two to a row, a marker on every printed year, and a line only between two
        years that follow each other (a missing year breaks the line: nothing is interpolated);
        at most six year labels per axis.
    """
    set_theme(glyphs)
    groups = list(trends.groupby(["jurisdiction", "body"], sort=True))
    n = max(1, len(groups))
    cols = min(2, n)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(7.5, 2.9 * rows), squeeze=False)
    for ax, ((place, body), df) in zip(axes.flat, groups):
        years = range(int(df["year"].min()), int(df["year"].max()) + 1)
        for i, (measure, part) in enumerate(df.groupby("measure")):
            # every year of the span, NaN where none is printed: matplotlib breaks the line there
            series = part.set_index(part["year"].astype(int))["value"].astype(float).reindex(years)
            ax.plot(list(years), series.to_numpy(), marker="o", markersize=4, color=PALETTE[i], label=t(term("measure", measure)))
        ax.set_title(f"{place} ({t(term('claims_body', body))})", fontsize=10)
        ax.xaxis.set_major_locator(ticker.MaxNLocator(nbins=5, integer=True, min_n_ticks=1))
        ax.xaxis.set_major_formatter(ticker.StrMethodFormatter("{x:.0f}"))
        whole_ticks(ax.yaxis)
        ax.tick_params(axis="both", labelsize=8)
        ax.set_xlabel(t(Msg("year")), fontsize=9)
        ax.legend(fontsize=8)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.suptitle(title, x=0.01, ha="left", fontsize=12)
    fig.tight_layout()
    return fig


def funnel_chart(table, k_col: str, n_col: str, target: float, verdict_col: str, title: str, xlabel: str, tau2: float = 0.0,
                 highlight: str | None = None, size: tuple[float, float] = (7.5, 4.2), t: Translator = ENGLISH, glyphs: str = "simplified"):
    """A funnel plot: each unit's rate (k / n, percent) against n, with 95% and 99.8% limits.

    Args:
        table: :func:`proposal_stats.stats.units.unit_performance` output.
        k_col, n_col: numerator and denominator columns.
        target: the proportion the limits are drawn around (pooled or benchmark).
        verdict_col: the unit's verdict column; "too few" units are drawn grey, without a label.
        title, xlabel: titles.
        tau2: over-dispersion τ² (0 = exact binomial limits).
        highlight: a unit to ring and label (the explorer's selection).
        size: figure size in inches.
        t, glyphs: as for :func:`category_chart`.

    Returns:
        The Figure. Only units outside the 95% limits are labelled (at most 12), staggered so labels
        do not overlap; with 5 to 100 units the plot stays readable.
    """
    set_theme(glyphs)
    fig, ax = plt.subplots(figsize=size)
    _funnel(ax, table, k_col, n_col, target, verdict_col, title, xlabel, tau2, t)
    row = table[(table["handling_unit"] == highlight) & (table[n_col] > 0)] if highlight else table.iloc[0:0]
    for r in row.itertuples():
        x, y = getattr(r, n_col), getattr(r, k_col) / getattr(r, n_col) * 100
        ax.scatter([x], [y], s=160, facecolors="none", edgecolors=PALETTE[1], linewidths=2, zorder=4)
        ax.annotate(highlight, (x, y), xytext=(8, -16), textcoords="offset points", fontsize=9, color=PALETTE[1])
    fig.tight_layout()
    return fig


def funnel_pair(table, panels, tau2: float = 0.0, t: Translator = ENGLISH, glyphs: str = "simplified"):
    """Two funnel plots side by side (one image, one render): ``panels`` is a pair of
    ``(k_col, n_col, target, verdict_col, title, xlabel)``; see :func:`funnel_chart`."""
    set_theme(glyphs)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, (k_col, n_col, target, verdict_col, title, xlabel) in zip(axes, panels):
        _funnel(ax, table, k_col, n_col, target, verdict_col, title, xlabel, tau2 if k_col == panels[0][0] else 0.0, t)
    fig.tight_layout()
    return fig


def _funnel(ax, table, k_col, n_col, target, verdict_col, title, xlabel, tau2, t: Translator) -> None:
    from ..stats.units import adjusted_limits, funnel_limits

    df = table[table[n_col] > 0]
    ax.set_title(title, loc="left", fontsize=12)
    if len(df) == 0 or target != target:
        ax.text(0.5, 0.5, t(Msg("no data")), ha="center", transform=ax.transAxes)
        return
    top = int(df[n_col].max()) + 1
    ns = sorted(set(range(1, min(top, 60) + 1)) | set(np.unique(np.geomspace(1, top, 240).astype(int))))  # every n up to 60, then a grid
    lim = adjusted_limits(target, ns, tau2) if tau2 > 0 else funnel_limits(target, ns)
    for col, style, label in (("lower_998", ":", t(Msg("99.8% limits"))), ("upper_998", ":", None), ("lower_95", "--", t(Msg("95% limits"))), ("upper_95", "--", None)):
        ax.plot(lim["n"], lim[col] * 100, style, color="#555555", linewidth=1, label=label)
    ax.axhline(target * 100, color="#555555", linewidth=1)
    few = df[verdict_col] == "too few"
    rate = df[k_col] / df[n_col] * 100
    # One legend entry per verdict shown, in its colour (a single "units" entry would take the colour of
    # whichever unit came first); grey: too few to judge.
    colours = {"within": PALETTE[0], "above 95%": PALETTE[3], "above 99.8%": PALETTE[3], "below 95%": PALETTE[2], "below 99.8%": PALETTE[2]}
    if few.any():
        ax.scatter(df.loc[few, n_col], rate[few], color="#bbbbbb", s=22, label=t(Msg("too few to judge")), zorder=2)
    for verdict, colour in colours.items():
        mine = df[verdict_col] == verdict
        if mine.any():
            ax.scatter(df.loc[mine, n_col], rate[mine], color=colour, s=28, zorder=3, label=t(term("funnel", verdict)))
    outliers = df[~few & (df[verdict_col] != "within")].sort_values(n_col)
    right = 0.8 * top
    for i, r in enumerate(outliers.head(12).itertuples()):
        n, y = getattr(r, n_col), getattr(r, k_col) / getattr(r, n_col) * 100
        # Inside the plot: above a low dot, below a high one, to the left near the right edge; staggered
        dy = (10 if y < 50 else -14) + (0 if i % 2 == 0 else (12 if y < 50 else -12))
        ax.annotate(getattr(r, "handling_unit"), (n, y), xytext=(-6 if n > right else 6, dy), textcoords="offset points", fontsize=8,
                    ha="right" if n > right else "left")
    whole_ticks(ax.xaxis)  # n: proposals
    ax.set_xlabel(xlabel)
    ax.set_ylabel("%")
    ax.set_ylim(max(0, min(rate.min(), lim["lower_998"].min() * 100) - 5), 101.5)
    ax.set_yticks([t for t in ax.get_yticks() if 0 <= t <= 100])  # a rate never exceeds 100%
    # Under the plot, never over it: the lower right is where units with many proposals and a low rate are
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, frameon=False)


def days_chart(times, title: str, t: Translator = ENGLISH, glyphs: str = "simplified"):
    """Histogram of days from assignment to reply, the deadline marked (the median allowed days)."""
    set_theme(glyphs)
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    days = times["days"].dropna()
    if len(days):
        ax.hist(days, bins=range(0, int(max(days.max(), times["allowed"].max()) + 8), 7), color=PALETTE[0], edgecolor="white")
        allowed = times["allowed"].dropna()
        if len(allowed):
            days_allowed = round_half_up(allowed.median(), 0)
            ax.axvline(allowed.median(), color=PALETTE[2], linewidth=2, label=t(Msg("deadline (%(days)s days)", days=days_allowed)))
            ax.legend(fontsize=8)
    whole_ticks(ax.xaxis)
    whole_ticks(ax.yaxis)
    ax.set_xlabel(t(Msg("days from assignment to reply")))
    ax.set_ylabel(t(Msg("proposals")))
    ax.set_title(title, loc="left", fontsize=12)
    fig.tight_layout()
    return fig
