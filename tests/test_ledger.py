"""Ledger loading: every format, header aliases, value normalisation, the data model, each rule."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from proposal_stats.ledger import LedgerError, read_ledger
from proposal_stats.params import load_params
from proposal_stats.ledger.rules import RULES

from .conftest import CITY, params_copy

HEADER = "proposal_id,title,handling_system,lead_unit,assigned_at,due_at,replied_at,result_category,f2f_consulted,satisfaction\n"
OK = "001,ok,government,市财政局,2022-03-15,,2022-05-01,A,true,satisfied\n"


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


def test_required_column_missing_is_one_problem_of_the_file_and_rejects_every_row(tmp_path, params):
    body = "001,x,government,2022-05-01,A\n002,y,government,2022-05-02,B\n"
    ledger = load(tmp_path, params, body, header="proposal_id,title,handling_system,replied_at,result_category\n")
    assert (ledger.rows_read, len(ledger.proposals), len(ledger.rejected)) == (2, 0, 2)
    # One problem, at the header's line, in the user's words; no second error per row (no_lead_unit).
    assert ledger.problems[["line", "column", "rule"]].values.tolist() == [[1, "lead_unit", "required_column"]]
    assert ledger.problems["message"].iloc[0].startswith("no lead-unit column (主办单位 or an alias: 承办单位, 牵头单位")
    assert ledger.rejected["reasons"].str.startswith("lead_unit: no lead-unit column (主办单位").all()
    assert ledger.acceptance().startswith("0 of 2 rows accepted: no lead-unit column (主办单位 or an alias")


def test_duplicate_ids_reject_both_rows(tmp_path, params):
    ledger = load(tmp_path, params, OK + OK.replace("ok", "other"))
    assert len(ledger.proposals) == 0 and set(ledger.errors["rule"]) == {"duplicate_id"}


def test_a_problem_names_file_line_column_value_and_says_why(tmp_path, params):
    ledger = load(tmp_path, params, OK + "002,x,government,市财政局,2022-03-15,,2022/13/45,A,true,satisfied\n")
    p = ledger.problems.iloc[0]
    assert p["file"].endswith("ledger.csv") and p["line"] == 3
    assert (p["column"], p["value"], p["rule"], p["severity"]) == ("replied_at", "2022/13/45", "unparseable_value", "error")
    assert p["message"] == "there is no month 13 (a date is year, month, day: 2022-03-15)"


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
    # the more specific header wins and the other is reported as unused ...
    ledger = load(tmp_path, params, "1,001,市财政局,2022-05-01,A,经济\n", header="序号,提案号,主办单位,答复日期,办理结果,类别\n")
    assert ledger.proposals[["proposal_id", "result_category"]].values.tolist() == [["001", "A"]]
    assert ledger.unused_columns == ("序号", "类别")
    # ... and the same header twice cannot be settled
    with pytest.raises(LedgerError, match="'协办单位' and '协办单位' both mean co_handling_units"):
        load(tmp_path, params, "001,x,y,市财政局,2022-05-01,A\n", header="提案号,协办单位,协办单位,主办单位,答复日期,类别\n")


def test_a_file_with_no_known_header_cannot_be_read(tmp_path, params):
    with pytest.raises(LedgerError, match="no header row naming the ledger's columns"):
        load(tmp_path, params, "", header="foo,bar,baz\n")


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
    assert ledger.encoding == "xlsx, sheet Sheet" and len(ledger.rejected) == 0, ledger.problems
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


def test_a_blank_role_on_a_proposals_only_row_is_sole_handling(tmp_path, params):
    ledger = read_ledger(write(tmp_path, PER_ASSIGNMENT.replace("市教体局,主办", "市教体局,"), header=""), params)
    assert len(ledger.rejected) == 0 and len(ledger.proposals) == 2
    only = ledger.assignments[ledger.assignments["proposal_id"] == "002"]
    assert only[["handling_unit", "unit_role"]].values.tolist() == [["市教体局", "sole"]]
    assert ledger.proposals.set_index("proposal_id").loc["002", "lead_unit"] == "市教体局"


def test_a_blank_role_among_several_rows_is_missing_role(tmp_path, params):
    # This once raised a pandera SchemaError (a blank role reached the data model).
    ledger = read_ledger(write(tmp_path, PER_ASSIGNMENT.replace("市财政局,协办", "市财政局,"), header=""), params)
    assert set(ledger.proposals["proposal_id"]) == {"002"}
    missing = ledger.errors[ledger.errors["rule"] == "missing_role"]
    assert missing[["line", "column"]].values.tolist() == [[3, "unit_role"]]
    assert ledger.rows_read == 4 == len(ledger.rejected) + 1  # the proposal's other rows go with it


# ---- found by adversarial testing: each once raised something other than LedgerError or lost a row ----


def test_a_line_break_inside_a_category_cell_is_a_row_problem(tmp_path, params):
    ledger = load(tmp_path, params, '001,x,government,市财政局,2022-03-15,,2022-05-01,"A\n已解决",true,satisfied\n')
    assert ledger.errors[["line", "rule"]].values.tolist() == [[2, "category_not_in_scheme"]]


def test_a_blank_handling_system_cell_is_a_row_problem_not_a_guess(tmp_path, params):
    ledger = load(tmp_path, params, OK + "002,x,,市财政局,2022-03-15,,2022-05-01,A,true,satisfied\n")
    assert ledger.proposals["proposal_id"].tolist() == ["001"]
    assert ledger.errors[["line", "column", "rule"]].values.tolist() == [[3, "handling_system", "unparseable_value"]]


def test_a_data_row_holding_header_words_is_not_taken_for_a_second_header_row(tmp_path, params):
    header = "提案号,办理单位,办理方式,答复日期,答复类别,沟通形式\n"
    body = "001,市财政局,主办,2022-05-01,A,面商\n001,市税务局,协办,,,电话\n002,市税务局,主办,2022-05-01,B,面商\n"
    ledger = load(tmp_path, params, body, header=header)
    assert ledger.rows_read == 3 and ledger.layout == "assignment_per_row"
    assert ledger.proposals[["proposal_id", "lead_unit", "co_handling_units"]].values.tolist() == [["001", "市财政局", "市税务局"], ["002", "市税务局", ""]]


@pytest.mark.parametrize("tail", ["", "003\n"])  # a short row sends the file to the careful path
def test_cells_longer_than_pythons_csv_limit_are_read(tmp_path, params, tail):
    long_title = "x" * 140_000
    ledger = load(tmp_path, params, OK + f"002,{long_title},government,市财政局,2022-03-15,,2022-05-01,A,true,satisfied\n" + tail)
    assert ledger.proposals["title"].str.len().max() == 140_000 and ledger.rows_read == 2 + bool(tail)


ASSIGNMENT_HEADER = "提案号,案由,办理单位,办理方式,答复日期,类别,是否面商,满意度,办理系统\n"


def test_separate_handling_with_a_unit_still_to_reply_has_no_category(tmp_path, params):
    body = "001,t,甲局,分办,2022-05-01,A,是,满意,政府\n001,t,乙局,分办,,,,,政府\n"
    row = load(tmp_path, params, body, header=ASSIGNMENT_HEADER).proposals.iloc[0]
    assert pd.isna(row["replied_at"]) and row["result_category"] == ""  # not counted as A


def test_two_lead_or_sole_units_for_one_proposal_are_an_error(tmp_path, params):
    body = "001,t,甲局,独办,2022-05-01,A,是,满意,政府\n001,t,乙局,主办,2022-06-01,B,是,满意,政府\n"
    ledger = load(tmp_path, params, body, header=ASSIGNMENT_HEADER)
    assert len(ledger.proposals) == 0 and set(ledger.errors["rule"]) == {"duplicate_id"}


def test_a_ledger_of_co_handling_rows_only_loads(tmp_path, params):
    ledger = load(tmp_path, params, "001,t,甲局,协办,,,,,党委\n", header=ASSIGNMENT_HEADER)  # once an IndexError
    row = ledger.proposals.iloc[0]
    assert (row["lead_unit"], row["co_handling_units"], row["result_category"]) == ("", "甲局", "")


@pytest.mark.parametrize(
    "content",
    [
        "proposal_id,lead_unit,replied_at,result_category\r001,X,2022-05-01,A\r002,Y,2022-05-01,B\r".encode(),  # old Mac line ends
        b"T\r\r\nproposal_id,lead_unit,replied_at,result_category\r\r\n001,X,2022-05-01,A\r\r\n",
        b"\n" * 15 + "proposal_id,lead_unit,办理情况,\n,,replied_at,result_category\n001,市财政局,2022-05-01,A\n".encode(),
        "楚雄市提案办理台账\nproposal_id\tlead_unit\treplied_at\tresult_category\n001\t市财政局\t2022-05-01\tA\n".encode(),
    ],
    ids=["lone-cr", "cr-cr-lf", "header-on-line-16", "tabs-under-a-title"],
)
def test_odd_line_ends_and_late_headers_read_the_same_on_both_paths(tmp_path, params, monkeypatch, content):
    import proposal_stats.ledger.readers as readers

    path = tmp_path / "odd.txt"
    path.write_bytes(content)
    fast = read_ledger(path, params)
    monkeypatch.setattr(readers, "_fast_csv", lambda *a: None)
    careful = read_ledger(path, params)
    assert fast.rows_read == careful.rows_read >= 1 and len(fast.proposals) >= 1
    for name in ("proposals", "assignments", "rejected", "problems"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(careful, name), check_categorical=False, obj=name)


# ---- regressions: real-ledger cases that once gave wrong figures -----------------------------------------


def test_an_extra_cell_balanced_by_a_missing_one_shifts_nothing(tmp_path, params):
    ledger = load(tmp_path, params, "001,关于交通管理,缓解拥堵的建议,市公安局,2022-05-01,A\n002,关于养老的建议,市民政局,2022-05-01\n",
                  header="提案号,案由,主办单位,答复日期,类别\n")
    assert len(ledger.proposals) == 0 and ledger.errors.groupby("line")["rule"].apply(lambda r: "row_shape" in set(r)).all()
    shape = ledger.errors[ledger.errors["rule"] == "row_shape"]  # the value shows the row as written
    assert shape[["line", "value"]].values.tolist() == [[2, "001,关于交通管理,缓解拥堵的建议,市公安局,2022-05-01,A"], [3, "002,关于养老的建议,市民政局,2022-05-01"]]


def test_header_notes_in_brackets_are_ignored_and_missing_f2f_is_not_zero(tmp_path, params):
    ledger = load(tmp_path, params, "001,市财政局,2022-05-01,A,是,满意\n", header="提案号,主办单位,答复日期,类别,是否面商（是/否）,满意度（满意/基本满意/不满意）\n")
    assert ledger.proposals[["f2f_consulted", "satisfaction"]].values.tolist() == [[True, "satisfied"]]
    from proposal_stats.stats.metrics import headline

    no_f2f = load(tmp_path, params, "001,市财政局,2022-05-01,A\n", header="提案号,主办单位,答复日期,类别\n")
    assert headline(no_f2f.proposals, params.result_scheme).f2f_rate is None  # unknown, not 0%


def test_the_visible_sheet_is_read_not_a_hidden_one(tmp_path, params):
    from openpyxl import Workbook

    wb = Workbook()
    old = wb.active
    old.title = "2021年台账(旧)"
    old.append(["提案号", "主办单位", "答复日期", "类别"])
    old.append(["900", "市财政局", "2021-05-01", "A"])
    old.sheet_state = "hidden"
    new = wb.create_sheet("2022年台账")
    new.append(["提案号", "主办单位", "答复日期", "类别"])
    new.append(["001", "市财政局", "2022-05-01", "B"])
    wb.active = 1
    wb.save(tmp_path / "book.xlsx")
    ledger = read_ledger(tmp_path / "book.xlsx", params)
    assert ledger.proposals["proposal_id"].tolist() == ["001"] and ledger.encoding == "xlsx, sheet 2022年台账"


def test_placeholders_and_invisible_characters_in_unit_names(tmp_path, params):
    ledger = load(tmp_path, params, "001,市财政局\u200b,无,2022-05-01,A\n002,市财政局,/,2022-05-01,A\n003,/,—,2022-05-01,A\n004,市教育体育局、市财政局,,2022-05-01,A\n",
                  header="提案号,主办单位,协办单位,答复日期,类别\n")
    assert ledger.proposals["lead_unit"].tolist() == ["市财政局", "市财政局"]
    assert ledger.proposals["co_handling_units"].tolist() == ["", ""]
    rules = dict(zip(ledger.rejected["提案号"], ledger.rejected["reasons"]))
    assert "needs a lead unit" in rules["003"] and "more than one unit" in rules["004"]


@pytest.mark.parametrize("text", ["2022", "99999", "1000"])
def test_a_bare_year_or_an_out_of_range_serial_is_not_a_date(tmp_path, params, text):
    ledger = load(tmp_path, params, OK.replace(",2022-05-01,", f",{text},"))
    assert len(ledger.proposals) == 0 and set(ledger.errors["rule"]) == {"unparseable_value"}


def test_xlsx_zero_padded_ids_read_as_shown(tmp_path, params):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["提案号", "主办单位", "答复日期", "类别"])
    ws.append([7, "市财政局", "2022-05-01", "A"])
    ws["A2"].number_format = "000"
    ws.append(["007", "市水务局", "2022-05-02", "B"])
    wb.save(tmp_path / "ids.xlsx")
    ledger = read_ledger(tmp_path / "ids.xlsx", params)
    # 007 twice, as the user sees it, naming two units: read as two assignments whose roles are missing
    assert set(ledger.errors["rule"]) == {"missing_role"} and set(ledger.errors["proposal_id"]) == {"007"}
    assert ledger.layout == "assignment_per_row" and ledger.layout_note.startswith("assumed one row per unit assignment")


def test_separator_only_lines_are_not_rows_on_either_path(tmp_path, params):
    plain = load(tmp_path, params, OK + ",,,,,,,,,\n,,,,,,,,,\n")
    quoted = load(tmp_path, params, OK.replace(",ok,", ',"ok",') + ",,,,,,,,,\n,,,,,,,,,\n")
    assert plain.rows_read == quoted.rows_read == 1 and len(plain.rejected) == len(quoted.rejected) == 0


def test_usual_proposer_types_are_read_and_unknown_ones_only_warn(tmp_path, params):
    ledger = load(tmp_path, params, "001,个人提案,市财政局,2022-05-01,A\n002,集体提案,市财政局,2022-05-01,A\n", header="提案号,提案类型,主办单位,答复日期,类别\n")
    assert ledger.proposals["proposer_type"].tolist() == ["member_individual", ""]
    assert ledger.warnings["rule"].tolist() == ["unknown_value"] and len(ledger.rejected) == 0


def test_a_scheme_with_chinese_codes_keeps_them(tmp_path):
    scheme = {"id": "jia", "source": "t", "categories": [{"code": c, "label": c + "类", "statuses": [s]} for c, s in
                                                         (("甲", "resolved"), ("乙", "planned"), ("丙", "not_feasible_now"))]}
    p = load_params(params_copy(CITY, tmp_path, result_scheme=scheme, published=None))
    ledger = load(tmp_path, p, "001,市财政局,2022-05-01,甲\n002,市财政局,2022-05-01,乙类\n", header="提案号,主办单位,答复日期,类别\n")
    assert ledger.proposals["result_category"].tolist() == ["甲", "乙"]


def test_assignment_duplicates_and_mixed_roles_are_rejected(tmp_path, params):
    body = ("proposal_id,handling_unit,unit_role,replied_at,result_category\n"
            "004,市住建局,主办,2022-05-01,A\n004,市财政局,协办,,\n004,市财政局,协办,,\n"
            "005,市住建局,主办,2022-05-01,A\n005,市水务局,分办,2022-05-01,B\n"
            "006,市住建局,主办,2022-05-01,A\n")
    ledger = read_ledger(write(tmp_path, body, header=""), params)
    assert ledger.proposals["proposal_id"].tolist() == ["006"]
    assert set(ledger.errors["rule"]) == {"duplicate_id", "rejected_sibling"}


def test_an_unreadable_reply_date_is_not_also_a_missing_reply(tmp_path, params):
    ledger = load(tmp_path, params, OK.replace(",2022-05-01,", ",2022-13-01,"))
    assert set(ledger.problems["rule"]) == {"unparseable_value"}


# ---- the fast reader (Arrow) and the careful reader (Python csv) agree ------------------------------


def _messy_rows(n: int) -> list[str]:
    """n rows mixing what real ledgers hold: quoted cells with commas and quotes, full-width ids and
    letters, 甲/一类/A类 categories, dates in four spellings, blank and bad cells, formulas."""
    units = ["市财政局", "市教育体育局", "楚雄市教育体育局", '"市公安局,市司法局"', "无", ""]
    cats = ["A", "Ａ", "甲", "一类", "B类", "c", "E", ""]
    dates = ["2022-05-01", "2022/5/2", "2022.5.3", "2022年5月4日", "44686", "2022/13/45", ""]
    f2f = ["是", "否", "√", "面商", "电话", "maybe", ""]
    sat = ["满意", "基本满意", "不满意", "未反馈", "happy", ""]
    rows = []
    for i in range(n):
        pid = f"{i:03d}" if i % 17 else f"０{i:02d}"  # full-width digit: NFKC makes it 0NN
        title = f'"关于""第{i % 23}""项的建议, 合成"' if i % 5 == 0 else f"关于第{i % 23}项的建议"
        title = f'"关于第{i % 23}项\n的建议"' if i % 50 == 7 else title  # a line break in a quoted cell
        system = ["government", "政府", "party", "ministry"][i % 4 if i % 11 == 0 else 0]
        replied = dates[i % len(dates)]
        formula = "=SUM(A1)" if i % 97 == 0 else cats[i % len(cats)]
        rows.append(f"{pid},{title},{system},{units[i % len(units)]},2022-03-15,,{replied},{formula},{f2f[i % len(f2f)]},{sat[i % len(sat)]}\n")
    return [*rows, ",,,,,,,,,\n"]  # a separator-only line, as Excel pads


TITLED = "楚雄市提案办理台账（合成）,,,,,,,,,\n\n" + HEADER  # a title row, padded as Excel exports it, and a blank line
TWO_ROWS = "proposal_id,title,handling_system,lead_unit,办理情况,,,,,\n,,,,assigned_at,due_at,replied_at,result_category,f2f_consulted,satisfaction\n"


@pytest.mark.parametrize(
    ("encoding", "newline", "header"),
    [("utf-8", "\n", HEADER), ("utf-8-sig", "\r\n", HEADER), ("gb18030", "\n", HEADER), ("utf-8", "\n", TITLED), ("gb18030", "\r\n", TWO_ROWS)],
)
def test_fast_and_careful_readers_give_the_same_ledger(tmp_path, params, monkeypatch, encoding, newline, header):
    import proposal_stats.ledger.readers as readers

    rows = _messy_rows(400)
    body = "".join([*rows[:100], "\n", *rows[100:]]).replace("\n", newline)  # a blank line: a row of blanks to Arrow
    path = write(tmp_path, body, header.replace("\n", newline), encoding=encoding)
    calls = []
    fast_csv = readers._fast_csv
    monkeypatch.setattr(readers, "_fast_csv", lambda *a: calls.append(fast_csv(*a)) or calls[-1])
    fast = read_ledger(path, params)
    assert calls and calls[-1] is not None, "the fast path was not taken"
    monkeypatch.setattr(readers, "_fast_csv", lambda *a: None)
    careful = read_ledger(path, params)
    assert fast.rows_read == careful.rows_read == 400 and fast.encoding == careful.encoding
    for name in ("proposals", "assignments", "rejected", "problems"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(careful, name), check_categorical=False, obj=name)
    at = pd.concat([fast.proposals, fast.rejected])[["proposal_id", "source_line"]].set_index("proposal_id")["source_line"]
    # Rows 7, 57, …, 357 hold a line break each: row 99 is on line 2 + 99 + 2, then the blank line,
    # so row 100 is on 105 and row 399 on 2 + 399 + 8 + 1.
    offset = header.count("\n") - 1  # lines above the first data row, besides one header line
    assert (at["099"], at["100"], at["399"]) == (103 + offset, 105 + offset, 410 + offset)
    assert 0 < len(fast.rejected) < 400 and set(fast.problems["rule"]) >= {"spreadsheet_formula", "category_not_in_scheme", "unparseable_value"}


@pytest.mark.parametrize(("encoding", "newline"), [("utf-8", "\n"), ("gb18030", "\r\n")])
def test_rows_of_another_width_are_put_back_on_their_lines_by_the_fast_reader(tmp_path, params, monkeypatch, encoding, newline):
    import proposal_stats.ledger.readers as readers

    rows = [r for r in _messy_rows(300) if '"' not in r]  # unquoted: Arrow sets such rows aside
    odd = [
        "900,short,government\n",  # too few cells
        "901,long,government,市财政局,2022-03-15,,2022-05-01,A,true,satisfied,extra\n",  # too many
        "902,padded,government,市财政局,2022-03-15,,2022-05-01,A,true,satisfied,,,\n",  # trailing blanks: padding
        "   \n", "\u3000,\u3000\n", ",,,\n",  # only blanks: not rows
    ]
    body = "".join(rows[:50] + odd[:3] + rows[50:100] + odd[3:] + rows[100:]).replace("\n", newline)
    path = write(tmp_path, body, HEADER.replace("\n", newline), encoding=encoding)
    calls = []
    fast_csv = readers._fast_csv
    monkeypatch.setattr(readers, "_fast_csv", lambda *a: calls.append(fast_csv(*a)) or calls[-1])
    fast = read_ledger(path, params)
    assert calls and calls[-1] is not None, "the fast path was not taken"
    monkeypatch.setattr(readers, "_fast_csv", lambda *a: None)
    careful = read_ledger(path, params)
    assert fast.rows_read == careful.rows_read == len(rows) - 1 + 3  # rows' last line is Excel padding
    for name in ("proposals", "assignments", "rejected", "problems"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(careful, name), check_categorical=False, obj=name)
    shape = fast.errors[fast.errors["rule"] == "row_shape"]
    assert shape["line"].tolist() == [52, 53]  # 900 and 901; 902 is a full row once its padding is dropped
    assert "902" in set(fast.proposals["proposal_id"]) | set(fast.rejected["proposal_id"])


def test_rows_after_a_quoted_line_break_keep_their_line_numbers(tmp_path, params):
    ledger = load(tmp_path, params, '001,"two\nlines",government,市财政局,2022-03-15,,2022-05-01,A,true,satisfied\n'
                  "002,x,government,市财政局,2022-03-15,,2022/13/45,A,true,satisfied\n")
    assert ledger.proposals["source_line"].tolist() == [2] and ledger.rejected["source_line"].tolist() == [4]
    assert ledger.proposals["title"].tolist() == ["two\nlines"]
