"""Interactive charts for the explorer (Vega-Altair): hover for the figures, click to pick a unit.

The static reports keep their seaborn charts (:mod:`proposal_stats.reporting.charts`); the explorer
shows these as :class:`altair.JupyterChart` widgets, which report clicks back to Python and take new
parameter values from it without being drawn again. Each chart is built once per report; what the
user picks afterwards only changes its parameters:

* ``focus``: the unit picked (ringed and named; its trend drawn);
* ``compare``: the units being compared (named);
* ``measure``: which funnel is shown ("A share" or "on-time rate").

The funnel's marks are named (SVG classes ``units_marks``, ``focus_ring_marks``, ``names_marks``,
``counts_marks``), so a browser test can find them.

``pick`` is the click selection: its value is the clicked unit's name. The charts' JavaScript is
bundled (``vl-convert``), not fetched from a CDN, so they draw offline like the HTML report.

Every word a chart shows (axes, legends, tooltips, verdicts) is in the language of the translator
``t`` it is built with; the data keep their codes (``measure``, ``verdict``), so parameters and
filters do not depend on the language. Numbers shown are rounded by the one rule
(:func:`~proposal_stats.stats.metrics.round_half_up`) before they reach the chart, and the count
axis has whole-number ticks.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..messages import Msg
from ..stats.explore import DEFINITIONS
from ..stats.metrics import count_text, percent_text
from .fonts import EMBEDDED_FAMILY
from .i18n import Translator
from .vocabulary import term

#: Text fonts of the charts: the reader's own Chinese fonts, then the explorer's embedded subset.
FONT = f"'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', '{EMBEDDED_FAMILY}', system-ui, sans-serif"
VERDICT_COLOURS = {"within": "#2f6f9f", "above 95%": "#6a8f4e", "above 99.8%": "#3f6b2a", "below 95%": "#b8483d",
                   "below 99.8%": "#8a2018", "too few": "#b0b0b0"}
FOCUS = "#e0a030"
EMBED_OPTIONS = {"renderer": "svg", "actions": False}


def _config(chart):
    return chart.configure(font=FONT).configure_view(strokeWidth=0).configure_axis(labelFont=FONT, titleFont=FONT, grid=True, gridColor="#eceff3")


#: At most this many other units are named in the tooltip of a dot several units share.
OTHERS_NAMED = 6


def _others(names: str, t: Translator) -> str:
    rest = [n for n in names.split("、") if n]
    if not rest:
        return t(Msg("no other unit"))
    shown = t.join(rest[:OTHERS_NAMED])
    return shown if len(rest) <= OTHERS_NAMED else t(Msg("%(names)s and %(n)s more", names=shown, n=len(rest) - OTHERS_NAMED))


def funnel_chart(points: pd.DataFrame, lines: pd.DataFrame, measure: str = "A share", focus: str = "", compare=(),
                 width: int = 520, height: int = 330, t: Translator | None = None) -> alt.LayerChart:
    """The funnel plot of every unit, for both measures (a parameter picks one).

    Args:
        points, lines: :func:`proposal_stats.stats.explore.funnel_data` (percent).
        measure, focus, compare: the parameters' first values.
        t: the language of its words (default English).

    Returns:
        A layered chart: 99.8% (dotted) and 95% (dashed) limits, the target line, one dot per unit
        coloured by verdict (grey: too few to judge), units sharing a point spread sideways (at most
        ±0.35 of a proposal) with their number drawn above them ("×3"); the
        focus unit ringed and named, compared units named. Hovering a dot shows the unit, its count
        over its base, rate, 95% interval, verdict and the units drawn at the same point.
    """
    t = t or Translator()
    p_measure = alt.param(name="measure", value=measure)
    p_focus = alt.param(name="focus", value=focus)
    p_compare = alt.param(name="compare", value=list(compare))
    pick = alt.selection_point(name="pick", fields=["handling_unit"], on="click", clear="mouseout", empty=False)
    this_measure = alt.datum.measure == p_measure
    # n is a count: whole-number ticks only (dots sit between them when several units share an n)
    x = alt.X("x:Q", title=t(Msg("proposals in the base (n)")), scale=alt.Scale(domainMin=0, nice=True),
              axis=alt.Axis(tickMinStep=1, format="d"))
    y = alt.Y("rate:Q", title=t(Msg("rate (%)")), scale=alt.Scale(domain=[0, 100]))

    bands = {"95": t(Msg("95% limits")), "99.8": t(Msg("99.8% limits"))}
    long = lines.melt(id_vars=["measure", "n"], value_vars=["lower_998", "upper_998", "lower_95", "upper_95"], var_name="limit", value_name="value")
    long["band"] = long["limit"].map({"lower_998": bands["99.8"], "upper_998": bands["99.8"], "lower_95": bands["95"], "upper_95": bands["95"]})
    limits = alt.Chart(long).mark_line(color="#666666", strokeWidth=1).encode(
        x=alt.X("n:Q"), y=alt.Y("value:Q"), detail="limit:N",
        strokeDash=alt.StrokeDash("band:N", scale=alt.Scale(domain=[bands["95"], bands["99.8"]], range=[[5, 3], [1, 3]]),
                                  legend=alt.Legend(title=None, orient="bottom")),  # under the plot: inside it would cover the units of the lower right (many proposals, low rate)
    ).transform_filter(this_measure)
    centre = lines.drop_duplicates("measure").assign(target_text=lambda d: [percent_text(v, 1) for v in d["target"]])
    target = alt.Chart(centre).mark_rule(color="#444444", strokeWidth=1).encode(
        y="target:Q", tooltip=[alt.Tooltip("target_text:N", title=t(Msg("pooled (or benchmark) rate")))],
    ).transform_filter(this_measure)

    verdicts = {v: t.value(term("funnel", v)) for v in VERDICT_COLOURS}
    pts = points.assign(
        count_label=[f"×{m}" for m in points["same_point"]],
        interval=[f"{percent_text(lo, 1)}–{percent_text(hi, 1)}" for lo, hi in zip(points["low"], points["high"])],
        of=[t(Msg("%(count)s of %(base)s", count=count_text(k), base=count_text(n))) for k, n in zip(points["count"], points["base"])],
        rate_text=[percent_text(r, 1) for r in points["rate"]],
        verdict_label=[verdicts.get(v, v) for v in points["verdict"]],
        others_text=[_others(o, t) for o in points["others"]],
    )
    tooltip = [alt.Tooltip("handling_unit:N", title=t(Msg("unit"))), alt.Tooltip("of:N", title=t(Msg("count"))),
               alt.Tooltip("rate_text:N", title=t(Msg("rate"))), alt.Tooltip("interval:N", title=t(Msg("95% interval"))),
               alt.Tooltip("verdict_label:N", title=t(Msg("verdict"))), alt.Tooltip("others_text:N", title=t(Msg("same point as")))]
    base = alt.Chart(pts).transform_filter(this_measure)
    dots = base.mark_circle(size=70, opacity=0.9, stroke="white", strokeWidth=0.5, cursor="pointer").encode(
        x=x, y=y, tooltip=tooltip,
        color=alt.Color("verdict_label:N", scale=alt.Scale(domain=list(verdicts.values()), range=list(VERDICT_COLOURS.values())),
                        legend=alt.Legend(title=t(Msg("verdict")), orient="bottom", columns=3)),
    ).add_params(pick).properties(name="units")
    ring = base.mark_circle(size=260, fillOpacity=0, stroke=FOCUS, strokeWidth=2.5).encode(x=x, y=y, tooltip=tooltip).transform_filter(
        alt.datum.handling_unit == p_focus).properties(name="focus_ring")
    named = (alt.datum.handling_unit == p_focus) | (alt.expr.indexof(p_compare, alt.datum.handling_unit) >= 0)
    label = base.mark_text(align="left", dx=9, dy=-9, fontSize=12, fontWeight="bold", color="#333333").encode(
        x=x, y=y, text="handling_unit:N").transform_filter(named).properties(name="names")
    counted = base.mark_text(align="center", dy=-11, fontSize=10, color="#555555").encode(
        x=alt.X("base:Q"), y=y, text=alt.Text("count_label:N")).transform_filter(alt.datum.group_first & (alt.datum.same_point > 1)).properties(name="counts")
    layers = alt.layer(limits, target, dots, counted, ring, label).add_params(p_measure, p_focus, p_compare)
    units = points["handling_unit"].nunique()
    about = t(Msg("Funnel plot of %(n)s handling units: each unit's rate (the A share, or the on-time rate) against its number "
                  "of proposals, with 95%% and 99.8%% control limits around the pooled rate. Hover a dot for the unit's figures; "
                  "click it to pick the unit.", n=units))
    return _config(layers.properties(width=width, height=height, description=about))


#: The measures of the trend chart, in the order of its legend.
TREND_MEASURES = ("A share", "on-time rate", "reply rate")


def trend_chart(trends: pd.DataFrame, focus: str = "", width: int = 420, height: int = 220, t: Translator | None = None) -> alt.LayerChart:
    """A unit's rates across years (the ``focus`` parameter picks the unit), with 95% intervals.

    Args:
        trends: :func:`proposal_stats.stats.explore.trend_table` (percent).
        t: the language of its words (default English).
    """
    t = t or Translator()
    p_focus = alt.param(name="focus", value=focus)
    labels = {m: t.gettext(DEFINITIONS[m][0]) for m in TREND_MEASURES}
    data = trends.dropna(subset=["rate"])
    data = data.assign(
        of=[t(Msg("%(count)s of %(base)s", count=count_text(k), base=count_text(n))) for k, n in zip(data["count"], data["base"])],
        measure_label=[labels.get(m, m) for m in data["measure"]], rate_text=[percent_text(r, 1) for r in data["rate"]],
        interval=[f"{percent_text(lo, 1)}–{percent_text(hi, 1)}" for lo, hi in zip(data["low"], data["high"])],
    )
    base = alt.Chart(data).transform_filter(alt.datum.handling_unit == p_focus)
    order = list(dict.fromkeys(data.sort_values(["year", "position"])["point"])) if len(data) else []
    x = alt.X("point:O", title=t(Msg("year")), sort=order, axis=alt.Axis(labelAngle=0))  # a year, or year · report when one year has several
    colour = alt.Color("measure_label:N", scale=alt.Scale(domain=list(labels.values())), legend=alt.Legend(title=None, orient="bottom"))
    tooltip = [alt.Tooltip("point:O", title=t(Msg("year"))), alt.Tooltip("measure_label:N", title=t(Msg("measure"))),
               alt.Tooltip("of:N", title=t(Msg("count"))), alt.Tooltip("rate_text:N", title=t(Msg("rate"))),
               alt.Tooltip("interval:N", title=t(Msg("95% interval")))]
    lines = base.mark_line(point=alt.OverlayMarkDef(size=60)).encode(
        x=x, y=alt.Y("rate:Q", title=t(Msg("rate (%)")), scale=alt.Scale(domain=[0, 100])), color=colour, tooltip=tooltip)
    bars = base.mark_rule(strokeWidth=2, opacity=0.4).encode(x=x, y="low:Q", y2="high:Q", color=colour)
    return _config(alt.layer(bars, lines).add_params(p_focus).properties(width=width, height=height))


def jupyter_chart(chart) -> alt.JupyterChart:
    """The chart as a widget whose JavaScript comes bundled (offline), drawn as SVG."""
    offline()
    return alt.JupyterChart(chart, embed_options=EMBED_OPTIONS)


def offline() -> None:
    """Bundle the charts' JavaScript (Vega, Vega-Lite, vega-embed) from ``vl-convert`` instead of
    loading it from a CDN; once per process (about 2 s)."""
    alt.JupyterChart.enable_offline(True)
