"""Ledgers as they come (issue 14): group headers that are column names, one row per assignment
under any unit header, workbooks by content (XLSX under another name, XLS, ODS, Strict Open XML),
stretched used ranges, the 1904 date system, hidden rows and columns, legacy encodings, formula
characters. Every fixture is made here (fictional places); each asserts the values read."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pandas as pd
import pytest

from proposal_stats import Ledger, read_ledger
from proposal_stats.ledger import LedgerError
from proposal_stats.ledger.rules import RULES
from proposal_stats.ledger.workbooks import read_sheet



def workbook(rows, merges=(), **setup):
    """An openpyxl workbook holding ``rows`` (row 1 first) with the given merged ranges."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    for key, value in setup.items():
        setattr(wb, key, value)
    return wb


# ---- 1. a group header cell that is itself a column name ----------------------------------------------

GROUPED = [
    ["提案号", "案由", "承办单位", None, "交办日期", "答复日期", "办理结果", None, None],
    [None, None, "主办单位", "协办单位", None, None, "类别", "是否面商", "满意度"],
    ["001", "关于甲县道路的建议", "甲县交通局", "甲县财政局", "2022-03-15", "2022-05-01", "A", "是", "满意"],
    ["002", "关于甲县学校的建议", "甲县教育局", "", "2022-03-15", "2022-05-20", "B", "否", "基本满意"],
]


def _check_grouped(ledger: Ledger):
    assert len(ledger.rejected) == 0, ledger.problems
    p = ledger.proposals
    assert p[["proposal_id", "lead_unit", "co_handling_units", "result_category", "f2f_consulted", "satisfaction"]].values.tolist() == [
        ["001", "甲县交通局", "甲县财政局", "A", True, "satisfied"],
        ["002", "甲县教育局", "", "B", False, "basically_satisfied"],
    ]
    assert p["replied_at"].tolist() == [pd.Timestamp("2022-05-01"), pd.Timestamp("2022-05-20")]
    assert p["source_line"].tolist() == [3, 4]


def test_a_merged_group_cell_that_is_a_column_name_only_groups(tmp_path, params):
    cells = [[c for c in row] for row in GROUPED]
    merges = ["C1:D1", "G1:I1", "A1:A2", "B1:B2", "E1:E2", "F1:F2"]
    workbook(cells, merges).save(tmp_path / "grouped.xlsx")
    _check_grouped(read_ledger(tmp_path / "grouped.xlsx", params))


