"""One rounding rule and one definition per figure, wherever a figure is printed.

Fictional fixtures: a unit with 1 A of 16 (6.25%: a tie at one decimal), a unit with a blank
face-to-face cell.
"""

from __future__ import annotations

import html
import re

import matplotlib
import matplotlib.pyplot as plt

from proposal_stats.reporting import charts
from proposal_stats.reporting.report import build_annual_report
from proposal_stats.stats import explore
from proposal_stats.stats.metrics import F2F_BLANK_RULE, round_frame

from .test_exports import HEADER, fictional_params

# 县甲局: 1 A and 15 B of 16 → 6.25% A, printed 6.3% (half-up), never 6.2%.
ROUND_MIN = HEADER + "".join(
    f"{i:03d},关于虚构事项{i}的建议,委员{i:03d},government,县甲局,,2022-03-15,2022-05-{i:02d},{'A' if i == 1 else 'B'},是,满意\n"
    for i in range(1, 17)
)
# 县乙局: one proposal with a blank face-to-face cell.
F2F_BLANK = HEADER + "".join([
    "001,t1,p1,government,县乙局,,2022-03-15,2022-05-01,A,是,满意\n",
    "002,t2,p2,government,县乙局,,2022-03-15,2022-05-02,A,,满意\n",
    "003,t3,p3,government,县丙局,,2022-03-15,2022-05-03,B,否,满意\n",
])


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_unit_table_rounds_a_tie_half_up(tmp_path):
    report = build_annual_report(fictional_params(tmp_path, ROUND_MIN))
    html = text(report.unit_performance().html())
    assert "6.3% [" in html and "6.2%" not in html
    assert "B 15" not in html  # statuses are named, not codes
    report.write_outputs(tmp_path / "out")
    csv = (tmp_path / "out" / "unit_performance.csv").read_text(encoding="utf-8-sig")
    assert ",6.25," in csv  # 2 decimals in the tables
    # the explorer: the unit's A share beside the pooled one, rounded by the same rule
    figs = explore.unit_figures(report, "县甲局")
    assert figs.loc[0, "unit"] == 6.3 and round_frame(figs, 1).loc[0, "unit"] == 6.3  # rounded half-up in stats.explore itself


def test_f2f_blank_is_not_recorded_in_headline_and_unit_tables(tmp_path):
    report = build_annual_report(fictional_params(tmp_path, F2F_BLANK))
    assert report.headline.f2f_rate is None and report.headline.f2f_not_recorded == 1
    perf = report.performance.set_index("handling_unit")
    assert perf.loc["县乙局", "f2f"] == 1 and perf.loc["县乙局", "f2f_rate"] != perf.loc["县乙局", "f2f_rate"]  # NaN
    assert perf.loc["县丙局", "f2f_rate"] == 0.0  # a recorded "no" is a no
    units = text(report.handling_units().html())
    assert "县乙局 2 0 0 2 0 0 2 1 (+1 not recorded)" in units
    assert "1 = — (1 not recorded)" in text(report.headline_figures().html())
    assert F2F_BLANK_RULE in html.unescape(text(report.methods().html()))


def test_count_and_year_axes_have_whole_ticks(tmp_path):
    matplotlib.use("Agg")
    report = build_annual_report(fictional_params(tmp_path, F2F_BLANK))
    fig = charts.category_chart(report.headline.categories, "t")
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    plt.close(fig)
    assert labels and all(re.fullmatch(r"\d+", t) for t in labels), labels
    import pandas as pd

    trends = pd.DataFrame({"jurisdiction": ["虚构县"] * 2, "body": ["cppcc"] * 2, "year": [2021, 2022],
                           "measure": ["received"] * 2, "value": [3, 4]})
    fig = charts.trend_chart(trends, "t")
    fig.canvas.draw()
    ax = fig.axes[0]
    for labels in ([t.get_text() for t in ax.get_xticklabels()], [t.get_text() for t in ax.get_yticklabels()]):
        assert labels and all(re.fullmatch(r"\d+", t) for t in labels), labels
    assert "2021" in [t.get_text() for t in ax.get_xticklabels()]
    plt.close(fig)
