"""The explorer: selections, unit figures, funnels and trends (hand-computed on a fictional county),
the widgets without a browser, the notebook headless, and the `lab` / `explore` commands.

The real-browser test of the dashboard is in ``test_dashboard_browser.py``.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from proposal_stats.reporting.explorer import Explorer
from proposal_stats.reporting.report import build_annual_report
from proposal_stats.stats import explore
from proposal_stats.stats.explore import ALL, ReportIndex, Selection
from proposal_stats.stats.units import binomial_limit, wilson_interval

from .conftest import CITY, PREFECTURE, ROOT, SHIPPED_PARAMS, params_copy

CLI = Path(sys.executable).parent / "proposal-stats"

# ---- a fictional county, two years ---------------------------------------------------------------
#
# 2024: 甲局 leads 16 proposals: 1 A and 15 B (A share 1/16 = 6.25% → 6.3 half-up); 14 replied after
# 31 days, one after 85 days (allowed 92: in the last tenth), one after 101 days (late); no feedback
# form. 乙局 leads 4: 3 replied A and satisfied, 1 not replied; face to face recorded for 3 of 4. 丙局
# only co-handles two of 甲局's proposals. One proposal goes to the CPPCC itself (not government).
# 2025: 甲局 leads 4 (2 A), 乙局 2 (2 A).

HEADER = ["proposal_id", "title", "topic", "handling_system", "lead_unit", "co_handling_units", "assigned_at", "replied_at",
          "result_category", "f2f_consulted", "satisfaction"]


def _rows_2024():
    rows = []
    for i in range(16):
        days = {14: "2024-05-25", 15: "2024-06-10"}.get(i, "2024-04-01")
        rows.append([f"{i + 1:03d}", f"关于示例事项{i + 1}的建议", "城建" if i % 2 else "教育", "government", "甲局",
                     "丙局" if i in (3, 4) else "", "2024-03-01", days, "A" if i == 0 else "B", "是", ""])
    for j in range(4):
        replied = j < 3
        title = '=HYPERLINK("http://example.invalid","点我")' if j == 0 else f"关于乙事项{j}的建议"
        rows.append([f"1{j:02d}", title, "教育", "government", "乙局", "", "2024-03-01", "2024-04-20" if replied else "",
                     "A" if replied else "", "" if j == 1 else "是", "满意" if replied else ""])
    rows.append(["200", "关于政协自身建设的建议", "其他", "cppcc", "", "", "", "", "", "", ""])
    return rows


def _rows_2025():
    rows = [[f"{i + 1:03d}", f"关于新事项{i + 1}的建议", "城建", "government", "甲局", "", "2025-03-01", "2025-04-01",
             "A" if i < 2 else "B", "是", "满意"] for i in range(4)]
    rows += [[f"1{j:02d}", f"关于乙新事项{j}的建议", "教育", "government", "乙局", "", "2025-03-01", "2025-04-10", "A", "是", "基本满意"]
             for j in range(2)]
    return rows


def _write_county(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for year, rows in ((2024, _rows_2024()), (2025, _rows_2025())):
        ledger = folder / f"county-{year}.csv"
        with open(ledger, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(HEADER)
            w.writerows(rows)
        params = {
            "title": f"示例县 {year}（虚构）", "jurisdiction": "示例县 (a fictional county)", "body": "cppcc_proposals",
            "session": f"session {year}", "year": year, "ledger": ledger.name, "as_of": "2026-01-01",
            "result_scheme": {"id": "fictional", "source": "fictional", "categories": [
                {"code": "A", "label": "已解决", "statuses": ["resolved"]},
                {"code": "B", "label": "列入计划", "statuses": ["planned"]},
                {"code": "C", "label": "留作参考", "statuses": ["for_reference"]}]},
            "reply_deadline": {"months_after_assignment": 3, "source": "fictional"},
            "notebook": str(ROOT / "notebooks" / "annual_report.ipynb"), "output_dir": str(folder / f"out-{year}"),
        }
        path = folder / f"county-{year}.yaml"
        path.write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return _write_county(tmp_path_factory.mktemp("county") / "params")


@pytest.fixture(scope="module")
def county_index(county):
    return ReportIndex(build_annual_report(county[0]))


@pytest.fixture(scope="module")
def city_index():
    return ReportIndex(build_annual_report(CITY))


# ---- selections ----------------------------------------------------------------------------------

def test_units_are_listed_by_size_with_their_counts(county_index, city_index):
    choices = county_index.choices()
    assert choices["unit"] == [("甲局", 16), ("乙局", 4), ("丙局", 2)]
    assert choices["result"] == [("A", 4), ("B", 15), ("C", 0), (explore.NOT_REPLIED, 1)]  # the scheme's codes, in its order
    assert choices["role"] == [("lead", 20), ("co_handler", 2)]
    sizes = [n for _, n in city_index.choices()["unit"]]
    assert len(sizes) == 31 and sizes == sorted(sizes, reverse=True)


def test_selection_by_integer_codes_equals_plain_filtering(city_index):
    """Every combination of unit (a few), role, status and topic picks exactly the proposals a plain
    pandas filter picks; the reference ledger has 248 government-system proposals."""
    p, a = city_index.rows, city_index.report.ledger.assignments
    assert len(city_index.select(Selection())) == 248
    opts = {k: [ALL, *(v for v, _ in o)] for k, o in city_index.choices().items()}
    for unit, role, result, topic in itertools.product(opts["unit"][:4], opts["role"], opts["result"], opts["topic"][:3]):
        got = set(p["proposal_id"].iloc[city_index.select(Selection(unit=unit, role=role, result=result, topic=topic))])
        keep = p["proposal_id"].notna()
        if unit != ALL or role != ALL:
            aa = a[((a["handling_unit"] == unit) | (unit == ALL)) & ((a["unit_role"] == role) | (role == ALL))]
            keep &= p["proposal_id"].isin(set(aa["proposal_id"]))
        if result == explore.NOT_REPLIED:
            keep &= p["replied_at"].isna()
        elif result != ALL:
            keep &= p["result_category"] == result
        if topic != ALL:
            keep &= p["topic"] == topic
        assert got == set(p.loc[keep, "proposal_id"]), (unit, role, result, topic)
    assert len(city_index.select(Selection(result="A"))) == 177  # the A category: resolved or being resolved
    assert len(city_index.select(Selection(result="C"))) == 10


def test_sorting_keeps_blanks_last_and_ties_in_proposal_order(county_index):
    asc = county_index.proposals(Selection(sort_by="replied_at"))
    desc = county_index.proposals(Selection(sort_by="replied_at", descending=True))
    for rows in (asc, desc):
        assert rows["proposal_id"].iloc[-1] == "103"  # the one not replied: last either way
    assert desc["proposal_id"].iloc[0] == "016" and asc["proposal_id"].iloc[0] == "001"
    ties = asc[asc["replied_at"] == asc["replied_at"].iloc[0]]["proposal_id"]
    assert ties.is_monotonic_increasing
    assert county_index.proposals(Selection(sort_by="days", descending=True))["days"].iloc[:3].tolist() == [101, 85, 50]
    with pytest.raises(KeyError, match="no handling unit"):
        county_index.select(Selection(unit="无此局"))


def test_co_handler_selection(county_index):
    rows = county_index.proposals(Selection(unit="丙局"))
    assert rows["proposal_id"].tolist() == ["004", "005"] and set(rows["lead_unit"]) == {"甲局"}
    assert county_index.proposals(Selection(unit="丙局", role="lead")).empty


# ---- figures -------------------------------------------------------------------------------------

def test_unit_figures_by_hand(county_index):
    f = explore.unit_figures(county_index, "甲局").set_index("figure")
    a = f.loc["A share"]
    assert (a["count"], a["base"], a["unit"]) == (1, 16, 6.3)  # 6.25 rounds half-up, not to 6.2
    low, high = wilson_interval(1, 16)
    assert (a["low"], a["high"]) == (round(100 * low, 1), round(100 * high, 1)) == (1.1, 28.3)
    assert a["pooled"] == 21.1  # (1 + 3) / (16 + 3) = 21.05%
    on_time = f.loc["on-time rate"]
    assert (on_time["count"], on_time["base"], on_time["unit"], on_time["pooled"]) == (15, 16, 93.8, 90.0)  # 18 of 20
    assert f.loc["reply rate", "unit"] == 100.0 and f.loc["face-to-face rate", "unit"] == 100.0
    assert f.loc["A share", "verdict"] == "within"  # P(R <= 1 | 16, 4/19) = 0.12: inside the 95% limits
    b = explore.unit_figures(county_index, "乙局").set_index("figure")
    assert (b.loc["reply rate", "count"], b.loc["reply rate", "base"], b.loc["reply rate", "unit"]) == (3, 4, 75.0)
    assert b.loc["satisfaction (inclusive)", "unit"] == 100.0


def test_an_undefined_figure_says_why(county_index):
    co = explore.unit_figures(county_index, "丙局").set_index("figure")
    assert co["unit"].isna().all()
    assert co.loc["reply rate", "undefined"] == "the unit leads no proposal (co-handler only)"
    b = explore.unit_figures(county_index, "乙局").set_index("figure")
    assert b.loc["face-to-face rate", "undefined"] == "face-to-face consultation not recorded for 1 of its 4 proposals"
    assert b.loc["face-to-face rate", "pooled_undefined"] == "face-to-face consultation not recorded for every proposal"
    a = explore.unit_figures(county_index, "甲局").set_index("figure")
    assert a.loc["satisfaction (inclusive)", "undefined"] == "no feedback form returned"
    assert (a["undefined"] == "").sum() == 4
    with pytest.raises(KeyError):
        explore.unit_figures(county_index, "无此局")


def test_unit_timeliness_by_hand(county_index):
    t = county_index.timeliness.loc["甲局"]
    assert (t.replied, t.on_time, t.late, t.not_replied, t.in_last_tenth) == (16, 15, 1, 0, 1)
    assert t.days_median == 31
    b = county_index.timeliness.loc["乙局"]
    assert (b.replied, b.not_replied, b.in_last_tenth) == (3, 1, 0)
    co = county_index.timeliness.loc["丙局"]
    assert co.replied == 0 and co.days_median != co.days_median  # no reply of its own: no days


def test_funnel_points_spread_and_limits():
    ix = ReportIndex(build_annual_report(PREFECTURE))
    pts = ix.funnel_points[ix.funnel_points["measure"] == "A share"]
    assert len(pts) == 65  # every unit, none lost under another
    shared = pts[pts["same_point"] > 1]
    assert len(shared) > 10
    for _, group in shared.groupby(["base", "count"]):
        assert group["x"].nunique() == len(group) == group["same_point"].iloc[0]  # spread sideways
        assert abs(group["x"].mean() - group["base"].iloc[0]) < 1e-9  # around the true n
        assert all(name not in others for name, others in zip(group["handling_unit"], group["others"]))
    lines = ix.funnel_lines[ix.funnel_lines["measure"] == "A share"].set_index("n")
    target = ix.report.performance.attrs["target_a"]
    assert lines.loc[10, "lower_95"] == pytest.approx(100 * binomial_limit(10, target, 0.025))
    assert lines.loc[10, "target"] == pytest.approx(100 * 301 / 387)


# ---- across reports ------------------------------------------------------------------------------

def test_trend_across_years(county):
    reports = [build_annual_report(p) for p in county]
    trend = explore.unit_trend(reports, "甲局")
    assert trend["year"].tolist() == [2024, 2025] and trend["n"].tolist() == [16, 4]
    assert trend["a_share"].tolist() == [6.3, 50.0] and trend["on_time_rate"].tolist() == [93.8, 100.0]
    assert explore.unit_trend(reports, "丙局")["year"].tolist() == [2024]  # handled nothing in 2025
    assert [p.name for p in explore.same_jurisdiction(county[0].parent, county[0])] == ["county-2024.yaml", "county-2025.yaml"]


def _county_with_a_second_2025(folder: Path) -> list[Path]:
    """The county, plus a second report of 2025 (an anonymised copy: same jurisdiction, body, year)."""
    paths = _write_county(folder)
    copy = yaml.safe_load(paths[1].read_text(encoding="utf-8"))
    copy.update(privacy={"proposer": "anonymise"}, output_dir=str(folder / "out-2025-anon"))
    second = folder / "county-2025-anon.yaml"
    second.write_text(yaml.safe_dump(copy, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return [*paths, second]


def test_two_reports_of_one_year_stay_two_points(tmp_path):
    reports = [build_annual_report(p) for p in _county_with_a_second_2025(tmp_path)]
    trend = explore.unit_trend(reports, "甲局")
    assert trend["year"].tolist() == [2024, 2025, 2025] and trend["n"].tolist() == [16, 4, 4]
    assert trend["point"].tolist() == ["2024", "2025 · county-2025", "2025 · county-2025-anon"]
    assert trend["a_share"].tolist() == [6.3, 50.0, 50.0]
    table = explore.trend_table(reports)
    assert set(table.loc[table["year"] == 2024, "point"]) == {"2024"}


def test_the_across_view_with_two_reports_of_one_year(tmp_path):
    paths = _county_with_a_second_2025(tmp_path)
    app = Explorer(paths)
    app.unit.value = "甲局"
    app.tabs.selected_index = 2
    assert app.problem.value == ""
    trend = app.trend_table.value
    assert "2025 · county-2025-anon" in trend and "6.3%" in trend and "50.0%" in trend
    assert "示例县" in app.side.value  # the side-by-side table is drawn after the trend
    labels = [label for label, _ in app.report_picker.options]
    assert len(set(labels)) == 3
    assert sorted(label.rsplit(" · ", 1)[1] for label in labels if "2025（虚构）" in label) == ["county-2025", "county-2025-anon"]
    assert [label for label in labels if "2024" in label][0].endswith("示例县 2024（虚构）")  # a report like no other keeps its label


def test_a_failing_change_is_said_on_the_page(app, monkeypatch):
    def broken(*args):
        raise ValueError("boom")

    monkeypatch.setattr(explore, "unit_figures", broken)
    app.unit.value = "乙局"
    assert "Could not show this selection." in app.problem.value and "ValueError: boom" in app.problem.value
    monkeypatch.undo()
    app.unit.value = "甲局"
    assert app.problem.value == "" and "<h3>甲局</h3>" in app.figures.value
    app.unit.value = ALL


def test_shipped_params_reach_the_trend_view(tmp_path):
    for name in SHIPPED_PARAMS[:3]:  # the shipped annual reports only: a user's own params file changes nothing here
        params_copy(ROOT / "params" / name, tmp_path)
    siblings = explore.same_jurisdiction(tmp_path, tmp_path / CITY.name)
    assert [p.name for p in siblings] == ["chuxiong-city-2022.yaml", "chuxiong-city-2023-synthetic.yaml"]
    synthetic = build_annual_report(siblings[1])
    assert synthetic.params.synthetic_fields and "SYNTHETIC" in synthetic.params.title and synthetic.params.published is None
    unit = "市住房和城乡建设局"
    trend = explore.unit_trend([build_annual_report(CITY), synthetic], unit)
    assert trend["year"].tolist() == [2022, 2023]
    n = [int(r.performance.set_index("handling_unit").loc[unit, "n"]) for r in (build_annual_report(CITY), synthetic)]
    assert trend["n"].tolist() == n


def test_side_by_side_with_the_corpus_caveats(county):
    from proposal_stats.published.corpus import load_corpus

    corpus = load_corpus(ROOT / "params" / "published-audit.yaml")
    df = explore.side_by_side([build_annual_report(CITY), build_annual_report(county[0])], corpus)
    city = df[df["id"] == "chuxiong-city-2022"].iloc[0]
    assert not city.comparable and "being resolved" in city.note and city.synthetic  # 已解决或正在解决
    fictional = df[df["id"] == "county-2024"].iloc[0]
    assert fictional.comparable and fictional.resolved_share == pytest.approx(100 * 4 / 19, abs=0.005)  # 21.05
    published = df[df["source"] == "published"]
    assert len(published) == len(corpus.comparison_table()) and published["comparable"].any() and (~published["comparable"]).any()
    # a report that does not name its place says so in the reader's language, never "UNKNOWN"
    from proposal_stats.reporting.i18n import Translator

    place = published[published["id"] == "henan-city-a-cppcc-6-1-2022"].iloc[0]["jurisdiction"]  # "UNKNOWN county-level city …"
    assert Translator("zh-CN").value(place) == "地点不详（henan-city-a-cppcc-6-1-2022）"
    assert Translator("en").value(place) == "place not known (henan-city-a-cppcc-6-1-2022)"
    assert not any("UNKNOWN" in str(Translator("en").value(j)) for j in df["jurisdiction"])


# ---- the widgets, without a browser --------------------------------------------------------------

@pytest.fixture(scope="module")
def app(county):
    return Explorer([county[0].parent, ROOT / "params" / "published-audit.yaml"])


def _widgets(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _widgets(child)


def test_one_output_per_selection(app):
    import ipywidgets as w

    widgets = list(_widgets(app.widget))
    assert not [x for x in widgets if isinstance(x, w.Output)]  # no output area to pile copies into
    app.unit.value = "甲局"
    table, figures = app.table.value, app.figures.value
    assert "<h3>甲局</h3>" in figures and "6.3%" in figures and "1 of 16" in figures
    assert table.count("<tr>") == 1 + 16 and "<th>Id</th>" in table
    app.unit.value = "乙局"
    assert "<h3>乙局</h3>" in app.figures.value and "甲局</h3>" not in app.figures.value
    assert app.funnel.params.focus == "乙局"
    for text in (app.table.value, app.figures.value, app.compare_table.value):
        assert "nan" not in text.lower().replace("nanhua", "")  # an undefined figure is a word, never NaN
    assert "— face-to-face consultation not recorded for 1 of its 4 proposals" in app.figures.value


def test_paging_and_page_size(app):
    app.unit.value = ALL
    app.page_size.value = 25
    assert "20 proposals · rows 1–20 · page 1 of 1" in app.page_label.value and app.next_page.disabled
    app.unit.value = "甲局"
    app.page_size.value = 25
    assert app.table.value.count("<tr>") == 17


def test_the_measure_toggle_switches_the_funnel_and_its_verdicts(app):
    app.unit.value = ALL
    app.measure.value = "on-time rate"
    assert app.funnel.params.measure == "on-time rate" and "Funnel verdicts (On-time rate)" in app.figures.value
    app.measure.value = "A share"
    assert "Funnel verdicts (A share)" in app.figures.value


def test_a_click_on_a_dot_picks_the_unit(app):
    from altair.jupyter.jupyter_chart import PointSelection

    app.unit.value = ALL
    app._picked({"new": PointSelection(name="pick", value=[{"handling_unit": "丙局"}], store=[])})
    assert app.unit.value == "丙局" and "<h3>丙局</h3>" in app.figures.value and app.funnel.params.focus == "丙局"
    app._picked({"new": PointSelection(name="pick", value=[], store=[])})  # a click off the dots changes nothing
    assert app.unit.value == "丙局"


def test_the_selection_is_kept_across_reports_where_the_unit_exists(app, county):
    app.report_picker.value = str(county[0].resolve())
    app.unit.value, app.compare.value = "甲局", ("乙局",)
    app.report_picker.value = str(county[1].resolve())  # 2025: 甲局 and 乙局 again
    assert app.unit.value == "甲局" and app.compare.value == ("乙局",) and "<h3>甲局</h3>" in app.figures.value
    app.report_picker.value = str(county[0].resolve())
    app.unit.value = "丙局"
    app.report_picker.value = str(county[1].resolve())  # no 丙局 in 2025: back to all units
    assert app.unit.value == ALL and "All 2 units" in app.figures.value
    app.report_picker.value = str(county[0].resolve())


def test_compare_and_across_reports(app):
    app.unit.value = "甲局"
    app.compare.value = ("乙局", "丙局")
    html = app.compare_table.value
    assert html.index("甲局") < html.index("乙局") < html.index("丙局") and "75.0%" in html and "co-handler only" in html
    assert app.funnel.params.compare == ["乙局", "丙局"]
    app.tabs.selected_index = 2
    assert "2024" in app.trend_table.value and "2025" in app.trend_table.value and app.trend.params.focus == "甲局"
    side = app.side.value
    assert "示例县" in side and "not comparable" in side and "published" in side
    app.side_reports.value = (app.side_reports.options[1][1],)  # 2025 only
    row = "示例县 (a fictional county)</td><td class='num'>{}<"
    assert row.format(2025) in app.side.value and row.format(2024) not in app.side.value
    app.side_reports.value = tuple(v for _, v in app.side_reports.options)
    app.tabs.selected_index = 0
    app.compare.value = ()


def test_export_neutralises_formulas_and_keeps_the_order(app):
    app.unit.value = "乙局"
    app.sort_by.value, app.descending.value = "proposal_id", True
    text = app.export("csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[0] for r in rows[1:]] == ["103", "102", "101", "100"]
    assert rows[-1][1] == "'=HYPERLINK(\"http://example.invalid\",\"点我\")"  # shown as text, never run
    assert "download=" in app.download.value and "4 proposals" in app.download.value
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(app.export("xlsx")))
    assert wb.sheetnames == ["about", "selection", "unit_figures"]
    cell = wb["selection"]["B5"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")  # text, not a formula
    app.descending.value = False
    with pytest.raises(ValueError):
        app.export("pdf")


def test_the_export_reads_in_the_explorers_language(county):
    """A Chinese explorer's workbook: headers, figure names, verdicts and the about sheet in Chinese;
    the unit's rates rounded to one decimal as shown (1/16 → 6.3%), with a format of one decimal."""
    import openpyxl

    app = Explorer(county, language="zh-CN")
    app.unit.value = "甲局"
    app.role.value = "lead"
    wb = openpyxl.load_workbook(io.BytesIO(app.export("xlsx")))
    about = [[c.value for c in row] for row in wb["about"].iter_rows()]
    # the selection in the controls' words, not the code's (it read "unit = 甲局, role = lead")
    assert "所选条件：承办单位 = 甲局、办理方式 = 主办。" in [r[0] for r in about]
    selection = list(wb["selection"].iter_rows(values_only=True))
    assert {r[selection[0].index("按时")] for r in selection[1:]} <= {"是", "否", None}  # yes/no as words, as shown
    assert about[2] == ["工作表", "内容", "行数"]
    keys = {r[0]: r[1] for r in about if r[0]}
    assert Path(keys["参数文件"]).name == "county-2024.yaml" and "台账 SHA-256" in keys
    assert any(r[0] and "保留 1 位小数" in r[0] for r in about)
    sheet = wb["unit_figures"]
    headers = [c.value for c in sheet[1]]
    assert headers == ["指标", "件数", "基数", "比率", "比率 95% 置信区间下限", "比率 95% 置信区间上限", "合计", "漏斗图判定",
                       "无法计算的原因", "合计比率无法计算的原因"]
    first = [c for c in sheet[2]]
    assert first[0].value == "A类占比" and (first[1].value, first[2].value) == (1, 16)
    assert first[3].value == pytest.approx(0.063) and first[3].number_format == "0.0%"  # shown 6.3%
    assert first[7].value == "限内"  # the county's pooled A share is low too: within
    words = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert not re.search(r"[A-Za-z]{3,}", words), words