@pytest.mark.parametrize("fill", ["", "same"], ids=["blank beside", "repeated beside"])
def test_a_csv_group_cell_beside_blank_or_repeated_cells_only_groups(tmp_path, params, fill):
    top = list(GROUPED[0])
    top[3] = "" if fill == "" else "承办单位"
    top[7:9] = ["", ""] if fill == "" else ["办理结果", "办理结果"]
    second = ["" if c is None else c for c in GROUPED[1]]
    if fill == "same":  # an export that repeats vertically merged cells too
        second[:2], second[4:6] = ["提案号", "案由"], ["交办日期", "答复日期"]
    lines = [",".join("" if c is None else c for c in row) for row in [top, second, *GROUPED[2:]]]
    (tmp_path / "grouped.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _check_grouped(read_ledger(tmp_path / "grouped.csv", params))


# ---- 2. one row per unit assignment under other headers -------------------------------------------------


@pytest.mark.parametrize(("unit", "role"), [("承办单位", "办理方式"), ("主办单位", "主协办"), ("承办部门", "承办方式"), ("单位", "办理类型")])
def test_a_role_column_means_one_row_per_assignment_whatever_names_the_unit(tmp_path, params, unit, role):
    rows = [
        ["提案号", "案由", "交办日期", unit, role, "答复日期", "类别"],
        ["001", "关于乙镇供水的建议", "2022-03-15", "乙县水务局", "主办", "2022-05-01", "A"],
        [None, None, None, "乙县财政局", "协办", None, None],
        [None, None, None, "乙县住建局", "协办", None, None],
        ["002", "关于乙镇公交的建议", "2022-03-15", "乙县交通局", "主办", "2022-06-01", "B"],
    ]
    # the proposal's own cells merged down its rows, as offices lay these ledgers out
    workbook(rows, ["A2:A4", "B2:B4", "C2:C4", "F2:F4", "G2:G4"]).save(tmp_path / "units.xlsx")
    ledger = read_ledger(tmp_path / "units.xlsx", params)
    assert len(ledger.rejected) == 0, ledger.problems
    assert ledger.layout == "assignment_per_row" and f"units in '{unit}', roles in '{role}'" in ledger.layout_note
    p = ledger.proposals
    assert p[["proposal_id", "lead_unit", "co_handling_units", "result_category"]].values.tolist() == [
        ["001", "乙县水务局", "乙县财政局;乙县住建局", "A"], ["002", "乙县交通局", "", "B"]]
    assert ledger.assignments["unit_role"].tolist() == ["lead", "co_handler", "co_handler", "lead"]


def test_repeated_ids_naming_other_units_without_a_role_column_say_which_layout_was_assumed(tmp_path, params):
    body = "001,a,丙县水务局,2022-05-01,A\n001,a,丙县财政局,2022-05-01,A\n002,b,丙县交通局,2022-05-02,B\n"
    (tmp_path / "l.csv").write_text("提案号,案由,承办单位,答复日期,类别\n" + body, encoding="utf-8")
    ledger = read_ledger(tmp_path / "l.csv", params)
    assert ledger.layout == "assignment_per_row"
    assert ledger.layout_note.startswith("assumed one row per unit assignment: proposal ids repeat on rows naming different units in '承办单位'")
    assert ledger.proposals["proposal_id"].tolist() == ["002"]  # 001's rows cannot say which unit leads
    assert set(ledger.errors["rule"]) == {"missing_role"} and "no role column (办理方式)" in ledger.errors["message"].iloc[0]


def test_the_same_id_twice_for_the_same_unit_is_still_a_duplicate(tmp_path, params):
    (tmp_path / "l.csv").write_text("提案号,案由,主办单位,答复日期,类别\n001,a,丁局,2022-05-01,A\n001,b,丁局,2022-05-01,A\n", encoding="utf-8")
    ledger = read_ledger(tmp_path / "l.csv", params)
    assert ledger.layout == "proposal_per_row" and set(ledger.errors["rule"]) == {"duplicate_id"}


# ---- 3. workbooks as they come ---------------------------------------------------------------------------

LEDGER_ROWS = [
    ["提案号", "案由", "主办单位", "交办日期", "答复日期", "类别"],
    ["001", "关于戊县公园的建议", "戊县园林局", "2022-03-15", "2022-05-01", "A"],
    ["002", "关于戊县路灯的建议", "戊县城管局", "2022-03-15", "2022-05-02", "B"],
]


def test_a_used_range_stretched_to_the_last_row_stops_at_the_last_value(tmp_path, params):
    wb = workbook(LEDGER_ROWS)
    wb.active.cell(row=1_048_576, column=1).number_format = "0.00"  # one formatted, empty cell
    wb.save(tmp_path / "stretched.xlsx")
    with zipfile.ZipFile(tmp_path / "stretched.xlsx") as z:
        assert b'r="A1048576"' in z.read("xl/worksheets/sheet1.xml")
    sheet = read_sheet(tmp_path / "stretched.xlsx", "xlsx")
    assert len(sheet.rows) == 3  # not a million rows of blanks
    assert read_ledger(tmp_path / "stretched.xlsx", params).rows_read == 2


def test_the_1904_date_system_reads_serials_from_its_own_epoch(tmp_path, params):
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    rows = [list(LEDGER_ROWS[0]), ["001", "t", "戊县园林局", dt.date(2022, 3, 15), 43220, "A"]]
    wb = workbook(rows, epoch=CALENDAR_MAC_1904)
    wb.active["D2"].number_format = "yyyy-mm-dd"  # a date cell; E2 a bare serial, as typed
    wb.save(tmp_path / "mac.xlsx")
    p = read_ledger(tmp_path / "mac.xlsx", params).proposals
    # 43220 days after 1904-01-01 is 2022-05-01 (from 1899-12-30 it would be 2018-04-30)
    assert (p["assigned_at"].iloc[0], p["replied_at"].iloc[0]) == (pd.Timestamp("2022-03-15"), pd.Timestamp("2022-05-01"))


def test_hidden_and_filtered_rows_and_hidden_columns_are_read_and_named(tmp_path, params):
    rows = [list(LEDGER_ROWS[0]) + ["备注"]] + [[f"00{i}", "t", "戊县园林局", "2022-03-15", f"2022-05-0{i}", "A", ""] for i in range(1, 6)]
    wb = workbook(rows)
    ws = wb.active
    ws.auto_filter.ref = "A1:G6"
    ws.row_dimensions[3].hidden = True  # filtered out
    ws.row_dimensions[5].hidden = True
    ws.column_dimensions["G"].hidden = True
    wb.save(tmp_path / "hidden.xlsx")
    ledger = read_ledger(tmp_path / "hidden.xlsx", params)
    assert ledger.rows_read == 5 and len(ledger.proposals) == 5  # read and counted, as before
    rows_hidden = ledger.warnings[ledger.warnings["rule"] == "hidden_row"]
    assert rows_hidden[["line", "proposal_id"]].values.tolist() == [[3, "002"], [5, "004"]]
    cols = ledger.warnings[ledger.warnings["rule"] == "hidden_column"]
    assert cols[["line", "column"]].values.tolist() == [[1, "备注"]]
    assert RULES["hidden_row"].severity == RULES["hidden_column"].severity == "warning"


def _strict(data: bytes) -> bytes:
    """The same workbook saved as Strict Open XML: the ISO/IEC 29500 Strict namespaces."""
    swap = {
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": b"http://purl.oclc.org/ooxml/officeDocument/relationships",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            part = src.read(item)
            for old, new in swap.items():
                part = part.replace(old, new)
            if item.filename == "xl/workbook.xml":
                part = part.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)
            dst.writestr(item, part)
    return out.getvalue()


def test_a_strict_open_xml_workbook_is_read(tmp_path, params):
    buf = io.BytesIO()
    wb = workbook(LEDGER_ROWS)
    wb.active.row_dimensions[3].hidden = True
    wb.save(buf)
    (tmp_path / "strict.xlsx").write_bytes(_strict(buf.getvalue()))
    with zipfile.ZipFile(tmp_path / "strict.xlsx") as z:
        assert b'conformance="strict"' in z.read("xl/workbook.xml")
    ledger = read_ledger(tmp_path / "strict.xlsx", params)
    assert ledger.proposals[["proposal_id", "lead_unit"]].values.tolist() == [["001", "戊县园林局"], ["002", "戊县城管局"]]
    assert ledger.warnings["rule"].tolist() == ["hidden_row"]


def test_a_workbook_is_read_by_content_whatever_its_name(tmp_path, params):
    workbook(LEDGER_ROWS).save(tmp_path / "ledger.xls")  # an XLSX named .xls
    ledger = read_ledger(tmp_path / "ledger.xls", params)
    assert ledger.encoding == "xlsx, sheet 台账" and len(ledger.proposals) == 2


def test_an_old_binary_xls_with_1904_dates_and_hidden_rows(tmp_path, params):
    import xlwt
    book = xlwt.Workbook()
    book.dates_1904 = True
    ws = book.add_sheet("台账", cell_overwrite_ok=True)
    for r, row in enumerate(LEDGER_ROWS):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    ws.write(2, 4, 43221)  # a bare serial in the 1904 system: 2022-05-02
    ws.row(2).hidden = True
    book.save(str(tmp_path / "old.xls"))
    ledger = read_ledger(tmp_path / "old.xls", params)
    assert ledger.encoding == "xls, sheet 台账"
    assert ledger.proposals["replied_at"].tolist() == [pd.Timestamp("2022-05-01"), pd.Timestamp("2022-05-02")]
    assert ledger.warnings[["line", "rule"]].values.tolist() == [[3, "hidden_row"]]


def test_an_ods_spreadsheet_with_a_merged_id_and_a_filtered_row(tmp_path, params):
    def cell(v, span=""):
        return f'<table:table-cell office:value-type="string"{span}><text:p>{v}</text:p></table:table-cell>'

    down = ' table:number-rows-spanned="2"'
    rows = [
        "<table:table-row>" + "".join(cell(h) for h in ["提案号", "案由", "承办单位", "办理方式", "答复日期", "类别"]) + "</table:table-row>",
        "<table:table-row>" + cell("001", down) + cell("关于戊县公园的建议", down) + cell("戊县园林局") + cell("主办")
        + '<table:table-cell office:value-type="date" office:date-value="2022-05-01"><text:p>2022-05-01</text:p></table:table-cell>'
        + cell("A") + "</table:table-row>",
        "<table:table-row><table:covered-table-cell/><table:covered-table-cell/>" + cell("戊县财政局") + cell("协办")
        + "<table:table-cell/><table:table-cell/></table:table-row>",
        '<table:table-row table:visibility="filter">' + "".join(cell(v) for v in ["002", "关于戊县路灯的建议", "戊县城管局", "主办", "2022-05-02", "B"])
        + "</table:table-row>",
    ]
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="台账">{"".join(rows)}</table:table></office:spreadsheet></office:body></office:document-content>'
    )
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(tmp_path / "ledger.ods", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)
    ledger = read_ledger(tmp_path / "ledger.ods", params)
    assert ledger.encoding == "ods, sheet 台账" and len(ledger.rejected) == 0, ledger.problems
    assert ledger.proposals[["proposal_id", "lead_unit", "co_handling_units", "result_category"]].values.tolist() == [
        ["001", "戊县园林局", "戊县财政局", "A"], ["002", "戊县城管局", "", "B"]]
    assert ledger.proposals["replied_at"].tolist() == [pd.Timestamp("2022-05-01"), pd.Timestamp("2022-05-02")]
    assert ledger.warnings[["line", "rule"]].values.tolist() == [[4, "hidden_row"]]


