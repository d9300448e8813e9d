"""Charts, and the one place where the CJK font is registered.

A fresh machine has no CJK font, so Chinese labels would draw as empty boxes with "Glyph … missing"
warnings. The project brings Noto Sans CJK (SIL Open Font License 1.1) through the PyPI package
``notojp-matplotlib``: we read its font file and register it here; we never import that package
(importing it would change matplotlib's global rc settings behind our back). Noto Sans CJK is a
pan-CJK face: it covers GB 18030 including CJK Extension A (e.g. 䶮); for the few unified Han
characters whose regional forms differ, this build draws the Japanese form.

:func:`set_theme` is the only theming entry point: it calls :func:`seaborn.set_theme` and then puts
the CJK font first in the sans-serif list, because ``sns.set_theme()`` resets the font family.
"""

from __future__ import annotations

import base64
import html
import io
from functools import cache
from importlib import metadata
from pathlib import Path

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib import font_manager

CJK_FAMILY = "Noto Sans CJK JP"
_FONT_DISTRIBUTION = "notojp-matplotlib"
PALETTE = ["#2f6f9f", "#e0a030", "#b8483d", "#6a8f4e", "#7a6aa8"]


@cache
def cjk_font_path() -> Path:
    """Path of the bundled Noto Sans CJK Regular font file.

    Raises:
        RuntimeError: the ``notojp-matplotlib`` distribution is not installed or has no .otf file.
    """
    try:
        files = metadata.files(_FONT_DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        raise RuntimeError(f"the CJK font package {_FONT_DISTRIBUTION!r} is not installed") from None
    for f in files:
        if f.name.endswith(".otf"):
            return Path(str(f.locate()))
    raise RuntimeError(f"{_FONT_DISTRIBUTION!r} has no .otf font file")


@cache
def register_cjk_font() -> str:
    """Add the CJK font to matplotlib's font manager (idempotent); return its family name."""
    font_manager.fontManager.addfont(str(cjk_font_path()))
    return CJK_FAMILY


def set_theme() -> None:
    """Apply the report theme: seaborn "whitegrid", the CJK font first, deterministic PNGs.

    Call it after any ``sns.set_theme()`` of your own; it survives that reset because it re-applies
    the font list last.
    """
    family = register_cjk_font()
    sns.set_theme(
        style="whitegrid",
        palette=PALETTE,
        rc={
            "font.family": ["sans-serif"],
            "font.sans-serif": [family, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "figure.figsize": (7.5, 3.6),
        },
    )


def show(fig, alt: str) -> None:
    """Display a figure in the notebook as an embedded PNG with alternative text, then close it.

    Args:
        fig: a matplotlib Figure.
        alt: what the chart shows, for screen readers (HTML-escaped here).

    One render (the inline backend's ``bbox_inches="tight"`` would draw every figure twice), and the
    PNG carries no timestamp, so the same inputs give byte-identical reports.
    """
    from IPython.display import HTML, display

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    display(HTML(f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'))


def category_chart(categories, title: str):
    """Horizontal bar chart of result categories.

    Args:
        categories: ``Headline.categories`` (code, label, count, share in percent).
        title: chart title.

    Returns:
        The matplotlib Figure (one Axes); bars are labelled "count (share%)", first category on top.
    """
    set_theme()
    labels = [f"{c.code} · {c.label}" for c in categories]
    counts = [c.count for c in categories]
    height = 0.6 + 0.55 * len(labels)
    fig, ax = plt.subplots(figsize=(7.5, max(2.2, height)))
    # Plain bars (no seaborn estimator): the values are counts, so no error bars and no bootstrap.
    ax.barh(labels, counts, color=[PALETTE[i % len(PALETTE)] for i in range(len(labels))], height=0.7)
    ax.invert_yaxis()  # first category on top
    for i, c in enumerate(categories):
        text = f"{c.count}" + ("" if c.share is None else f" ({c.share:.2f}%)")
        ax.text(c.count, i, f" {text}", va="center", ha="left", fontsize=10,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})
    ax.set_xlim(0, max(counts + [1]) * 1.25)
    ax.set_xlabel("proposals")
    ax.set_ylabel("")
    ax.set_title(title, loc="left", fontsize=12)
    sns.despine(ax=ax, left=True)
    fig.tight_layout()
    return fig


def comparison_chart(comparison, title: str):
    """Horizontal bars of the comparable resolved shares (percent), one per report.

    Args:
        comparison: :meth:`CorpusReport.comparison_table` (``id``, ``resolved_share``, ``comparable``).
        title: chart title.

    Returns:
        The Figure; reports that do not compare are left out (the table beside it says why).
    """
    set_theme()
    df = comparison[comparison["comparable"]].sort_values("resolved_share")
    fig, ax = plt.subplots(figsize=(7.5, max(2.2, 0.32 * len(df) + 1.0)))
    ax.barh(df["id"], df["resolved_share"], color=PALETTE[0], height=0.6)
    for i, v in enumerate(df["resolved_share"]):
        ax.text(v, i, f" {v:.2f}%", va="center", fontsize=9, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
    ax.set_xlim(0, 110)
    ax.set_xlabel("share printed as resolved (%)")
    ax.tick_params(axis="y", labelsize=8)
    ax.set_title(title, loc="left", fontsize=12)
    sns.despine(ax=ax, left=True)
    fig.tight_layout()
    return fig


def trend_chart(trends, title: str):
    """Proposals received and filed per year, one panel per jurisdiction with several years.

    Args:
        trends: :meth:`CorpusReport.trends_table` (``jurisdiction``, ``body``, ``year``, ``measure``, ``value``).
        title: figure title.

    Returns:
        The Figure (a row of panels; markers on every printed year, no interpolation implied).
    """
    set_theme()
    groups = list(trends.groupby(["jurisdiction", "body"], sort=True))
    n = max(1, len(groups))
    fig, axes = plt.subplots(1, n, figsize=(min(3.4 * n, 11), 3.2), squeeze=False)
    for ax, ((place, body), df) in zip(axes[0], groups):
        for i, (measure, part) in enumerate(df.groupby("measure")):
            part = part.sort_values("year")
            ax.plot(part["year"], part["value"], marker="o", color=PALETTE[i], label=measure)
        ax.set_title(f"{place} ({body})", fontsize=10)
        ax.set_xlabel("year")
        ax.legend(fontsize=8)
    fig.suptitle(title, x=0.01, ha="left", fontsize=12)
    fig.tight_layout()
    return fig