def _all_text(app, charts: bool = True) -> str:
    """Every text the widgets show or can show (HTML, labels, every option, tab titles) and the
    charts' specifications (axes, legends, data, tooltips): found here independently of the app's own
    bookkeeping."""
    import altair as alt

    parts = []
    for x in _widgets(app.widget):
        if isinstance(x, alt.JupyterChart):
            parts.append(json.dumps(x.spec, ensure_ascii=False, default=str) if charts else "")
            continue
        for attr in ("value", "description", "tooltip", "placeholder"):
            if isinstance(getattr(x, attr, None), str):
                parts.append(getattr(x, attr))
        parts += [str(o[0] if isinstance(o, tuple) else o) for o in getattr(x, "options", ()) or ()]
        parts += list(getattr(x, "titles", ()) or ())
    return "".join(parts)


def _embedded_characters(app) -> tuple[set[int], list[str]]:
    """The code points the embedded font slices draw, and each slice's CSS."""
    import base64
    import re

    from fontTools.ttLib import TTFont

    slices = [c.value for c in app.fonts.children if "@font-face" in c.value]
    drawn = set()
    for css in slices:
        data = re.search(r"base64,([A-Za-z0-9+/=]+)\)", css).group(1)
        drawn |= set(TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap())
    return drawn, slices


