"""Exports: CSV and the Excel workbook, read back as a user's tools read them.

Fixtures are fictional (虚构县); each kind of fault has its own: formula-like cells in every text
column a report exports, a unit whose share is a rounding tie (1 of 16 = 6.25%), blank cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from decimal import Decimal

import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from proposal_stats.reporting.exports import Table, export_frame, needs_neutralising, neutralise, write_csv, write_workbook
from proposal_stats.reporting.report import build_annual_report
from proposal_stats.stats.metrics import as_percent, percent_text, round_half_up

from .conftest import ROOT

HEADER = "proposal_id,title,proposer,handling_system,lead_unit,co_handling_units,assigned_at,replied_at,result_category,f2f_consulted,satisfaction\n"

# Formula-like text in the title, proposer, unit and category columns; one row rejected (its unit
# cell names two units) so the formula reaches rejected_rows and problems too.
INJECT = HEADER + "".join([
    '101,"=HYPERLINK(""http://example.invalid"",""x"")",=委员甲,government,县甲局,,2022-03-15,2022-05-01,A,是,满意\n',
    "102,关于虚构事项的建议,+委员乙,government,=1+2,,2022-03-15,2022-05-02,A,是,满意\n",
    "103,-2+3,@委员丙,government,+县乙局,,2022-03-15,2022-05-03,B,是,满意\n",
    '104,"@SUM(1,1)",委员丁,government,-县丙局,,2022-03-15,2022-05-04,A,否,基本满意\n',
    '105,"\tTAB开头的标题",委员戊,government,"=县丁局、县戊局",,2022-03-15,2022-05-05,A,是,满意\n',
    "106,-5,委员己,government,县甲局,,2022-03-15,2022-05-06,C,是,满意\n",
])


def fictional_params(tmp_path, ledger_text: str, **overrides) -> "Path":  # noqa: F821
    (tmp_path / "ledger.csv").write_text(ledger_text, encoding="utf-8")
    data = {
        "title": "虚构县人民政府办理虚构提案情况", "jurisdiction": "虚构县 (fictional)", "body": "cppcc_proposals",
        "session": "虚构县政协一届一次会议", "year": 2022, "ledger": "ledger.csv",
        "notebook": str(ROOT / "notebooks" / "annual_report.ipynb"), "output_dir": str(tmp_path / "out"),
        "synthetic_fields": ["title", "proposer"], "synthetic_note": "fictional test ledger",
        "result_scheme": {"id": "fict", "source": "fictional", "categories": [
            {"code": "A", "label": "已解决", "statuses": ["resolved"]},
            {"code": "B", "label": "列入计划", "statuses": ["planned"]},
            {"code": "C", "label": "暂不能解决", "statuses": ["not_feasible_now"]}]},
        "reply_deadline": {"months_after_assignment": 3, "source": "fictional"},
        "as_of": dt.date(2023, 12, 31),
        **overrides,
    }
    path = tmp_path / "fict-2022.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("inject")
    report = build_annual_report(fictional_params(tmp, INJECT))
    report.write_outputs(tmp / "out")
    return report, tmp / "out"


# ---- the rule, cell by cell ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["=1+2", "+市甲局", "-2+3", "@SUM(1,1)", "\tx", "\rx", "=cmd|' /C calc'!A0", "+", "=", "-5-"])
def test_formula_starts_are_neutralised(text):
    assert needs_neutralising(text) and neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["-5", "+7.5", "-0.25", "1e5", "-1,234.5", "-5%", "-", "市甲局", "", "'=already", " =1"])
def test_numbers_and_plain_text_stay_as_they_are(text):
    assert not needs_neutralising(text) and neutralise(text) == text


def test_one_rounding_rule():
    assert round_half_up(6.25, 1) == Decimal("6.3")  # float formatting would give 6.2
    assert as_percent(1 / 16, 1) == Decimal("6.3") and as_percent(1 / 16) == Decimal("6.25")
    assert as_percent(0.706) == Decimal("70.60")  # not 70.60000000000001
    assert round_half_up(2.8e-17) == Decimal("0.00") and str(round_half_up(-1e-9)) == "0.00"  # no "-0.00"
    assert round_half_up(54.5, 0) == 55 and round_half_up(float("nan")) is None and round_half_up(None) is None
    assert percent_text(as_percent(1 / 16, 1), 1) == "6.3%" and percent_text(None) == "—"


# ---- CSVs of a report -----------------------------------------------------------------------------------

def read_csv_cells(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_every_csv_cell_is_neutralised(injected):
    _, out = injected
    seen = set()
    for path in out.glob("*.csv"):
        for row in read_csv_cells(path):
            for cell in row:
                assert not needs_neutralising(cell), (path.name, cell)
                seen.add(cell)
    # the formulas are there, as text, in the files users open
    assert {"'=1+2", "'+县乙局", "'-县丙局", "'=委员甲"} <= seen
    units = read_csv_cells(out / "units.csv")
    assert "'=1+2" in [r[0] for r in units]
    rejected = read_csv_cells(out / "rejected_rows.csv")
    assert any("'=县丁局、县戊局" in r for r in rejected)
    problems = read_csv_cells(out / "problems.csv")
    value = problems[0].index("value")
    assert any(r[value] == "'=县丁局、县戊局" for r in problems[1:])


def test_exports_name_the_ledger_as_the_provenance_does(injected):
    """problems.csv and the problems sheet name the ledger relative to the project, like the about
    sheet, never by the rendering machine's absolute path."""
    report, out = injected
    shown = report.provenance()["ledger_file"]
    assert shown.endswith("/ledger.csv") and not shown.startswith("/")
    problems = pd.read_csv(out / "problems.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(problems) and set(problems["file"]) == {shown}
    wb = load_workbook(out / "tables.xlsx")
    assert {c.value for c in wb["problems"]["A"][1:]} == {shown}
    absolute = str(report.ledger.path.parent)
    for path in [*out.glob("*.csv"), out / "summary.json"]:
        assert absolute not in path.read_text(encoding="utf-8-sig"), path.name


def test_csv_percent_columns_are_named_and_rounded(injected):
    _, out = injected
    cats = pd.read_csv(out / "categories.csv", encoding="utf-8-sig", dtype=str)
    assert list(cats.columns) == ["code", "label", "statuses", "count", "share_pct"]
    # 5 accepted categorised proposals: A 3, B 1, C 1 (105 is rejected)
    assert cats[["code", "count", "share_pct"]].values.tolist() == [["A", "3", "60.00"], ["B", "1", "20.00"], ["C", "1", "20.00"]]
    perf = pd.read_csv(out / "unit_performance.csv", encoding="utf-8-sig", dtype=str)
    assert {"a_share_pct", "a_low_pct", "a_high_pct", "reply_rate_pct", "f2f_rate_pct"} <= set(perf.columns)
    assert "a_share" not in perf.columns
    text = (out / "unit_performance.csv").read_text(encoding="utf-8-sig")
    assert "e-" not in text and "0000000" not in text
    assert perf["days_median"].str.fullmatch(r"\d+").all()  # whole days


# Line breaks inside cells: a lone carriage return (as old Mac editors and some web forms write
# them), a line feed, CRLF and a quote, in rows rejected (categories not in the scheme) so they
# reach rejected_rows and problems (its value column), and in an accepted row.
BREAKS = HEADER + "".join([
    '201,"关于\r修路的建议","\r回车",government,县甲局,,2022-03-15,2022-05-01,"Y\rZ",是,满意\r\n',
    '202,"关于\n路灯的建议","委员\r\n乙",government,县乙局,,2022-03-15,2022-05-02,"Z\r",是,满意\r\n',
    '203,"说""路""的建议",委员丙,government,县乙局,,2022-03-15,2022-05-03,B,是,满意\r\n',
    '204,关于公交的建议,委员丁,government,县甲局,,2022-03-15,2022-05-03,A,是,满意\r\n',
])


def test_every_csv_round_trips_cells_with_line_breaks(tmp_path):
    """RFC 4180: a cell holding \\r, \\n or a quote is quoted, so every CSV a report writes reads back
    cell for cell, row for row, with Python's csv module and with pandas; the workbook too."""
    report = build_annual_report(fictional_params(tmp_path, BREAKS))
    out = tmp_path / "out"
    report.write_outputs(out)
    tables = {t.name: t for t in report.tables()}
    assert len(tables["rejected_rows"].frame) == 2
    for name, table in tables.items():
        path = out / f"{name}.csv"
        assert path.read_bytes().endswith(b"\r\n")
        rows = list(csv.reader(path.open(encoding="utf-8-sig", newline="")))
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert len(rows) - 1 == len(frame) == len(table.frame), name
        assert [list(r) for r in frame.itertuples(index=False)] == rows[1:], name
    rejected = pd.read_csv(out / "rejected_rows.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert rejected["title"].tolist() == ["关于\r修路的建议", "关于\n路灯的建议"]
    assert rejected["proposer"].tolist() == ["'\r回车", "委员\r\n乙"]  # a leading \r is a formula start: neutralised
    problems = pd.read_csv(out / "problems.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert {"Y\rZ", "Z\r"} <= set(problems["value"])
    # the workbook, read by openpyxl and by pandas
    wb = load_workbook(out / "tables.xlsx")
    assert "\r回车" in [c.value for c in wb["rejected_rows"]["D"]]
    assert pd.read_excel(out / "tables.xlsx", sheet_name="rejected_rows", engine="openpyxl")["title"].tolist() == ["关于\r修路的建议", "关于\n路灯的建议"]


def test_csv_writer_quotes_a_lone_carriage_return(tmp_path):
    frame = pd.DataFrame({"proposer": ["\r回车", "a\nb"], "title": ["关于\r修路的建议", 'q"u']})
    path = write_csv(Table("t", frame), tmp_path / "t.csv")
    assert path.read_bytes() == '\ufeffproposer,title\r\n"\'\r回车","关于\r修路的建议"\r\n"a\nb","q""u"\r\n'.encode()
    assert list(csv.reader(path.open(encoding="utf-8-sig", newline=""))) == [
        ["proposer", "title"], ["'\r回车", "关于\r修路的建议"], ["a\nb", 'q"u']]


def test_workbook_percentages_read_back_at_the_scale_their_header_says(injected):
    """pandas (as a script reading the workbook would): the workbook's ``share`` is the fraction
    0.6 shown as 60.00%; the CSV's ``share_pct`` is the percent number 60.00. Never 0.6 under a
    header that says percent."""
    report, out = injected
    for table in report.tables():
        book = pd.read_excel(out / "tables.xlsx", sheet_name=table.name, engine="openpyxl")
        flat = pd.read_csv(out / f"{table.name}.csv", encoding="utf-8-sig")
        assert not [c for c in book.columns if str(c).endswith("_pct")], table.name
        for col in (*table.percent, *table.proportion):
            pct = f"{col}_pct"
            assert col in book.columns and pct in flat.columns, (table.name, col)
            pairs = pd.concat([book[col], flat[pct]], axis=1).dropna()
            assert len(pairs) and ((pairs[col] * 100 - pairs[pct]).abs() < 1e-9).all(), (table.name, col)
    cats = pd.read_excel(out / "tables.xlsx", sheet_name="categories", engine="openpyxl")
    assert cats["share"].tolist() == [0.6, 0.2, 0.2]


# ---- the workbook -----------------------------------------------------------------------------------------

def test_workbook_sheets_headers_and_about(injected):
    report, out = injected
    wb = load_workbook(out / "tables.xlsx")
    assert wb.sheetnames == ["about", "categories", "units", "unit_performance", "published_vs_ledger", "proposals", "rejected_rows", "problems"]
    for name in wb.sheetnames[1:]:
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        assert all(c.font.b for c in ws[1] if c.value is not None), name
    about = [[c for c in row if c is not None] for row in wb["about"].iter_rows(values_only=True)]
    flat = {cell for row in about for cell in row}
    assert report.ledger.sha256 in flat and "ledger_sha256" in flat
    assert "proposal_stats_version" in flat and "params/fict-2022.yaml" not in flat  # params path, relative to its project
    assert any(str(c).endswith("fict-2022.yaml") for c in flat)
    assert ["unit_performance", *[]] == [r[0] for r in about if r and r[0] == "unit_performance"]
    assert any(str(c).startswith("SYNTHETIC DATA") for c in flat)


def test_workbook_formula_cells_are_text(injected):
    _, out = injected
    wb = load_workbook(out / "tables.xlsx")
    ws = wb["units"]
    cells = {c.value: c for row in ws.iter_rows(min_row=2, max_col=1) for c in row}
    assert cells["=1+2"].data_type == "s" and cells["=1+2"].quotePrefix  # text, shown as text
    assert cells["+县乙局"].data_type == "s" and cells["-县丙局"].quotePrefix
    for name in wb.sheetnames:
        for row in wb[name].iter_rows():
            for c in row:
                assert c.data_type != "f", (name, c.coordinate, c.value)
    # the raw XML holds no formula element at all
    import zipfile

    with zipfile.ZipFile(out / "tables.xlsx") as z:
        assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_workbook_percent_dates_and_numbers(injected):
    _, out = injected
    wb = load_workbook(out / "tables.xlsx")
    cats = wb["categories"]
    head = [c.value for c in cats[1]]
    assert "share_pct" not in head  # the workbook holds fractions: its header does not claim percent numbers
    share = cats.cell(row=2, column=head.index("share") + 1)
    assert share.data_type == "n" and share.value == pytest.approx(0.6) and share.number_format == "0.00%"
    count = cats.cell(row=2, column=head.index("count") + 1)
    assert count.value == 3 and count.data_type == "n"
    rej = wb["rejected_rows"]
    head = [c.value for c in rej[1]]
    assert "source_line" in head and rej.cell(row=2, column=head.index("source_line") + 1).data_type == "n"


def test_workbook_is_byte_identical_for_the_same_tables(tmp_path):
    frame = pd.DataFrame({"unit": ["=1", "县甲局"], "n": [1, 2], "share": [0.0625, None],
                          "when": pd.to_datetime(["2022-03-15", None])})
    t = Table("t", frame, "test", proportion=("share",))
    a = write_workbook([t], tmp_path / "a.xlsx")
    b = write_workbook([t], tmp_path / "b.xlsx")
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    ws = load_workbook(a)["t"]
    assert ws["D2"].is_date and ws["D2"].value == dt.datetime(2022, 3, 15) and ws["D2"].number_format == "yyyy-mm-dd"
    assert ws["C2"].value == 0.0625 and ws["C2"].number_format == "0.00%"
    assert ws["C3"].value is None and ws["D3"].value is None


def test_headers_from_a_caller_mapping_and_illegal_characters(tmp_path):
    frame = pd.DataFrame({"handling_unit": ["县\x07甲局", "x" * 40_000], "n": [1, -2]})
    path = write_workbook([Table("units", frame)], tmp_path / "l.xlsx", labels={"handling_unit": "承办单位"})
    ws = load_workbook(path)["units"]
    assert [c.value for c in ws[1]] == ["承办单位", "n"]
    assert ws["A2"].value == "县\\x07甲局"  # shown, not dropped and not a broken file
    assert len(ws["A3"].value) == 32_767 and "cut" in ws["A3"].value
    assert ws["B3"].value == -2 and ws["B3"].data_type == "n"  # a negative number stays a number


def test_export_frame_by_suffix(tmp_path):
    frame = pd.DataFrame({"figure": ["@x"], "unit": [6.25]})
    csv_path = export_frame(frame, tmp_path / "what I see.csv", percent=("unit",))
    assert read_csv_cells(csv_path) == [["figure", "unit_pct"], ["'@x", "6.25"]]
    xlsx = export_frame(frame, tmp_path / "what I see.xlsx", percent=("unit",), about="the explorer's selection")
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["about", "what I see"] and wb["what I see"]["A2"].value == "@x"
    with pytest.raises(ValueError, match=r"\.csv or \.xlsx"):
        export_frame(frame, tmp_path / "x.json")


def test_write_csv_header_from_user_data_is_neutralised(tmp_path):
    frame = pd.DataFrame({"=HEADER()": ["a"], "ok": ["-1"]})
    rows = read_csv_cells(write_csv(Table("t", frame), tmp_path / "t.csv"))
    assert rows == [["'=HEADER()", "ok"], ["a", "-1"]]


def test_workbook_headers_and_about_sheet_in_the_report_language(tmp_path):
    """A Chinese report's workbook has Chinese headers and a Chinese about sheet (the shipped
    catalog); its CSV headers stay the machine names, so scripts reading them do not break."""
    from proposal_stats.reporting.vocabulary import column_label

    report = build_annual_report(fictional_params(tmp_path, INJECT), language="zh-CN")
    report.write_outputs(tmp_path / "out")
    wb = load_workbook(tmp_path / "out" / "tables.xlsx")
    assert wb["units"]["A1"].value == column_label("handling_unit", "zh-CN") == "承办单位"
    assert [c.value for c in wb["categories"][1]][-1] == column_label("share", "zh-CN") == "占比"
    assert [c.value for c in wb["units"][1]][4:7] == ["A类", "B类", "C类"]
    about = list(wb["about"].iter_rows(values_only=True))
    assert about[0][0] == "虚构县人民政府办理虚构提案情况——数据表" and about[2][:3] == ("工作表", "内容", "行数")
    assert ("台账 SHA-256", report.ledger.sha256) in [r[:2] for r in about]
    assert any(str(r[0]).startswith("合成数据：") for r in about if r[0])
    assert (tmp_path / "out" / "units.csv").read_text(encoding="utf-8-sig").startswith("handling_unit,")


def _has_cjk(text) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(text))


def test_every_workbook_header_has_a_chinese_label(tmp_path):
    """In a Chinese report's workbooks (annual and corpus) no header is left in English: every
    column of every sheet, the statuses of any scheme, a category code (A类) — except the rejected
    rows' headers, which are the ledger's own as written (here English canonical names)."""
    import yaml as _yaml

    from proposal_stats.reporting.corpus_report import build_corpus_report
    from proposal_stats.reporting.vocabulary import COLUMNS, column_label
    from proposal_stats.terms import RESOLUTION_STATUSES

    assert [n for n in (*COLUMNS, *RESOLUTION_STATUSES) if not _has_cjk(column_label(n, "zh-CN"))] == []
    assert column_label("topic", "zh-CN") == "提案分类"  # not 类别, which is an alias of result_category
    report = build_annual_report(fictional_params(tmp_path, INJECT), language="zh-CN")
    report.write_outputs(tmp_path / "out")
    data = _yaml.safe_load((ROOT / "params" / "published-audit.yaml").read_text(encoding="utf-8"))
    data.update(claims=str(ROOT / "data" / "published"), output_dir=str(tmp_path / "corpus"))
    (tmp_path / "published-audit.yaml").write_text(_yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    build_corpus_report(tmp_path / "published-audit.yaml", language="zh-CN").write_outputs(tmp_path / "corpus")
    for book in (tmp_path / "out" / "tables.xlsx", tmp_path / "corpus" / "tables.xlsx"):
        wb = load_workbook(book)
        for name in wb.sheetnames[1:]:
            headers = [c.value for c in wb[name][1]]
            if name == "rejected_rows":
                assert headers == ["行号", *INJECT.splitlines()[0].split(","), "原因"]
                continue
            assert headers and [h for h in headers if not _has_cjk(h)] == [], (book.parent.name, name, headers)



def test_a_large_ledger_keeps_the_html_bounded_and_every_proposal_exported(tmp_path, monkeypatch):
    """The appendix and the dissatisfied follow-up list the first rows only, saying where the rest
    are; proposals.csv holds every accepted proposal; a table too big for a quick workbook has a
    sheet saying its rows are in its CSV (benchmarks/bench_render.py --rows 200000 measures it)."""
    import re

    import proposal_stats.reporting.exports as exports

    rows = "".join(f"{300 + i},关于事项{i}的建议,委员{i},government,县甲局,,2022-03-15,2022-05-01,A,是,不满意\n" for i in range(7))
    report = build_annual_report(fictional_params(tmp_path, HEADER + rows))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", report.appendix(limit=3).html()))
    assert "the first 3 of 7 proposals; every proposal is in proposals.csv" in text
    assert "300" in text and "302" in text and "303" not in text
    follow = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", report.satisfaction(limit=2).html()))
    assert "the first 2 of 7; every proposal's evaluations and second reply are in proposals.csv" in follow and "302" not in follow
    assert "7 proposals" in re.sub(r"<[^>]+>", " ", report.appendix().html())  # under the limit: all, no note
    monkeypatch.setattr(exports, "WORKBOOK_MAX_CELLS", 50)
    report.write_outputs(tmp_path / "out")
    proposals = pd.read_csv(tmp_path / "out" / "proposals.csv", encoding="utf-8-sig", dtype=str)
    assert proposals["proposal_id"].tolist() == [str(300 + i) for i in range(7)] and proposals["satisfaction"].eq("dissatisfied").all()
    sheet = [[c.value for c in row] for row in load_workbook(tmp_path / "out" / "tables.xlsx")["proposals"].iter_rows()]
    assert sheet[0][:2] == ["proposal_id", "title"] and len(sheet) == 2
    assert sheet[1][0] == "7 rows, too many to write into this workbook quickly: every row is in proposals.csv"


def test_chinese_workbook_shows_codes_and_explanations_in_words_and_csv_keeps_codes(tmp_path):
    """A Chinese report's workbook shows what its HTML shows: statuses, evaluations, systems,
    rules, severities, verdicts and figure names in Chinese, and every explanation (a problem's
    message, a comparison's detail) translated; the synthetic fields are named in Chinese. The
    CSV files keep the codes, for scripts."""
    from proposal_stats.reporting.corpus_report import build_corpus_report

    report = build_annual_report(fictional_params(tmp_path, INJECT), language="zh-CN")
    report.write_outputs(tmp_path / "out")
    wb = load_workbook(tmp_path / "out" / "tables.xlsx")

    def column(sheet, header):
        rows = list(wb[sheet].iter_rows(values_only=True))
        at = rows[0].index(header)
        return [r[at] for r in rows[1:]]

    assert column("categories", "统一办理结果") == ["已解决", "列入计划", "暂时无法解决"]
    assert column("proposals", "统一办理结果") == ["已解决", "已解决", "列入计划", "已解决", "暂时无法解决"]  # 101–104, 106
    assert column("proposals", "评价") == ["满意", "满意", "满意", "基本满意", "满意"]
    assert set(column("proposals", "办理系统")) == {"政府"}
    # row 105 names two lead units: an error, its rule, severity and message in Chinese, its column as the ledger names it
    problems = list(wb["problems"].iter_rows(values_only=True))
    row = next(r for r in problems if "多个主办单位" in r)
    assert "错误" in row and "lead_unit" in row
    message = row[problems[0].index("说明")]
    problems_read = report.ledger.problems
    assert message == report.t(problems_read.loc[problems_read["rule"] == "several_lead_units", "message"].iloc[0])
    assert message == "单元格写了不止一个单位；此处只填一个主办单位，其余填入协办单位"
    assert not any(str(m).isascii() for m in column("problems", "说明"))
    assert column("rejected_rows", "原因") == ["lead_unit：单元格写了不止一个单位；此处只填一个主办单位，其余填入协办单位"]  # the header as written
    # a rejected row stays as written, headers and cells, even where they read like codes
    assert column("rejected_rows", "handling_system") == ["government"] and column("rejected_rows", "行号") == [6]
    assert "lead_unit" in column("problems", "列")  # the ledger's header as written, as the HTML shows it
    assert set(column("proposals", "面商")) == {"是", "否"}  # yes/no in words, as the HTML shows them
    about = [r[0] for r in wb["about"].iter_rows(values_only=True) if r[0]]
    assert any(a.startswith("合成数据：以下台账字段为合成数据：案由、提案者。") for a in about)
    # the CSVs keep the codes
    csv_rows = read_csv_cells(tmp_path / "out" / "proposals.csv")
    at = csv_rows[0].index("satisfaction")
    assert [r[at] for r in csv_rows[1:]] == ["satisfied", "satisfied", "satisfied", "basically_satisfied", "satisfied"]
    problems_csv = read_csv_cells(tmp_path / "out" / "problems.csv")
    at = problems_csv[0].index("rule")
    assert "several_lead_units" in [r[at] for r in problems_csv[1:]]

    # the comparison with the printed figures and the corpus' findings: figure names, verdicts, details
    import yaml as _yaml

    reference = build_annual_report(ROOT / "params" / "chuxiong-city-2022.yaml", language="zh-CN")
    reference.write_outputs(tmp_path / "ref")
    wb = load_workbook(tmp_path / "ref" / "tables.xlsx")
    rows = {r[0]: r for r in list(wb["published_vs_ledger"].iter_rows(values_only=True))[1:]}
    assert rows["提案总数"][1:4] == ("269", "共提出提案269件", "一致")
    assert rows["B类占比"][1:4] == ("24.60%", "24.6%", "一致")
    assert rows["按时办复率"][3] == "未公布"
    assert [r[4] for r in rows.values() if r[4] and not _has_cjk(r[4])] == []
    data = _yaml.safe_load((ROOT / "params" / "published-audit.yaml").read_text(encoding="utf-8"))
    data.update(claims=str(ROOT / "data" / "published"), output_dir=str(tmp_path / "corpus"))
    (tmp_path / "published-audit.yaml").write_text(_yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    build_corpus_report(tmp_path / "published-audit.yaml", language="zh-CN").write_outputs(tmp_path / "corpus")
    wb = load_workbook(tmp_path / "corpus" / "tables.xlsx")
    comparison = list(wb["comparison"].iter_rows(values_only=True))
    first = [r[comparison[0].index("公布的第一类")] for r in comparison[1:]]
    assert not any("unlabelled" in str(f) for f in first) and any("（报告未标类别字母）：" in str(f) for f in first)
    assert {r[comparison[0].index("可比")] for r in comparison[1:]} == {"是", "否"}
    findings = list(wb["findings"].iter_rows(values_only=True))
    kind, severity, message = (findings[0].index(h) for h in ("种类", "严重程度", "说明"))
    assert [r for r in findings[1:] if not (_has_cjk(r[kind]) and _has_cjk(r[severity]) and _has_cjk(r[message]))] == []
