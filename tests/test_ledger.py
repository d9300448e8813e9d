"""Ledger loading: every format, header aliases, value normalisation, the data model, each rule."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from proposal_stats.ledger import LedgerError, read_ledger
from proposal_stats.params import load_params
from proposal_stats.rules import RULES

from .conftest import CITY, params_copy

HEADER = "proposal_id,title,handling_system,lead_unit,assigned_at,due_at,replied_at,result_category,f2f_consulted,satisfaction\n"
OK = "001,ok,government,市财政局,2022-03-15,,2022-05-01,A,true,satisfied\n"


@pytest.fixture
def params(tmp_path):
    return load_params(params_copy(CITY, tmp_path, as_of="2026-01-01"))


def write(tmp_path, body: str, header: str = HEADER, name: str = "ledger.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes((header + body).encode(encoding))
    return path


def load(tmp_path, params, body: str, header: str = HEADER, **kw):
    return read_ledger(write(tmp_path, body, header, **kw), params)


def test_reference_ledger_loads_clean():
    p = load_params(CITY)
    ledger = read_ledger(p.ledger, p)
    assert (ledger.rows_read, len(ledger.proposals), len(ledger.rejected), len(ledger.problems)) == (269, 269, 0, 0)
    assert ledger.proposals["proposal_id"].iloc[0] == "001"  # ids stay text
    assert str(ledger.proposals["replied_at"].dtype) == "datetime64[us]"
    assert len(ledger.sha256) == 64 and ledger.layout == "proposal_per_row"


# ---- rules: one fixture each ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "rule"),
    [
        ("002,x,government,市财政局,2022-03-15,,2022/13/45,A,true,satisfied\n", "unparseable_value"),
        ("002,x,government,市财政局,2022-03-15,,2022-05-01,D,true,satisfied\n", "category_not_in_scheme"),
        ("002,x,government,,2022-03-15,,2022-05-01,A,true,satisfied\n", "no_lead_unit"),
        ("002,x,government,市财政局,2022-03-15,,2022-03-01,A,true,satisfied\n", "reply_before_assignment"),
        ("002,x,government,市财政局,2022-03-15,,2022-05-01,A,maybe,satisfied\n", "unparseable_value"),
        ("002,x,ministry,市财政局,2022-03-15,,2022-05-01,A,true,satisfied\n", "unparseable_value"),
        ("002,x,government,市财政局,2022-03-15,,2022-05-01,A,true,happy\n", "unparseable_value"),
        (",x,party,,,,,,,\n", "blank_id"),
        ("002,x,government,市财政局,2022-03-15\n", "row_shape"),
        ("002,x,government,市财政局,2022-03-15,,2022-05-01,A,true,satisfied,extra\n", "row_shape"),
    ],
)
def test_each_error_rule_rejects_the_row(tmp_path, params, row, rule):
    assert RULES[rule].severity == "error"
    ledger = load(tmp_path, params, OK + row)
    assert ledger.rows_read == 2 == len(ledger.proposals) + len(ledger.rejected)
    assert ledger.proposals["proposal_id"].tolist() == ["001"]
    assert rule in set(ledger.errors["rule"])
    assert ledger.rejected["source_line"].tolist() == [3]
    assert ledger.rejected["reasons"].iloc[0]


@pytest.mark.parametrize(
    ("row", "rule"),
    [
        ("002,x,government,市财政局,2022-03-15,,2027-05-01,A,true,satisfied\n", "date_in_future"),
        ("002,x,government,市财政局,2022-03-15,,,,true,satisfied\n", "satisfaction_without_reply"),
        ("002,=HYPERLINK(\"x\"),government,市财政局,2022-03-15,,2022-05-01,A,true,satisfied\n", "spreadsheet_formula"),
    ],
)
def test_each_warning_rule_keeps_the_row_and_flags_it(tmp_path, params, row, rule):
    assert RULES[rule].severity == "warning"
    ledger = load(tmp_path, params, OK + row)
    assert ledger.proposals["proposal_id"].tolist() == ["001", "002"] and len(ledger.rejected) == 0
    assert ledger.warnings["rule"].tolist() == [rule]
    assert ledger.warnings["line"].tolist() == [3]


def test_required_column_missing_rejects_every_row(tmp_path, params):
    ledger = load(tmp_path, params, "001,x,government,2022-05-01,A\n", header="proposal_id,title,handling_system,replied_at,result_category\n")
    assert (ledger.rows_read, len(ledger.proposals), len(ledger.rejected)) == (1, 0, 1)
    assert "lead_unit: the file has no 'lead_unit' column" in ledger.rejected["reasons"].iloc[0]


def test_duplicate_ids_reject_both_rows(tmp_path, params):
    ledger = load(tmp_path, params, OK + OK.replace("ok", "other"))
    assert len(ledger.proposals) == 0 and set(ledger.errors["rule"]) == {"duplicate_id"}


def test_a_problem_names_file_line_column_value_and_says_why(tmp_path, params):
    ledger = load(tmp_path, params, OK + "002,x,government,市财政局,2022-03-15,,2022/13/45,A,true,satisfied\n")
    p = ledger.problems.iloc[0]
    assert p["file"].endswith("ledger.csv") and p["line"] == 3
    assert (p["column"], p["value"], p["rule"], p["severity"]) == ("replied_at", "2022/13/45", "unparseable_value", "error")
    assert p["message"].startswith("not a date")


def test_line_numbers_count_blank_lines_and_multiline_cells(tmp_path, params):
    ledger = load(tmp_path, params, "001,ok,party,,,,,,,\n\n" '002,"a title\nover two lines",party,,,,,,,\n' "003,bad,ministry,,,,,,,\n")
    assert ledger.rejected["source_line"].tolist() == [6]
    assert ledger.proposals["source_line"].tolist() == [2, 4]
    assert ledger.proposals["title"].tolist() == ["ok", "a title\nover two lines"]


def test_due_date_is_filled_from_the_deadline_rule(tmp_path, params):
    ledger = load(tmp_path, params, OK.replace("2022-03-15", "2022-03-31"))
    assert ledger.proposals["due_at"].iloc[0] == pd.Timestamp("2022-06-30")  # month end clipped


# ---- files that cannot be read: LedgerError -----------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_an_empty_file_cannot_be_read(tmp_path, params, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(LedgerError, match="empty"):
        read_ledger(path, params)


def test_a_header_only_file_has_no_rows(tmp_path, params):
    ledger = load(tmp_path, params, "")
    assert (ledger.rows_read, len(ledger.proposals), len(ledger.rejected)) == (0, 0, 0)


def test_two_columns_meaning_the_same_thing(tmp_path, params):
    with pytest.raises(LedgerError, match="'title' and '案由' both mean title"):
        load(tmp_path, params, "001,x,y,party,,,,,,,\n", header=HEADER.replace("title,", "title,案由,"))


def test_missing_file(tmp_path, params):
    with pytest.raises(LedgerError, match="not found"):
        read_ledger(tmp_path / "none.csv", params)


# ---- formats and encodings ----------------------------------------------------------------------------

CHINESE = "提案号,案由,主办单位,协办单位,交办日期,答复日期,类别,是否面商,满意度\n"
RARE = "001,关于䶮字路牌的提案,市教育体育局,市财政局、市水务局,2022年3月15日,2022/5/1,A类,是,满意\n"


def test_gb18030_with_a_rare_character_and_chinese_headers(tmp_path, params):
    ledger = load(tmp_path, params, RARE, header=CHINESE, encoding="gb18030")
    assert ledger.encoding == "gb18030"
    row = ledger.proposals.iloc[0]
    assert row["title"] == "关于䶮字路牌的提案"
    assert (row["lead_unit"], row["co_handling_units"]) == ("市教育体育局", "市财政局;市水务局")
    assert (row["assigned_at"], row["replied_at"]) == (pd.Timestamp("2022-03-15"), pd.Timestamp("2022-05-01"))
    assert (row["result_category"], row["result_category_raw"], bool(row["f2f_consulted"]), row["satisfaction"]) == ("A", "A类", True, "satisfied")
    assert row["handling_system"] == "government"  # no system column: a government ledger


def test_utf8_bom_and_utf8_are_read_as_utf8(tmp_path, params):
    for encoding in ("utf-8", "utf-8-sig"):
        ledger = load(tmp_path, params, RARE, header=CHINESE, encoding=encoding)
        assert ledger.encoding == "utf-8" and ledger.proposals["title"].iloc[0] == "关于䶮字路牌的提案"


def test_tsv(tmp_path, params):
    ledger = load(tmp_path, params, RARE.replace(",", "\t"), header=CHINESE.replace(",", "\t"), name="ledger.tsv")
    assert ledger.proposals["co_handling_units"].iloc[0] == "市财政局;市水务局"


def test_xlsx_with_title_row_two_header_rows_merged_cells_and_serial_dates(tmp_path, params):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["楚雄市2022年政协提案办理台账"])  # a title row above the header
    ws.merge_cells("A1:F1")
    ws.append(["提案号", "案由", "主办单位", "办理情况", None, None])
    ws.append([None, None, None, "答复日期", "类别", "是否面商"])
    ws.merge_cells("D2:F2")
    for col in "ABC":  # the first three headers span both header rows
        ws.merge_cells(f"{col}2:{col}3")
    ws.append(["007", "关于老旧小区改造的提案", "市住房和城乡建设局", 44682, "甲类", "√"])  # 44682 = 2022-05-01
    ws.append(["008", "=A4", "市住房和城乡建设局", dt.date(2022, 5, 2), "Ｂ", "电话"])
    path = tmp_path / "ledger.xlsx"
    wb.save(path)
    ledger = read_ledger(path, params)
    assert ledger.encoding == "xlsx" and len(ledger.rejected) == 0, ledger.problems
    p = ledger.proposals
    assert p["proposal_id"].tolist() == ["007", "008"]
    assert p["replied_at"].tolist() == [pd.Timestamp("2022-05-01"), pd.Timestamp("2022-05-02")]
    assert p["result_category"].tolist() == ["A", "B"]
    assert p["f2f_consulted"].tolist() == [True, False]
    assert p["source_line"].tolist() == [4, 5]  # Excel row numbers
    assert ledger.warnings["rule"].tolist() == ["spreadsheet_formula"]  # no cached value: the formula text


def test_xlsx_named_sheet(tmp_path, params):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "说明"
    ws = wb.create_sheet("台账")
    ws.append(["提案号", "主办单位", "答复日期", "类别"])
    ws.append(["001", "市财政局", "2022-05-01", "C"])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    assert read_ledger(path, params, sheet="台账").proposals["result_category"].tolist() == ["C"]
    with pytest.raises(LedgerError, match="no sheet named '其他'"):
        read_ledger(path, params, sheet="其他")


def test_parquet(tmp_path, params):
    frame = pd.DataFrame(
        {"proposal_id": ["007"], "lead_unit": ["市财政局"], "replied_at": pd.to_datetime(["2022-05-01"]), "result_category": ["B"]}
    )
    frame.to_parquet(tmp_path / "ledger.parquet")
    ledger = read_ledger(tmp_path / "ledger.parquet", params)
    assert ledger.proposals[["proposal_id", "result_category"]].values.tolist() == [["007", "B"]]
    assert ledger.proposals["replied_at"].iloc[0] == pd.Timestamp("2022-05-01")


# ---- values ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("A", "A"), ("a", "A"), ("Ａ", "A"), ("A类", "A"), ("甲", "A"), ("甲类", "A"), ("一类", "A"), ("第二类", "B"), ("丙", "C"), ("已解决或正在解决", "A")],
)
def test_category_variants(tmp_path, params, text, expected):
    ledger = load(tmp_path, params, OK.replace(",A,", f",{text},"))
    assert ledger.proposals["result_category"].tolist() == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2022-05-01", "2022-05-01"), ("2022/5/1", "2022-05-01"), ("2022.5.1", "2022-05-01"), ("2022年5月1日", "2022-05-01"),
     ("44682", "2022-05-01"), ("２０２２－０５－０１", "2022-05-01"), ("20220501", "2022-05-01"), ("2022-05-01 00:00:00", "2022-05-01")],
)
def test_date_variants(tmp_path, params, text, expected):
    ledger = load(tmp_path, params, OK.replace(",2022-05-01,", f",{text},"))
    assert ledger.proposals["replied_at"].tolist() == [pd.Timestamp(expected)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("满意", "satisfied"), ("基本满意", "basically_satisfied"), ("不满意", "dissatisfied"), ("未反馈", "no_response"), ("Satisfied", "satisfied")],
)
def test_satisfaction_variants(tmp_path, params, text, expected):
    assert load(tmp_path, params, OK.replace("satisfied\n", f"{text}\n")).proposals["satisfaction"].tolist() == [expected]


@pytest.mark.parametrize(("text", "expected"), [("是", True), ("否", False), ("√", True), ("×", False), ("面商", True), ("电话", False), ("书面", False)])
def test_face_to_face_variants(tmp_path, params, text, expected):
    assert load(tmp_path, params, OK.replace(",true,", f",{text},")).proposals["f2f_consulted"].tolist() == [expected]


def test_ids_stay_text(tmp_path, params):
    assert load(tmp_path, params, OK.replace("001", "007")).proposals["proposal_id"].tolist() == ["007"]


def test_unit_aliases_from_params_merge_spellings(tmp_path):
    p = load_params(params_copy(CITY, tmp_path, unit_aliases={"市教育体育局": ["楚雄市教育体育局", "教体局"]}))
    body = "".join(OK.replace("001", f"00{i}").replace("市财政局", name) for i, name in enumerate(["楚雄市教育体育局", "市教育体育局", "教体局"], 1))
    assert set(load(tmp_path, p, body).proposals["lead_unit"]) == {"市教育体育局"}


def test_column_aliases_from_params(tmp_path):
    p = load_params(params_copy(CITY, tmp_path, column_aliases={"lead_unit": ["负责部门"]}))
    ledger = load(tmp_path, p, "001,市财政局,2022-05-01,A\n", header="提案号,负责部门,答复日期,类别\n")
    assert ledger.proposals["lead_unit"].tolist() == ["市财政局"]


# ---- the data model -----------------------------------------------------------------------------------

PER_PROPOSAL = (
    "proposal_id,title,lead_unit,co_handling_units,assigned_at,replied_at,result_category,f2f_consulted,satisfaction\n"
    "001,路灯,市住建局,市财政局；市电力公司,2022-03-15,2022-05-01,A,是,满意\n"
    "002,学校,市教体局,,2022-03-15,2022-05-03,B,是,基本满意\n"
)
PER_ASSIGNMENT = (
    "proposal_id,title,handling_unit,unit_role,assigned_at,replied_at,result_category,f2f_consulted,satisfaction\n"
    "001,路灯,市住建局,主办,2022-03-15,2022-05-01,A,是,满意\n"
    "001,路灯,市财政局,协办,2022-03-15,,,,\n"
    "001,路灯,市电力公司,会办,2022-03-15,,,,\n"
    "002,学校,市教体局,主办,2022-03-15,2022-05-03,B,是,基本满意\n"
)


def test_both_layouts_load_to_the_same_model(tmp_path, params):
    a = read_ledger(write(tmp_path, PER_PROPOSAL, header="", name="a.csv"), params)
    b = read_ledger(write(tmp_path, PER_ASSIGNMENT, header="", name="b.csv"), params)
    assert (a.layout, b.layout) == ("proposal_per_row", "assignment_per_row")
    cols = ["proposal_id", "lead_unit", "co_handling_units", "replied_at", "result_category", "f2f_consulted", "satisfaction"]
    pd.testing.assert_frame_equal(a.proposals[cols], b.proposals[cols])
    key = ["proposal_id", "handling_unit", "unit_role"]
    assert sorted(map(tuple, a.assignments[key].values)) == sorted(map(tuple, b.assignments[key].values)) == sorted([
        ("001", "市住建局", "lead"), ("001", "市财政局", "co_handler"), ("001", "市电力公司", "co_handler"), ("002", "市教体局", "lead"),
    ])


def test_separate_handling_counts_the_proposal_once_conservatively(tmp_path, params):
    ledger = read_ledger(
        write(
            tmp_path,
            "proposal_id,title,handling_unit,unit_role,assigned_at,replied_at,result_category\n"
            "009,河道,市水务局,分办,2022-03-15,2022-05-01,A\n"
            "009,河道,市林草局,分办,2022-03-15,2022-06-01,C\n",
            header="",
        ),
        params,
    )
    assert len(ledger.proposals) == 1 and len(ledger.assignments) == 2
    row = ledger.proposals.iloc[0]
    assert (row["replied_at"], row["result_category"]) == (pd.Timestamp("2022-06-01"), "C")
    assert set(ledger.assignments["unit_role"]) == {"separate"}


def test_assignment_rows_disagreeing_on_the_proposal_are_rejected(tmp_path, params):
    ledger = read_ledger(write(tmp_path, PER_ASSIGNMENT.replace("001,路灯,市财政局", "001,路牌,市财政局"), header=""), params)
    assert set(ledger.proposals["proposal_id"]) == {"002"}
    assert len(ledger.rejected) == 3 and "duplicate_id" in set(ledger.errors["rule"])


def test_a_rejected_assignment_rejects_its_whole_proposal(tmp_path, params):
    ledger = read_ledger(write(tmp_path, PER_ASSIGNMENT.replace("2022-05-01", "2022-13-01"), header=""), params)
    assert set(ledger.proposals["proposal_id"]) == {"002"}
    assert set(ledger.errors["rule"]) == {"unparseable_value", "rejected_sibling"}
    assert ledger.rows_read == 4 == len(ledger.rejected) + 1