@pytest.fixture(scope="module")
def city_app():
    """The reference report first, the prefecture's and the published corpus beside it."""
    return Explorer([CITY, PREFECTURE, ROOT / "params" / "published-audit.yaml"], start=CITY)


def test_every_character_any_widget_shows_is_in_the_embedded_font(city_app):
    """Every CJK character of every widget — the corpus's labels (所, 问, traditional 經, 決, 過), the
    prefecture's units — is drawn by an embedded slice, and a slice once sent is never replaced (its
    text would blank while the browser loads the new one)."""
    app = city_app
    _, first = _embedded_characters(app)
    app.tabs.selected_index = 2  # across reports, with the published corpus
    assert app.show_corpus.value and "published" in app.side.value
    _, with_corpus = _embedded_characters(app)
    app.report_picker.value = str(PREFECTURE.resolve())
    drawn, slices = _embedded_characters(app)
    assert slices[:len(first)] == first and slices[:len(with_corpus)] == with_corpus and len(slices) > len(with_corpus) > len(first)
    shown = _all_text(app)
    for char in "所问經決過":
        assert char in shown  # the corpus's printed labels are on the page …
    missing = {c for c in shown if ord(c) >= 0x2E80 and ord(c) not in drawn}
    assert not missing  # … and drawn
    assert all("unicode-range:" in css and "font-display:swap" in css for css in slices)
    app.report_picker.value = str(CITY.resolve())
    app.tabs.selected_index = 0


