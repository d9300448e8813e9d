"""Ledgers, round 3: faults a new-user trial and an adversarial tester found after issue 14 landed,
each fixed as a kind. Every fixture is made here (fictional places: 甲县, 乙县 …); each test asserts
the values read (or the one line of a refusal), so the old behaviour cannot come back."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from proposal_stats import read_ledger
from proposal_stats.ledger import LedgerError
from proposal_stats.ledger.readers import header_key
from proposal_stats.ledger.rules import RULES
from proposal_stats.params import ParamsError, load_params
from proposal_stats.reporting.report import build_annual_report
from proposal_stats.textcodec import legacy_chinese

from .conftest import CITY, ledger_file, params_copy

CLI = str(Path(sys.executable).parent / "proposal-stats")
HEADER = "提案号,案由,主办单位,答复日期,类别\n"


# ---- 1. an encoding is the decoded text's verdict, not a decode without error --------------------------------

SJIS_ASCII_HEADER = "proposal_id,title,lead_unit,replied_at,result_category\n001,予算の執行について,財務局,2022-05-01,A\n002,教育,教育局,2022-05-01,B\n"
GBK = HEADER + "001,关于甲县道路硬化的建议,甲县交通运输局,2022-05-01,A\n002,关于乙镇学校扩建的建议,甲县教育体育局,2022-05-02,B\n"
BIG5 = "提案號,案由,主辦單位,答復日期,類別\n001,關於丙縣圖書館的建議,丙縣文化和旅遊局,2022-05-01,A\n"


def test_shift_jis_that_decodes_as_gb18030_is_refused_naming_shift_jis(tmp_path, params):
    data = SJIS_ASCII_HEADER.encode("shift_jis")
    assert data.decode("gb18030")  # the trap: it decodes without error, into 搶嫗-like mojibake
    with pytest.raises(LedgerError, match=r"not text in a known encoding: it looks like Shift-JIS \(Japanese\), which is not read \(as GB18030 it reads '001,") as err:
        read_ledger(ledger_file(tmp_path, SJIS_ASCII_HEADER, encoding="shift_jis"), params)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(("text", "codec", "encoding"), [
    (GBK, "gbk", "gb18030"), (BIG5, "big5", "big5"),
    ("proposal_id,lead_unit,replied_at,result_category\n001,丁縣民政局,2022-05-01,A\n", "big5", "big5"),  # short: 5 characters
    ("proposal_id,lead_unit,replied_at,result_category\n001,丁县民政局,2022-05-01,A\n", "gbk", "gb18030"),
])
def test_gbk_and_big5_still_read_short_ones_too(tmp_path, params, text, codec, encoding):
    ledger = read_ledger(ledger_file(tmp_path, text, encoding=codec), params)
    assert ledger.encoding == encoding
    assert ledger.proposals["lead_unit"].tolist() == [line.split(",")[-3] for line in text.splitlines()[1:]][: len(ledger.proposals)]


def test_the_common_character_verdict(tmp_path):
    """Real text has at most one odd character in ten; mojibake far more (hand-counted samples)."""
    encoding, readings = legacy_chinese("001,甲县财政局,乙县教育局\n".encode("gbk"))
    assert encoding == "gb18030" and readings[0].odd == 0 and readings[0].total == 10
    encoding, readings = legacy_chinese("001,予算の執行,財務局\n".encode("shift_jis"))
    assert encoding is None and readings[0].odd >= 4


@pytest.mark.parametrize(("data", "said"), [
    (("提案号,主办单位,答复日期,类别\n001,甲县教育局,2022-05-01,A\n").encode() + "002,甲县卫健局,2022-05-01,B\n".encode("gbk"),
     r"line 3 \(byte 80\) is not UTF-8, although the lines above it are; it reads as GB18030/GBK: 002,甲县卫健局,2022-05-01,B: the file mixes encodings"),
    (GBK.encode("gbk") + "003,关于戊县供水的建议,戊县水务局,2022-05-03,A\n".encode(),
     r"line 4 is UTF-8 \(003,关于戊县供水的建议,戊县水务局,2022-05-03,A\), although the file is GB18030: the file mixes encodings"),
    ("提案号,主办单位,答复日期,类别\n001,甲县教育局,2022-05-01,A\n002,甲县\x00卫健局,2022-05-01,B\n".encode(),
     r"line 3 holds a NUL byte \(byte 86 of the file\), which no text ledger holds"),
    ("Numéro,Unité,Réponse,Catégorie\n001,Éducation,2022-05-01,A\n".encode("cp1252"), r"not text in a known encoding"),
], ids=["gbk lines in utf-8", "utf-8 line in gbk", "nul byte", "windows-1252"])
def test_mixed_encodings_and_nul_bytes_name_the_first_offending_line(tmp_path, params, data, said):
    (tmp_path / "l.csv").write_bytes(data)
    with pytest.raises(LedgerError, match=said):
        read_ledger(tmp_path / "l.csv", params)


def test_report_prints_an_unreadable_ledger_as_one_line_not_a_cell_failure(tmp_path):
    ledger = tmp_path / "nul.csv"
    ledger.write_bytes("提案号,主办单位,答复日期,类别\n001,甲县\x00教育局,2022-05-01,A\n".encode())
    p = params_copy(CITY, tmp_path, ledger=str(ledger), published=None, synthetic_fields=[], synthetic_note="")
    r = subprocess.run([CLI, "report", str(p)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    last = r.stderr.strip().splitlines()[-1]
    assert last == f"error: {p.stem}: {ledger}: line 2 holds a NUL byte (byte 53 of the file), which no text ledger holds: " \
                   "the file is binary or damaged there; remove it, or save the ledger again as UTF-8 CSV (Excel: CSV UTF-8) or XLSX", last
    assert "cell [" not in r.stderr


# ---- 2. one unit listed twice: one rule for both layouts --------------------------------------------------------


def test_a_unit_listed_twice_is_duplicate_id_in_either_layout(tmp_path, params):
    per_row = ("提案号,案由,主办单位,协办单位,答复日期,类别\n"
               "001,a,甲县教育局,甲县教育局,2022-05-01,A\n"          # lead and co-handler
               "002,b,甲县教育局,甲县财政局、甲县财政局,2022-05-01,A\n"  # twice among the co-handlers
               "003,c,甲县教育局,甲县财政局、甲县卫健局,2022-05-01,B\n")
    one = read_ledger(ledger_file(tmp_path, per_row), params)
    per_assignment = ("提案号,案由,承办单位,办理方式,答复日期,类别\n"
                      "001,a,甲县教育局,主办,2022-05-01,A\n001,a,甲县教育局,协办,,\n"
                      "002,b,甲县教育局,主办,2022-05-01,A\n002,b,甲县财政局,协办,,\n002,b,甲县财政局,协办,,\n"
                      "003,c,甲县教育局,主办,2022-05-01,B\n003,c,甲县财政局,协办,,\n003,c,甲县卫健局,协办,,\n")
    other = read_ledger(ledger_file(tmp_path, per_assignment, "a.csv"), params)
    assert one.layout == "proposal_per_row" and other.layout == "assignment_per_row"
    for ledger in (one, other):
        assert ledger.proposals["proposal_id"].tolist() == ["003"]
        assert set(ledger.errors.loc[ledger.errors["rule"] == "duplicate_id", "proposal_id"]) == {"001", "002"}
    messages = one.errors.set_index("proposal_id")["message"]
    assert messages["001"] == "甲县教育局 is listed as both the lead unit and a co-handling unit; a unit has one role per proposal"
    assert messages["002"] == "甲县财政局 is listed twice among the co-handling units"
    assert one.assignments["handling_unit"].tolist() == other.assignments["handling_unit"].tolist() == ["甲县教育局", "甲县财政局", "甲县卫健局"]


# ---- 3. an unclosed quote swallows no line -------------------------------------------------------------------

SIX_LINES = ("001,a,乙县教育局,2022-05-01,A\n002,b,乙县卫健局,2022-05-01,B\n003,c,乙县卫健局,2022-05-01,B\n"
             '004,"d,乙县卫健局,2022-05-01,B\n005,e,乙县民政局,2022-05-01,A\n006,f,乙县民政局,2022-05-01,A\n')


@pytest.mark.parametrize("tail", ["", '007,g"h,乙县民政局,2022-05-01,A\n'], ids=["never closed", "closed amid a later cell"])
def test_an_unclosed_quote_is_named_and_swallows_no_line(tmp_path, params, tail):
    ledger = read_ledger(ledger_file(tmp_path, HEADER + SIX_LINES + tail), params)
    assert ledger.rows_read == 6 + bool(tail) == len(ledger.proposals) + len(ledger.rejected)
    assert ledger.rejected["source_line"].tolist() == [5]
    problem = ledger.errors.iloc[0]
    assert (problem["rule"], problem["line"], problem["value"]) == ("unclosed_quote", 5, '004,"d,乙县卫健局,2022-05-01,B')
    assert problem["message"].startswith("unclosed quote starting at line 5")
    assert ledger.proposals["proposal_id"].tolist() == ["001", "002", "003", "005", "006", *(["007"] if tail else [])]
    assert ledger.proposals["source_line"].tolist()[3:5] == [6, 7]
    assert RULES["unclosed_quote"].severity == "error"


def test_an_unclosed_quote_on_the_last_line_and_quoted_line_breaks_that_are_fine(tmp_path, params):
    body = '001,"关于丙县\n道路的建议",丙县交通局,2022-05-01,A\n002,"b ""x""",丙县交通局,2022-05-01,B\n003,"c,丙县交通局,2022-05-01,B\n'
    ledger = read_ledger(ledger_file(tmp_path, HEADER + body), params)
    assert ledger.proposals["title"].tolist() == ["关于丙县\n道路的建议", 'b "x"']
    assert ledger.proposals["source_line"].tolist() == [2, 4]
    assert ledger.errors[["line", "rule"]].values.tolist() == [[5, "unclosed_quote"]]


