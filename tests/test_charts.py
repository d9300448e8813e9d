"""Chinese renders as Chinese in charts, with the project's own font, on a machine without one."""

from __future__ import annotations

import warnings

import seaborn as sns
from matplotlib import font_manager

from proposal_stats.reporting import charts
from proposal_stats.stats.metrics import CategoryFigure


def test_cjk_font_comes_from_a_dependency_and_is_ofl():
    from importlib import metadata

    path = charts.cjk_font_path()
    assert path.is_file() and path.suffix == ".ttc"
    licence = next(f for f in metadata.files("noto-cjk-sans-otc") if f.name == "LICENSE").read_text(encoding="utf-8")
    assert "SIL Open Font License" in licence or "SIL OPEN FONT LICENSE" in licence


def test_chinese_chart_draws_without_missing_glyphs_after_seaborn_reset():
    sns.set_theme()  # resets the font family, as a user's own cell might
    cats = [CategoryFigure("A", "已解决或正在解决", ("resolved",), 177, None), CategoryFigure("B", "䶮 列入计划", ("planned",), 61, None)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font" would raise here
        fig = charts.category_chart(cats, "楚雄市 提案办理结果")
        fig.canvas.draw()
    used = {font_manager.findfont(t.get_fontproperties()) for t in fig.axes[0].get_yticklabels()}
    assert {(str(f), f.face_index) for f in used} == {(str(charts.cjk_font_path()), 2)}  # the SC face, never JP (0)


def test_show_embeds_one_png_with_escaped_alt_text(capsys):
    from IPython.core.interactiveshell import InteractiveShell  # display() needs a shell to print to

    InteractiveShell.instance()
    cats = [CategoryFigure("A", "已解决", ("resolved",), 1, None)]
    charts.show(charts.category_chart(cats, "t"), alt='A <b>"x"</b>')
    out = capsys.readouterr().out
    assert "<IPython.core.display.HTML object>" in out or "data:image/png;base64," in out


def test_font_subset_is_deterministic_and_keeps_rare_characters():
    from fontTools.ttLib import TTFont
    import io

    from proposal_stats.reporting.fonts import characters_needing_font, subset_font

    chars = characters_needing_font("楚雄市 䶮 A-C 71.37% （合成）")
    assert chars == "".join(sorted("楚雄市䶮（合成）"))
    first = subset_font(chars)
    assert subset_font(chars) == first  # no timestamp: the HTML stays byte-identical
    cmap = TTFont(io.BytesIO(first)).getBestCmap()
    assert all(ord(c) in cmap for c in chars) and ord("汉") not in cmap


def test_chart_words_follow_the_report_language_and_draw_in_the_sc_face():
    from matplotlib import font_manager

    from proposal_stats.reporting.i18n import Translator

    cats = [CategoryFigure("A", "已解决或正在解决", ("resolved", "in_progress"), 177, None)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = charts.category_chart(cats, "办理结果类别", t=Translator("zh-CN"))
        fig.canvas.draw()
    ax = fig.axes[0]
    assert ax.get_xlabel() == "提案件数"
    assert font_manager.findfont(ax.xaxis.label.get_fontproperties()).face_index == 2  # Noto Sans CJK SC
    english = charts.category_chart(cats, "Result categories")
    assert english.axes[0].get_xlabel() == "proposals"


def test_traditional_glyphs_use_the_tc_face():
    from matplotlib import font_manager

    fig = charts.category_chart([CategoryFigure("A", "已解決", ("resolved",), 1, None)], "辦理結果", glyphs="traditional")
    assert font_manager.findfont(fig.axes[0].title.get_fontproperties()).face_index == 3  # Noto Sans CJK TC


def test_the_funnel_legend_stays_off_the_units():
    """A unit with many proposals and a low rate sits in the lower right, where an inside legend
    would cover it: the legend is under the plot, one entry per verdict in its colour, and the
    outlier's name inside the plot."""
    import pandas as pd
    from matplotlib.colors import to_hex

    table = pd.DataFrame({"handling_unit": ["甲局", "乙局", "丙局"], "n": [16, 9, 8], "a_count": [1, 2, 8],
                          "a_verdict": ["below 95%", "within", "above 99.8%"]})
    fig = charts.funnel_chart(table, "a_count", "n", 11 / 33, "a_verdict", "A share", "n")
    fig.canvas.draw()
    ax = fig.axes[0]
    legend, plot = ax.get_legend().get_window_extent(), ax.get_window_extent()
    assert legend.y1 <= plot.y0  # wholly under the plot area
    entries = {t.get_text(): to_hex(h.get_facecolor()[0])
               for t, h in zip(ax.get_legend().get_texts(), ax.get_legend().legend_handles) if hasattr(h, "get_facecolor")}
    assert entries == {"within": charts.PALETTE[0], "above 99.8%": charts.PALETTE[3], "below 95%": charts.PALETTE[2]}
    names = {a.get_text(): a.get_window_extent() for a in ax.texts}
    assert set(names) == {"甲局", "丙局"} and all(plot.x0 <= b.x0 and b.x1 <= plot.x1 and plot.y0 <= b.y0 and b.y1 <= plot.y1 for b in names.values())