# ---- what the tester found: counts, labels, loading ----------------------------------------------

def test_counts_are_whole_numbers_and_each_phrase_said_once(city_app):
    """The reference report's 市卫生健康局: 11 replies, all on time, 1 in the last tenth (hand-checked from
    the ledger below); no count anywhere is printed as a decimal."""
    app = city_app
    app.unit.value = "市卫生健康局"
    t = app.index.timeliness.loc["市卫生健康局"]
    assert (t.replied, t.on_time, t.late, t.not_replied, t.in_last_tenth) == (11, 11, 0, 0, 1)
    text = app.figures.value
    assert "Replied 11 (on time 11, late 0), not replied 0; days from assignment to reply: median 57, 90th percentile 80; " \
           "1 of 11 replies came in the last tenth of the time allowed (an even spread puts about 10% there)." in text
    assert text.count("last tenth") == 1
    assert "11 of 11" in text and "16 proposals: 11 as lead, 5 as co-handler, 0 separately; figures over the 11 it replies to itself." in text
    app.compare.value = ("市教育体育局",)
    app.tabs.selected_index = 2
    import re

    shown = _all_text(app, charts=False)
    for chart in (app.funnel, app.trend):  # what the charts print (tooltips), not their numbers
        rows = [row for data in chart.spec["datasets"].values() for row in data]
        shown += "".join(str(row.get(key, "")) for row in rows for key in ("of", "interval", "rate_text", "target_text", "count_label"))
    assert "11 of 11" in shown
    decimals = re.findall(r"(?<![\d.])\d+\.0(?![\d%–])", shown)  # 11.0, "1.0 of 11.0"; not 100.0% nor 74.1%–100.0%
    assert not decimals
    app.compare.value = ()
    app.tabs.selected_index = 0
    app.unit.value = ALL
    assert app.unit.value == ALL and "All 31 units" in app.figures.value