def test_the_fast_reader_hands_a_swallowing_quote_to_the_careful_one(tmp_path, params):
    """A big file takes Arrow's reader, which reads a quote that closes amid a later cell without
    complaint: the swallowed row must still be found."""
    rows = "".join(f"{i:04d},t,丁县局{i % 7},2022-05-01,A\n" for i in range(1, 3001))
    body = rows + '3001,"x,丁县局1,2022-05-01,A\n3002,y,丁县局2,2022-05-01,A\n3003,z,丁县"局3,2022-05-01,A\n'
    ledger = read_ledger(ledger_file(tmp_path, HEADER + body), params)
    assert ledger.rows_read == 3003 and ledger.errors["line"].tolist() == [3002]
    assert ledger.proposals["proposal_id"].tolist()[-2:] == ["3002", "3003"]


# ---- 5. totals rows are set aside, not rejected -------------------------------------------------------------------

TOTALS = ["总计：3件", "合计", "合 计", "小计（2件）", "共计 2 件", "Total: 2", "合計:", "以上合计2件", "subtotal"]


@pytest.mark.parametrize("label", TOTALS)
@pytest.mark.parametrize("where", [0, 1, 2], ids=["id column", "title column", "unit column"])
def test_a_totals_row_is_set_aside_with_a_warning_that_names_it(tmp_path, params, label, where):
    cells = ["", "", "", "", ""]
    cells[where] = label
    text = HEADER + "001,a,戊县局,2022-05-01,A\n002,b,戊县局,2022-05-02,B\n" + ",".join(cells) + "\n"
    ledger = read_ledger(ledger_file(tmp_path, text), params)
    assert (ledger.rows_read, ledger.rows_accepted, len(ledger.rejected), len(ledger.set_aside)) == (3, 2, 0, 1)
    assert ledger.errors.empty
    warning = ledger.warnings.iloc[0]
    assert (warning["rule"], warning["line"], warning["proposal_id"], warning["value"]) == ("totals_row", 4, "", label.strip())
    assert warning["message"] == f"a totals row ({label.strip()}), not a proposal: set aside and not counted, though Excel shows it as a row"
    assert ledger.set_aside["source_line"].tolist() == [4]
    assert ledger.acceptance() == "2 of 3 rows accepted (1 set aside: totals or note rows, not proposals)"