@pytest.mark.parametrize(("content", "says"), [
    (b"%PDF-1.7\n...", "a PDF document"),
    (b"<html><body><table><tr><td>\xe6\x8f\x90\xe6\xa1\x88\xe5\x8f\xb7</td></tr></table></body></html>", "an HTML page"),
    (b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>', "XML Spreadsheet 2003"),
])
def test_files_that_are_no_workbook_say_what_they_are(tmp_path, params, content, says):
    (tmp_path / "ledger.xls").write_bytes(content)
    with pytest.raises(LedgerError, match=says):
        read_ledger(tmp_path / "ledger.xls", params)


def test_a_word_document_is_named_as_such(tmp_path, params):
    with zipfile.ZipFile(tmp_path / "ledger.xlsx", "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(LedgerError, match="a word-processor document"):
        read_ledger(tmp_path / "ledger.xlsx", params)


# ---- 4. encodings -----------------------------------------------------------------------------------------

TRADITIONAL = "提案號,案由,主辦單位,協辦單位,答復日期,類別,滿意度\n001,關於發展鄉村旅遊的建議,己縣文化和旅遊局,己縣農業農村局,2022-05-01,A,滿意\n002,關於完善養老服務的建議,己縣民政局,,2022-05-02,B,基本滿意\n"


def test_big5_is_read_as_big5_never_as_gb18030(tmp_path, params):
    (tmp_path / "big5.csv").write_bytes(TRADITIONAL.encode("big5"))
    ledger = read_ledger(tmp_path / "big5.csv", params)
    assert ledger.encoding == "big5" and len(ledger.rejected) == 0, ledger.problems
    p = ledger.proposals
    assert p["lead_unit"].tolist() == ["己縣文化和旅遊局", "己縣民政局"]  # as written, not 矗腹-style mojibake
    assert p["satisfaction"].tolist() == ["satisfied", "basically_satisfied"]  # 滿意 is 满意
    assert TRADITIONAL.encode("big5").decode("gb18030")  # the trap: Big5 bytes do decode as GB18030


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "gb18030", "utf-8-sig"])
def test_unicode_and_gb18030_ledgers(tmp_path, params, codec):
    text = TRADITIONAL.replace(",", "\t") if codec.startswith("utf-16") else TRADITIONAL  # Excel's "Unicode text" is UTF-16 TSV
    (tmp_path / "l.txt").write_bytes(text.encode(codec))
    ledger = read_ledger(tmp_path / "l.txt", params)
    assert ledger.proposals["lead_unit"].tolist() == ["己縣文化和旅遊局", "己縣民政局"], ledger.encoding