def test_the_result_control_names_the_scheme_printed_labels_and_what_they_cover(city_app):
    options = city_app.result.options
    assert options[1] == ("A · 已解决或正在解决 (resolved, being resolved) · 177", "A")  # not "resolved (A)"
    assert options[2] == ("B · 正在争取解决或列入计划解决 (planned) · 61", "B")
    assert options[3][1] == "C" and options[3][0].endswith("(not feasible now) · 10")
    city_app.result.value = "A"
    assert "177 proposals" in city_app.page_label.value
    assert "<b>A</b> · <span class='ps-muted'>已解决或正在解决</span>" in city_app.table.value
    city_app.result.value = ALL


def test_opening_a_report_keeps_the_controls_and_says_it_is_opening(app, county):
    """While a report opens, a line under the report control says so and the figures dim; the
    controls keep their options (they never leave the page)."""
    seen = []

    def opening(change):
        if change["new"]:
            seen.append((change["new"], "ps-busy" in app.widget._dom_classes, len(app.unit.options), app.unit.layout.display))

    app.opening.observe(opening, "value")
    try:
        app.report_picker.value = str(county[1].resolve())
    finally:
        app.opening.unobserve(opening, "value")
    assert len(seen) == 1
    text, busy, options, display = seen[0]
    assert "Opening 示例县 (a fictional county) · 2025" in text and busy and options > 1 and display != "none"
    assert app.opening.value == "" and "ps-busy" not in app.widget._dom_classes and "<h2>示例县 2025（虚构）</h2>" in app.header.value
    app.report_picker.value = str(county[0].resolve())