@pytest.mark.parametrize("text", ["合计金额", "关于合计的建议", "总计划", "totality"])
def test_words_that_only_contain_a_totals_word_are_data(tmp_path, params, text):
    ledger = read_ledger(ledger_file(tmp_path, HEADER + f"001,{text},戊县局,2022-05-01,A\n"), params)
    assert len(ledger.proposals) == 1 and ledger.set_aside.empty


def test_a_totals_row_makes_validate_exit_0_and_no_rejected_banner(tmp_path):
    ledger = ledger_file(tmp_path, "proposal_id,title,handling_system,lead_unit,co_handling_units,assigned_at,replied_at,result_category,f2f_consulted,satisfaction\n"
                         + "".join(f"00{i},t,government,己县甲局,,2022-03-15,2022-05-0{i},A,是,满意\n" for i in range(1, 7)) + "总计：6件,,,,,,,,,\n")
    r = subprocess.run([CLI, "validate", str(ledger), "--json"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout
    summary = json.loads(r.stdout)
    assert [summary[k] for k in ("rows_read", "rows_accepted", "rows_rejected", "rows_set_aside", "errors", "warnings")] == [7, 6, 0, 1, 0, 1]
    p = params_copy(CITY, tmp_path, ledger=str(ledger), published=None, synthetic_fields=[], synthetic_note="")
    report = build_annual_report(p)
    report.check_accepted()
    assert "Rows rejected" not in report.banners().html()
    quality = report.data_quality().html()
    assert "rows read 7 = accepted 6 + rejected 0 + set aside 1 (totals or note rows, not proposals)" in quality
    summary = report.summary()
    assert [summary[k] for k in ("rows_read", "rows_accepted", "rows_rejected", "rows_set_aside")] == [7, 6, 0, 1]


def test_the_rejected_banner_agrees_with_its_number(tmp_path):
    header = "proposal_id,title,handling_system,lead_unit,co_handling_units,assigned_at,replied_at,result_category,f2f_consulted,satisfaction\n"
    good = "".join(f"00{i},t,government,己县甲局,,2022-03-15,2022-05-0{i},A,是,满意\n" for i in range(1, 5))
    for bad, said in ((1, "1 ledger row of 5 failed validation and is not counted"), (2, "2 of 6 ledger rows failed validation and are not counted")):
        ledger = ledger_file(tmp_path, header + good + "".join(f"10{i},t,government,己县甲局,,2022-03-15,2022-05-01,Z,是,满意\n" for i in range(bad)))
        p = params_copy(CITY, tmp_path, ledger=str(ledger), published=None, synthetic_fields=[], synthetic_note="")
        assert said in build_annual_report(p).banners().html()


# ---- 6. header notes in brackets of every kind ----------------------------------------------------------------------


@pytest.mark.parametrize(("header", "key"), [
    ("案由【標題】", "案由"), ("答复日期〔年月日〕", "答复日期"), ("类别［A/B/C］", "类别"), ("满意度《评价》", "满意度"),
    ("是否面商（是/否）", "是否面商"), ("【必填】提案号", "提案号"), ("*提案号", "提案号"), ("主办单位＊", "主办单位"),
    ("提案号：（必填）", "提案号"), ("(备注)", "(备注)"),
])
def test_header_notes_in_brackets_of_any_kind(header, key):
    assert header_key(header) == key


def test_a_ledger_with_bracketed_notes_in_its_headers_reads_every_column(tmp_path, params):
    text = "【必填】提案号,案由【標題】,*主办单位,答复日期〔年月日〕,类别［A/B/C］,满意度《评价》\n001,关于庚县的建议,庚县局,2022-05-01,A,满意\n"
    ledger = read_ledger(ledger_file(tmp_path, text), params)
    assert ledger.unused_columns == () and len(ledger.rejected) == 0, ledger.problems
    assert ledger.proposals[["title", "lead_unit", "satisfaction"]].values.tolist() == [["关于庚县的建议", "庚县局", "satisfied"]]


# ---- 7. separators ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sep", [";", "|", "\t", ","])
def test_semicolon_and_bar_separated_ledgers(tmp_path, params, sep):
    text = (HEADER + "001,关于辛县的建议,辛县局,2022-05-01,A\n002,b,辛县局;辛县乙局,2022-05-01,B\n").replace(",", sep)
    if sep != ";":
        text = text.replace("辛县局;辛县乙局" if sep == "," else "辛县局;辛县乙局", "辛县局")
    ledger = read_ledger(ledger_file(tmp_path, text), params)
    assert ledger.proposals["title"].tolist()[0] == "关于辛县的建议"
    assert ledger.rows_read == 2


def test_no_header_names_the_separator_tried(tmp_path, params):
    with pytest.raises(LedgerError, match=r"cells split on semicolons \(;\); tried commas, tabs, semicolons and vertical bars"):
        read_ledger(ledger_file(tmp_path, "编号x;单位y;日期z\n1;2;3\n"), params)


# ---- 8, 9. date-times and dates that do not exist -----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("44700.75", "2022-05-19"), ("44700.0", "2022-05-19"), ("44700.999", "2022-05-19"), ("2022-05-01 00:00:00+08:00", "2022-05-01"),
    ("2022-05-01T08:00:00Z", "2022-05-01"), ("2022年5月1号", "2022-05-01"), ("二〇二二年五月一日", "2022-05-01"), ("二〇二二年十二月三十一日", "2022-12-31"),
])
def test_date_times_are_their_dates(tmp_path, params, text, expected):
    ledger = read_ledger(ledger_file(tmp_path, HEADER + f"001,a,壬县局,{text},A\n"), params)
    assert ledger.proposals["replied_at"].tolist() == [pd.Timestamp(expected)], ledger.problems