@pytest.mark.parametrize(("data", "said"), [
    ("提案番号,件名,担当\n001,東京都の交通について,交通局\n".encode("shift_jis"), "not text in a known encoding: it looks like Shift-JIS"),
    (bytes(range(256)) * 20, "line 1 holds a NUL byte"),
], ids=["shift_jis", "binary"])
def test_text_in_no_known_encoding_is_refused_not_garbled(tmp_path, params, data, said):
    (tmp_path / "l.csv").write_bytes(data)
    with pytest.raises(LedgerError, match=said):
        read_ledger(tmp_path / "l.csv", params)


# ---- the formula characters (OWASP CSV injection), on input ---------------------------------------------


def test_cells_starting_with_any_formula_character_are_flagged_numbers_are_not(tmp_path, params):
    body = "".join(f'00{i},"{title}",庚局,2022-05-01,A\n' for i, title in enumerate(
        ["=1+2", "+庚局", "-2+3", "@SUM(1)", "\tx", "\rx", "-5", "+3.5", "-", "-1e3", "正常"], start=1))
    (tmp_path / "l.csv").write_text("提案号,案由,主办单位,答复日期,类别\n" + body, encoding="utf-8")
    ledger = read_ledger(tmp_path / "l.csv", params)
    flagged = ledger.warnings[ledger.warnings["rule"] == "spreadsheet_formula"]["proposal_id"].tolist()
    assert flagged == ["001", "002", "003", "004", "005", "006"]
    assert len(ledger.proposals) == 11  # a warning: kept