def test_the_funnel_counts_axis_has_whole_number_ticks(app):
    spec = json.dumps(app.funnel.spec)
    assert '"tickMinStep": 1' in spec and '"format": "d"' in spec


# ---- the notebook and the commands ---------------------------------------------------------------

def test_notebook_runs_headless_from_the_project_root(tmp_path):
    """The README's command, as a new user types it: no kernel to install first."""
    out = tmp_path / "out.ipynb"
    result = subprocess.run([str(Path(sys.executable).parent / "papermill"), "notebooks/explore.ipynb", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    nb = json.loads(out.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    outputs = [o for c in nb["cells"] for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert len(outputs) == 1 and "application/vnd.jupyter.widget-view+json" in outputs[0]["data"]  # one output: the explorer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_lab_command_starts_jupyterlab_with_the_standard_kernel(tmp_path):
    port = _free_port()
    env = {**os.environ, "JUPYTER_DATA_DIR": str(tmp_path / "data"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    proc = subprocess.Popen(
        [str(CLI), "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=t", "--allow-root"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    try:
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/kernelspecs?token=t", timeout=5) as r:
                    specs = json.load(r)
                break
            except OSError:
                assert time.time() < deadline, "JupyterLab did not answer within 90 s"
                time.sleep(1)
        assert specs["default"] == "python3" and "python3" in specs["kernelspecs"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents/explore.ipynb?token=t&content=0", timeout=10) as r:
            assert json.load(r)["name"] == "explore.ipynb"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert not (tmp_path / "data" / "kernels" / "proposal-stats").exists()  # nothing installed behind the user's back


def test_explore_command_names_a_bad_params_file(tmp_path):
    missing = subprocess.run([str(CLI), "explore", str(tmp_path / "nope.yaml"), "--no-browser"], cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "nope.yaml: no such params file or folder" in missing.stderr and "Traceback" not in missing.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    none = subprocess.run([str(CLI), "explore", str(empty), "--no-browser"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert none.returncode == 2 and "no annual-report params file" in none.stderr


def test_free_port_skips_a_taken_port():
    from proposal_stats.cli import free_port

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        taken = s.getsockname()[1]
        assert free_port("127.0.0.1", taken) > taken


def test_a_report_that_cannot_be_opened_says_why_and_the_current_one_stays(tmp_path, county):
    folder = tmp_path / "params"
    _write_county(folder)
    (folder / "broken.xlsx").write_text("not a workbook", encoding="utf-8")
    data = yaml.safe_load((folder / "county-2025.yaml").read_text(encoding="utf-8"))
    data.update(ledger="broken.xlsx", year=2026, title="示例县 2026（虚构）")
    (folder / "county-2026.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    app = Explorer([folder])
    first = app.report_picker.value
    app.report_picker.value = str((folder / "county-2026.yaml").resolve())
    assert app.report_picker.value == first and "Could not open county-2026.yaml" in app.header.value
    assert "broken.xlsx" in app.header.value and "示例县 2024" in app.header.value


# ---- languages -----------------------------------------------------------------------------------

def test_the_explorer_speaks_the_language_of_the_report_open(tmp_path, monkeypatch):
    """A report whose params file says `language: zh-CN` is explored in Chinese — controls, tabs, the
    unit's figures and timeliness, the funnel's axes — through the same catalogs as the report; the
    words change back when an English report is opened; a language given wins."""
    from proposal_stats.reporting.explorer import LANGUAGE_ENV
    from proposal_stats.reporting.i18n import UnknownLanguage

    monkeypatch.delenv(LANGUAGE_ENV, raising=False)
    folder = tmp_path / "params"
    english, chinese = _write_county(folder)
    data = yaml.safe_load(chinese.read_text(encoding="utf-8"))
    chinese.write_text(yaml.safe_dump({**data, "language": "zh-CN"}, allow_unicode=True), encoding="utf-8")
    app = Explorer([folder])  # opens 2024, in English
    assert app.unit.description == "Handling unit" and app.tabs.titles[0] == "Proposals"
    app.report_picker.value = str(chinese.resolve())
    assert app.unit.description == "承办单位" and app.result.description == "办理结果"
    assert app.tabs.titles == ("提案", "单位比较", "跨报告", "定义")
    assert app.result.options[1] == ("A · 已解决（已解决）· 4", "A")  # 2025: 甲局 2 A + 乙局 2 A
    app.unit.value = "甲局"
    figures = app.figures.value
    assert "<h3>甲局</h3>" in figures and "A类占比" in figures and "4 件中 2 件" in figures and "50.0%" in figures
    assert "已答复 4 件（按时 4 件，逾期 0 件），未答复 0 件；" in figures and "办理期限规则：" in figures
    assert "<th>案由</th>" in app.table.value and "<th>办理结果</th>" in app.table.value
    spec = json.dumps(app.funnel.spec, ensure_ascii=False)
    assert "计算基数中的提案件数（n）" in spec and "proposals in the base" not in spec
    app.report_picker.value = str(english.resolve())
    assert app.unit.description == "Handling unit" and "proposals in the base (n)" in json.dumps(app.funnel.spec)

    fixed = Explorer([folder], start=chinese, language="en")  # a language given wins over the report's
    assert fixed.unit.description == "Handling unit" and "Replied" in fixed.table.value
    monkeypatch.setenv(LANGUAGE_ENV, "zh-CN")  # as `proposal-stats explore --language zh-CN` passes it
    assert Explorer([folder]).unit.description == "承办单位"
    with pytest.raises(UnknownLanguage, match="no catalog for language 'xx'"):
        Explorer([folder], language="xx")


def test_explore_command_refuses_an_unknown_language():
    result = subprocess.run([str(CLI), "explore", "params", "--language", "xx", "--no-browser"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "no catalog for language 'xx'" in result.stderr and "Traceback" not in result.stderr


def test_the_dashboard_is_served_offline_and_frees_kernels():
    """The options Voilà is started with: its page template without the CDN stylesheets, and idle
    kernels with no page connected culled (the real-browser test sees the rest: no request off
    loopback, a closed page's kernel shut down)."""
    from proposal_stats.reporting import dashboard

    args = dashboard.voila_arguments(Path("explore.ipynb"), "127.0.0.1", 8866, browser=False, extra=["--MappingKernelManager.cull_idle_timeout=600"])
    assert "--template=proposal-stats" in args and "--MappingKernelManager.cull_connected=False" in args
    assert args.index(f"--MappingKernelManager.cull_idle_timeout={dashboard.CULL_IDLE_SECONDS}") < args.index("--MappingKernelManager.cull_idle_timeout=600")
    page = (dashboard.TEMPLATE_ROOT / "voila" / "templates" / dashboard.TEMPLATE / "index.html.j2").read_text(encoding="utf-8")
    assert "extends 'lab/index.html.j2'" in page


def test_the_funnel_legends_are_under_the_plot(city_index):
    """No legend inside the plot area, where it would cover the units of the lower right."""
    from proposal_stats.reporting import interactive

    spec = interactive.funnel_chart(city_index.funnel_points, city_index.funnel_lines).to_dict()
    orients = [enc["legend"]["orient"] for layer in spec["layer"] for enc in layer.get("encoding", {}).values()
               if isinstance(enc, dict) and isinstance(enc.get("legend"), dict)]
    assert orients and set(orients) == {"bottom"}


def test_explore_says_its_address_in_the_language_asked_for(monkeypatch, capsys):
    """`explore --language zh-CN` prints its address line in Chinese (in English by default)."""
    from proposal_stats import cli
    from proposal_stats.reporting import dashboard

    served = []
    monkeypatch.setattr(dashboard, "serve", lambda *args: served.append(args))
    monkeypatch.setattr(cli, "free_port", lambda host, port: 18999)
    monkeypatch.delenv("PROPOSAL_STATS_EXPLORE", raising=False)  # the command sets both for the dashboard: unset again afterwards
    for language, expected in (("zh-CN", "查看器：http://127.0.0.1:18999/（仅限本机访问；按 Ctrl-C 停止）——参数路径 1 个："),
                               (None, "explorer: http://127.0.0.1:18999/ (loopback only; Ctrl-C stops it) - 1 params path(s): ")):
        monkeypatch.delenv("PROPOSAL_STATS_EXPLORE_LANGUAGE", raising=False)
        args = ["explore", str(CITY), "--no-browser", *(["--language", language] if language else [])]
        with pytest.raises(SystemExit) as done:
            cli.app(args)
        assert done.value.code in (0, None)
        assert expected in capsys.readouterr().err.replace("\n", "")
    assert len(served) == 2