def test_a_general_format_serial_with_a_time_in_a_workbook(tmp_path, params):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["提案号", "主办单位", "答复日期", "类别"])
    wb.active.append(["001", "壬县局", 44700.75, "A"])
    wb.save(tmp_path / "l.xlsx")
    ledger = read_ledger(tmp_path / "l.xlsx", params)
    assert ledger.proposals["replied_at"].tolist() == [pd.Timestamp("2022-05-19")], ledger.problems


@pytest.mark.parametrize(("text", "said"), [
    ("2022-02-30", "the day does not exist: month 2 of 2022 has 28 days"),
    ("2024/2/30", "the day does not exist: month 2 of 2024 has 29 days"),
    ("20220431", "the day does not exist: month 4 of 2022 has 30 days"),
    ("2022-13-01", "there is no month 13 (a date is year, month, day: 2022-03-15)"),
    ("5/1/2022", "the year comes last, so day and month cannot be told apart (5/1/2022 is 5 January or 1 May); write the year first: 2022-05-01"),
    # not "cannot be told apart": 15 is no month (it was said to be ambiguous)
    ("4/15/2022", "the year comes last: this date can only be 2022-04-15 (15 cannot be a month), but 5/1/2022 in the same column "
                  "would be 5 January or 1 May; write the year first: 2022-04-15"),
    ("2022年5月", "a month, not a day (write the day too: 2022-03-15)"),
    ("已答复", "not a date (e.g. 2022-03-15, 2022/3/15, 2022年3月15日)"),
])
def test_a_date_that_cannot_be_read_says_why(tmp_path, params, text, said):
    ledger = read_ledger(ledger_file(tmp_path, HEADER + f"001,a,壬县局,{text},A\n"), params)
    assert ledger.errors[["rule", "value", "message"]].values.tolist() == [["unparseable_value", text, said]]