# ---- public API --------------------------------------------------------------------------------------------


def test_read_ledger_docstring_lists_every_rule():
    doc = read_ledger.__doc__
    missing = [name for name in RULES if not re.search(rf"``{name}``", doc)]
    assert not missing


# ---- found by trying ledgers made as offices make them -----------------------------------------------------


def test_a_totals_row_is_set_aside_as_such_and_only_as_such(tmp_path, params):
    body = "001,a,辛局,2022-05-01,A\n002,b,辛局,2022-05-02,B\n合 计,共2件,,,\n"
    (tmp_path / "l.csv").write_text("提案号,案由,主办单位,答复日期,类别\n" + body, encoding="utf-8")
    ledger = read_ledger(tmp_path / "l.csv", params)
    assert len(ledger.proposals) == 2 and ledger.rejected.empty and ledger.set_aside["source_line"].tolist() == [4]
    assert ledger.problems[["line", "rule", "severity"]].values.tolist() == [[4, "totals_row", "warning"]]  # not blank_id, not no_lead_unit


def test_a_workbook_opening_on_a_summary_sheet_names_the_sheet_holding_the_ledger(tmp_path, params):
    wb = workbook([["单位", "件数"], ["辛局", 2]])
    ledger_sheet = wb.create_sheet("明细")
    for row in LEDGER_ROWS:
        ledger_sheet.append(row)
    wb.save(tmp_path / "two.xlsx")
    with pytest.raises(LedgerError, match="the ledger looks to be on sheet '明细': name it with --sheet 明细"):
        read_ledger(tmp_path / "two.xlsx", params)
    assert len(read_ledger(tmp_path / "two.xlsx", params, sheet="明细").proposals) == 2


def test_other_common_unit_headers_and_unknown_words_listed(tmp_path, params):
    text = "提案编号,案由,主办机关,协办部门,答复日期,类别,满意度\n001,a,辛局,壬局,2022-05-01,A,一般\n"
    (tmp_path / "l.csv").write_text(text, encoding="utf-8")
    ledger = read_ledger(tmp_path / "l.csv", params)
    assert ledger.layout_note == "one row per proposal: lead units in '主办机关', co-handling units in '协办部门'"
    assert ledger.errors["message"].iloc[0].startswith("not a known satisfaction (known: 满意、非常满意、基本满意")