# ---- 10, 11. a folder; a misspelt header --------------------------------------------------------------------------------


def test_a_folder_is_called_a_folder(tmp_path, params):
    (tmp_path / "ledger.csv").mkdir()
    with pytest.raises(LedgerError, match="is a folder, not a ledger file"):
        read_ledger(tmp_path / "ledger.csv", params)
    with pytest.raises(ParamsError, match=r"key 'ledger': is a folder, not a file: "):
        load_params(params_copy(CITY, tmp_path, ledger=str(tmp_path / "ledger.csv")))
    r = subprocess.run([CLI, "validate", str(tmp_path / "ledger.csv")], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "is a folder" in r.stderr and "not found" not in r.stderr


def test_a_misspelt_required_header_gets_a_suggestion(tmp_path, params):
    text = "提案号,案由,主板单位,答复日其,类别,满意渡\n001,a,癸县局,2022-05-01,A,满意\n"
    ledger = read_ledger(ledger_file(tmp_path, text), params)
    assert ledger.header_suggestions == {"主板单位": "主办单位", "答复日其": "答复日期", "满意渡": "满意度"}
    messages = ledger.errors.set_index("column")["message"]
    assert messages["lead_unit"] == ("no lead-unit column (主办单位 or an alias: 承办单位, 牵头单位, 主办, lead_unit, …; or add yours under "
                                     "column_aliases) — did you mean '主办单位'? The file has '主板单位'")
    assert messages["replied_at"].endswith("— did you mean '答复日期'? The file has '答复日其'")
    r = subprocess.run([CLI, "validate", str(tmp_path / "l.csv")], capture_output=True, text=True, timeout=120)
    assert "主板单位 (did you mean 主办单位?)" in r.stdout


def test_an_unrelated_header_gets_no_suggestion(tmp_path, params):
    ledger = read_ledger(ledger_file(tmp_path, "提案号,主办单位,答复日期,类别,联系电话,备注\n001,癸县局,2022-05-01,A,123,x\n"), params)
    assert ledger.header_suggestions == {} and ledger.unused_columns == ("联系电话", "备注")


# ---- 12. a formula's text as Excel shows it ---------------------------------------------------------------------------------


def test_a_formula_with_chinese_text_written_as_character_references(tmp_path, params):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["提案号", "主办单位", "答复日期", "类别"])
    wb.active.append(["001", "=县财政局&\"<x>\"", "2022-05-01", "A"])
    wb.save(tmp_path / "f.xlsx")
    with zipfile.ZipFile(tmp_path / "f.xlsx") as src, zipfile.ZipFile(tmp_path / "g.xlsx", "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):  # as ElementTree writes non-ASCII in an ASCII document
                data = data.decode().replace("县财政局", "".join(f"&#{ord(c)};" for c in "县财")  + "&#x653F;&#x5C40;").encode()
            out.writestr(item, data)
    ledger = read_ledger(tmp_path / "g.xlsx", params)
    assert ledger.proposals["lead_unit"].tolist() == ['=县财政局&"<x>"']
    assert ledger.problems["rule"].tolist() == ["spreadsheet_formula"]  # a warning, not several_lead_units


# ---- 13. no pandas warning from a column none of whose values maps -------------------------------------------------------------


@pytest.mark.parametrize("with_params", [True, False])
def test_a_ledger_whose_categories_all_are_blank_raises_no_warning(tmp_path, params, with_params):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ledger = read_ledger(ledger_file(tmp_path, HEADER + "001,a,子县局,,\n002,b,子县局,,\n"), params if with_params else None)
    assert ledger.proposals["resolution_status"].tolist() == ["", ""]
