"""Ledgers, round 4: faults found by trying new ledgers as a new user would (given only the README),
each fixed as a kind. Every fixture is made here (fictional places: 青苔县 …); each test asserts the
values read, so the old behaviour cannot come back."""

from __future__ import annotations

from pathlib import Path

import pytest

from proposal_stats import read_ledger

from .conftest import ledger_file


def test_stray_punctuation_after_a_unit_name_is_no_second_unit(tmp_path, params):
    # Typed by hand: a full stop or a separator after the name. Before, 县交通局。 and 县交通局. were
    # units of their own (handling_units 3, not 1), and 县交通局、 was "several lead units" (rejected).
    text = ("提案号,主办单位,协办单位,答复日期,类别\n"
            "001,县交通局,县农业局。,2022-05-01,A\n"
            "002,县交通局。,\"县农业局,\",2022-05-01,A\n"
            "003,县交通局.,县农业局；,2022-05-01,B\n"
            "004,县交通局、,县农业局 、县住建局。,2022-05-01,C\n"
            "005,\"县交通局,\",无,2022-05-01,A\n"
            "006,县交通局、县农业局,,2022-05-01,A\n")
    ledger = read_ledger(ledger_file(tmp_path, text), params)
    assert (ledger.rows_read, ledger.rows_accepted, len(ledger.rejected)) == (6, 5, 1)
    assert ledger.problems[["line", "rule"]].values.tolist() == [[7, "several_lead_units"]]  # two units really named
    assert ledger.proposals["lead_unit"].tolist() == ["县交通局"] * 5
    assert ledger.proposals["co_handling_units"].tolist() == ["县农业局", "县农业局", "县农业局", "县农业局;县住建局", ""]
    counts = ledger.assignments.groupby(["handling_unit", "unit_role"]).size().to_dict()
    assert counts == {("县交通局", "lead"): 5, ("县农业局", "co_handler"): 4, ("县住建局", "co_handler"): 1}


def test_npc_ledger_headers_qualified_by_the_deputy(tmp_path, params):
    # 代表满意度 (the deputy's evaluation) was an unused column: satisfaction silently absent (0 forms).
    text = ("建议号,建议标题,领衔代表,承办单位,办理方式,交办时间,回复日期,办理结果,代表满意度,再次答复时间,再次评价\n"
            "S01,青苔河治理,甲代表,县教育局,分办,2023-03-01,2023-04-10,A,满意,,\n"
            "S01,青苔河治理,甲代表,县卫健局,分办,2023-03-01,2023-05-20,B,基本满意,,\n"
            "S02,公交线路,乙代表,县交通局,主办,2023-03-01,2023-04-15,A,不满意,2023-07-01,满意\n"
            "S03,农机补贴,丙代表,县农业局,独办,2023-03-01,2023-05-10,C,满意,,\n")
    ledger = read_ledger(ledger_file(tmp_path, text), params)
    assert ledger.unused_columns == () and ledger.rows_accepted == 4 and len(ledger.problems) == 0
    got = ledger.proposals.set_index("proposal_id")
    assert got["proposer"].tolist() == ["甲代表", "乙代表", "丙代表"]
    # separate handling: the least satisfied evaluation and the last reply date of its units
    assert got["satisfaction"].tolist() == ["basically_satisfied", "dissatisfied", "satisfied"]
    assert got["replied_at"].dt.strftime("%Y-%m-%d").tolist() == ["2023-05-20", "2023-04-15", "2023-05-10"]
    assert got.loc["S02", "second_satisfaction"] == "satisfied"
    assert got.loc["S02", "second_replied_at"].strftime("%Y-%m-%d") == "2023-07-01"


@pytest.mark.parametrize(("header", "column"), [
    ("委员满意度", "satisfaction"), ("提案人满意度", "satisfaction"), ("代表滿意度", "satisfaction"), ("评价结果", "satisfaction"),
    ("代表", "proposer"), ("委员", "proposer"), ("建议人", "proposer"), ("办结时间", "replied_at"), ("办理期限", "due_at"),
])
def test_more_header_aliases(tmp_path, params, header, column):
    value = {"satisfaction": "满意", "proposer": "某委员", "replied_at": "2022-05-01", "due_at": "2022-06-30"}[column]
    text = f"提案号,主办单位,答复日期,类别,{header}\n001,县交通局,2022-05-01,A,{value}\n"
    if column == "replied_at":
        text = f"提案号,主办单位,类别,{header}\n001,县交通局,A,{value}\n"
    ledger = read_ledger(ledger_file(tmp_path, text), params)
    assert ledger.unused_columns == () and ledger.rows_accepted == 1
    got = ledger.proposals[column].iloc[0]
    want = {"satisfaction": "satisfied", "proposer": "某委员"}.get(column)
    assert (got if want else got.strftime("%Y-%m-%d")) == (want or value)


NOTE_LEDGER = ("提案号,案由,主办单位,答复日期,类别\n"
               "001,路灯,县交通局,2022-05-01,A\n"
               "002,学校,县教育局,2022-05-03,B\n"
               "合计：2件,,,,\n"
               "填表人：林某某    审核：周某某,,,,\n"
               "联系电话：0000-1234567,,,填表日期：2022年12月1日,\n"
               "注1：类别按 A、B、C 填写,,,,\n"
               "注意：仍是数据,,县农业局,2022-05-03,C\n"   # not a note label (注意), so a data row
               "003,审核：已完成,县卫健局,2022-05-04,A\n")  # a label in one cell among data: a data row


def test_note_and_sign_off_lines_are_set_aside_not_rejected(tmp_path, params):
    # Before: 填表人：林某某… was a rejected proposal ("a government-system proposal needs a lead unit"),
    # and the report's banner said rows were rejected.
    ledger = read_ledger(ledger_file(tmp_path, NOTE_LEDGER), params)
    assert (ledger.rows_read, ledger.rows_accepted, len(ledger.rejected), len(ledger.set_aside)) == (8, 4, 0, 4)
    assert ledger.rows_read == ledger.rows_accepted + len(ledger.rejected) + len(ledger.set_aside)
    assert ledger.proposals["proposal_id"].tolist() == ["001", "002", "注意:仍是数据", "003"]  # ids are NFKC (full-width colon made ASCII)
    assert ledger.problems[["line", "proposal_id", "rule"]].values.tolist() == [
        [4, "", "totals_row"], [5, "", "note_row"], [6, "", "note_row"], [7, "", "note_row"]]
    assert ledger.set_aside["source_line"].tolist() == [4, 5, 6, 7]
    assert str(ledger.acceptance()) == "4 of 8 rows accepted (4 set aside: totals or note rows, not proposals)"


def test_a_merged_sign_off_line_in_a_workbook_is_set_aside(tmp_path, params):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["提案号", "案由", "主办单位", "答复日期", "类别"], ["001", "路灯", "县交通局", "2022-05-01", "A"],
                ["填报单位：青苔县政府办公室（盖章）"], ["002", "学校", "县教育局", "2022-05-03", "B"]):
        ws.append(row)
    ws.merge_cells("A3:E3")  # its value belongs to every cell it covers
    path = tmp_path / "l.xlsx"
    wb.save(path)
    ledger = read_ledger(path, params)
    assert (ledger.rows_read, ledger.rows_accepted, len(ledger.rejected), len(ledger.set_aside)) == (3, 2, 0, 1)
    assert ledger.problems[["line", "rule"]].values.tolist() == [[3, "note_row"]]


def test_validate_counts_note_rows_as_set_aside(tmp_path):
    import subprocess
    import sys

    cli = str(Path(sys.executable).parent / "proposal-stats")
    path = ledger_file(tmp_path, NOTE_LEDGER)
    out = subprocess.run([cli, "validate", str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "8 rows read, 4 accepted, 0 rejected, 4 set aside (totals or note rows, not proposals)" in out.stdout
    assert f"{path}:5: row = '填表人：林某某    审核：周某某': note_row (warning)" in out.stdout


def test_excel_text_formula_cells_read_as_excel_shows_them(tmp_path, params):
    # ="001" is how exports keep leading zeros in a CSV; Excel shows 001. Before, the proposal id was
    # '="001"' (and flagged as a formula); a real formula stays as written and flagged.
    text = ('提案号,案由,主办单位,答复日期,类别\n'
            '"=""001""",路灯,县交通局,2022-05-01,A\n'
            '"=""002""","=""说""""明""",县教育局,2022-05-03,B\n'
            '003,"=HYPERLINK(""http://example.invalid"",""x"")",县卫健局,2022-05-04,A\n'
            '"=""004""&""5""",学校,县农业局,2022-05-04,C\n')
    ledger = read_ledger(ledger_file(tmp_path, text), params)
    assert ledger.proposals["proposal_id"].tolist() == ["001", "002", "003", '="004"&"5"']
    assert ledger.proposals["title"].tolist()[:2] == ["路灯", '说"明']
    flagged = ledger.problems.loc[ledger.problems["rule"] == "spreadsheet_formula", ["line", "column"]].values.tolist()
    assert flagged == [[4, "案由"], [5, "提案号"]]


@pytest.mark.parametrize("quoted", [False, True])  # Arrow's fast path and the careful one
def test_a_row_lacking_only_the_headers_trailing_blank_cells_is_not_short(tmp_path, params, quoted):
    # The header padded with separators (满意度,,) made rows without that padding "short": rejected.
    first = '"001"' if quoted else "001"
    text = ("提案号,主办单位,答复日期,类别,,\n"
            f"{first},县交通局,2022-05-01,A,,\n"
            "002,县教育局,2022-05-01,B\n"
            "003,县教育局,2022-05-01,C,\n"
            "004,县教育局,2022-05-01\n"          # lacks a named column: still short
            "005,县教育局,2022-05-01,A,,,x\n")   # a value past the header: still long
    ledger = read_ledger(ledger_file(tmp_path, text), params)
    assert ledger.proposals["proposal_id"].tolist() == ["001", "002", "003"]
    assert ledger.proposals["result_category"].tolist() == ["A", "B", "C"]
    assert ledger.problems[["line", "rule"]].values.tolist() == [[5, "row_shape"], [6, "row_shape"]]


def test_a_unit_name_with_a_slash_is_one_unit_and_said(tmp_path, params):
    # 县农业局/县住建局 may be two units joined by hand or one merged office: read as written (one unit)
    # and warned about on its row, in any unit column, half- or full-width; never split by a guess.
    text = ("提案号,主办单位,协办单位,答复日期,类别\n"
            "001,县交通局,县农业局/县住建局,2022-05-01,A\n"
            "002,县住建局／县人防办,,2022-05-01,B\n"
            "003,县交通局,县农业局,2022-05-01,A\n")
    ledger = read_ledger(ledger_file(tmp_path, text), params)
    assert (ledger.rows_read, ledger.rows_accepted, len(ledger.rejected)) == (3, 3, 0)
    assert sorted(ledger.problems[["line", "rule", "column", "severity"]].values.tolist()) == [
        [2, "unit_name_slash", "协办单位", "warning"], [3, "unit_name_slash", "主办单位", "warning"]]
    assert ledger.proposals["co_handling_units"].tolist() == ["县农业局/县住建局", "", "县农业局"]
    assert ledger.proposals["lead_unit"].tolist() == ["县交通局", "县住建局/县人防办", "县交通局"]  # one spelling: ／ is /


def test_an_alias_whose_brackets_are_its_name_is_matched_with_them(tmp_path, params):
    # "handling unit (lead)" (a lead_unit alias) without its brackets is "handling unit" (handling_unit):
    # it was read as the handling unit. Notes in brackets after other headers are still notes.
    text = ("Proposal ID,Title,Handling unit (lead),Co-handling units,Reply date,Result category（A/B/C）\n"
            "001,t1,县交通局,县农业局,2022-05-01,A\n"
            "002,t2,县农业局,,2022-05-01,B\n")
    ledger = read_ledger(ledger_file(tmp_path, text), params)
    assert ledger.unused_columns == () and (ledger.rows_accepted, len(ledger.rejected)) == (2, 0)
    assert ledger.proposals["lead_unit"].tolist() == ["县交通局", "县农业局"]
    assert ledger.proposals["co_handling_units"].tolist() == ["县农业局", ""]
    assert ledger.proposals["result_category"].tolist() == ["A", "B"]
    counts = ledger.assignments.groupby(["handling_unit", "unit_role"]).size().to_dict()
    assert counts == {("县交通局", "lead"): 1, ("县农业局", "co_handler"): 1, ("县农业局", "lead"): 1}


def test_every_problem_message_keeps_its_message_id_for_translation(tmp_path, params):
    # numpy (np.full) and pandas' str inference turned each Msg into its English text, so a Chinese
    # report could show a problem only by its rule's summary and a Chinese workbook not at all.
    from proposal_stats.messages import Msg
    from proposal_stats.reporting.i18n import Translator

    text = ("提案号,案由,主办单位,协办单位,交办日期,答复日期,类别,是否面商,满意度\n"
            "001,青苔河治理,县甲局,县甲局,2022-03-15,2022-03-01,A,是,满意\n"  # a unit twice; reply before assignment
            "002,=1+2,县乙局/县丙局,,2022-03-15,2022-05-01,Z,也许,满意\n"  # formula; slash; category; face to face
            "003,路灯,县丁局、县戊局,,2022-03-15,2022-05-01,B,是,满意\n"  # two lead units
            "003,路灯,县丁局,,2022-03-15,2022-05-01,B,是,满意\n"  # duplicate id
            "004,a,b\n")  # too few cells
    ledger = read_ledger(ledger_file(tmp_path, text), params)
    rules = set(ledger.problems["rule"])
    assert {"duplicate_id", "reply_before_assignment", "spreadsheet_formula", "unit_name_slash", "category_not_in_scheme",
            "unparseable_value", "several_lead_units"} <= rules
    assert [m for m in ledger.problems["message"] if not isinstance(m, Msg)] == []
    early = ledger.problems.loc[ledger.problems["rule"] == "reply_before_assignment", "message"].iloc[0]
    assert Translator("zh-CN")(early) == "答复日期 2022-03-01 早于交办日期 2022-03-15"
    # a rejected row's reasons, "column: message" joined with "; ", are messages too
    reasons = dict(zip(ledger.rejected["source_line"], ledger.rejected["reasons"]))
    assert sorted(reasons) == [2, 3, 4, 5, 6] and [r for r in reasons.values() if not isinstance(r, Msg)] == []
    assert reasons[6] == "row: the row has 3 cells, the header has 9"
    assert reasons[4] == ("提案号: this proposal id is on more than one row; "
                          "主办单位: the cell names more than one unit; put one lead unit here and the others under co-handling units")
    assert Translator("zh-CN")(reasons[4]) == "提案号：该提案号出现在不止一行；主办单位：单元格写了不止一个单位；此处只填一个主办单位，其余填入协办单位"
    assert Translator("zh-CN")(reasons[6]) == "整行：该行有 3 个单元格，表头有 9 个"


@pytest.mark.parametrize("chosen", ["", "system"])
def test_jemalloc_is_arrows_pool_for_ledgers_unless_the_user_chose_a_pool(tmp_path, chosen):
    # mimalloc (pyarrow's default) hands freed pages back and faults them in again: a million-row
    # ledger read 5.1 s against 3.5 s with jemalloc (bench_ledger.py). A pool the user named stays.
    import os
    import subprocess
    import sys

    import pyarrow as pa

    try:
        pa.jemalloc_memory_pool()
    except NotImplementedError:
        pytest.skip("this pyarrow has no jemalloc")
    code = ("import pyarrow as pa; from proposal_stats import read_ledger\n"
            "try:\n    read_ledger('no-such-ledger.csv')\nexcept Exception:\n    pass\n"
            "print(pa.default_memory_pool().backend_name)")
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"} | ({"ARROW_DEFAULT_MEMORY_POOL": chosen} if chosen else {})
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == (chosen or "jemalloc")


def test_an_unknown_handling_system_is_one_problem_not_also_a_blank_one(tmp_path, params):
    # 某协会 was "not a known handling system" and also "the handling system is blank": two errors, one fault.
    text = ("提案号,主办单位,办理系统,答复日期,类别\n"
            "001,县甲局,政府,2022-05-01,A\n"
            "002,县乙局,某协会,2022-05-01,A\n"
            "003,县丙局,,2022-05-01,B\n")
    ledger = read_ledger(ledger_file(tmp_path, text), params)
    found = ledger.problems[["line", "rule", "message"]].values.tolist()
    assert [(line, rule) for line, rule, _ in found] == [(3, "unparseable_value"), (4, "unparseable_value")]
    assert found[0][2].startswith("not a known handling system (known: ") and found[1][2].startswith("the handling system is blank")


def test_a_unit_column_beside_the_lead_unit_column_is_reported_unused(tmp_path, params):
    # "unit" (a handling-unit alias) beside "Lead unit", with no role column, was dropped silently.
    text = ("proposal_id,Lead unit,unit,replied_at,result_category\n"
            "001,县甲局,县乙局,2022-05-01,A\n"
            "002,县甲局,县丙局,2022-05-01,B\n")
    ledger = read_ledger(ledger_file(tmp_path, text), params)
    assert ledger.layout == "proposal_per_row" and ledger.unused_columns == ("unit",)
    assert ledger.proposals["lead_unit"].tolist() == ["县甲局", "县甲局"] and set(ledger.assignments["handling_unit"]) == {"县甲局"}


def test_two_unit_names_joined_by_a_space_plus_or_and_are_one_unit_and_said(tmp_path, params):
    # 红河谷市文旅局 红河谷市教育局 or 县卫健局+县医保局 in one cell was read as one unit with no word:
    # two units joined silently. Said on its row (a warning, in any unit column, full-width forms too);
    # a space inside one name (市 教育局), a Latin name, and 和 inside a name are not joins.
    text = ("提案号,主办单位,协办单位,答复日期,类别\n"
            "001,红河谷市文旅局 红河谷市教育局,,2022-05-01,A\n"
            "002,红河谷市交通局,红河谷市农业局\u3000红河谷市林业局,2022-05-01,B\n"
            "003,市 教育局,Bureau of Water,2022-05-01,A\n"
            "004,县卫健局+县医保局,县财政局 ＆ 县商务局,2022-05-01,A\n"
            "005,县住房和城乡建设局,县水务局 and 县林草局,2022-05-01,B\n")
    ledger = read_ledger(ledger_file(tmp_path, text), params)
    assert (ledger.rows_read, ledger.rows_accepted) == (5, 5)
    assert sorted(ledger.problems[["line", "rule", "column", "severity"]].values.tolist()) == [
        [2, "unit_names_joined", "主办单位", "warning"], [3, "unit_names_joined", "协办单位", "warning"],
        [5, "unit_names_joined", "主办单位", "warning"], [5, "unit_names_joined", "协办单位", "warning"],
        [6, "unit_names_joined", "协办单位", "warning"]]
    assert ledger.proposals["lead_unit"].tolist() == ["红河谷市文旅局 红河谷市教育局", "红河谷市交通局", "市教育局", "县卫健局+县医保局",
                                                       "县住房和城乡建设局"]  # 市 教育局 is one name typed with a blank


def test_the_ways_one_unit_is_typed_count_as_one_unit(tmp_path, params):
    # 县住建局（人防办）, 县住建局(人防办) and 县住建局（人防办 ）; 县ＸＸ中心 and 县XX中心; 县教育局 and
    # 县 教育局 were 7 units for 3 (handling_units up by 4), with no word said.
    text = ("提案号,主办单位,协办单位,答复日期,类别\n"
            "001,县住建局（人防办）,县ＸＸ中心,2022-05-01,A\n"
            "002,县住建局(人防办),县XX中心,2022-05-01,A\n"
            "003,县住建局（人防办 ）,县 教育局,2022-05-01,B\n"
            "004,县教育局,县住建局 (人防办),2022-05-01,A\n")
    ledger = read_ledger(ledger_file(tmp_path, text), params)
    assert ledger.proposals["lead_unit"].tolist() == ["县住建局（人防办）"] * 3 + ["县教育局"]
    assert ledger.proposals["co_handling_units"].tolist() == ["县XX中心", "县XX中心", "县教育局", "县住建局（人防办）"]
    assert sorted(set(ledger.assignments["handling_unit"])) == sorted({"县住建局（人防办）", "县XX中心", "县教育局"})
    assert len(ledger.problems) == 0


def test_values_as_offices_type_them(tmp_path, params):
    # Each was rejected: a header with a full stop (Proposal No.), blanks inside a word (满  意, 基本 满意),
    # 已面商/未面商/电话沟通, "/" for no evaluation, a category with its label in brackets (A类（已解决）).
    text = ("Proposal No.,主办单位,答复日期,类别,是否面商,满意度\n"
            "001,县甲局,2022-05-01,A类（已解决）,已面商,满  意\n"
            "002,县甲局,2022-05-01,B（列入计划解决）,未面商,基本 满意\n"
            "003,县甲局,2022-05-01,C,电话沟通,/\n")
    ledger = read_ledger(ledger_file(tmp_path, text), params)
    assert (ledger.rows_accepted, len(ledger.problems), ledger.unused_columns) == (3, 0, ()), ledger.problems
    p = ledger.proposals
    assert p["proposal_id"].tolist() == ["001", "002", "003"] and p["result_category"].tolist() == ["A", "B", "C"]
    assert p["f2f_consulted"].tolist() == [True, False, False]
    assert p["satisfaction"].tolist() == ["satisfied", "basically_satisfied", ""]


def test_a_ledger_split_over_sheets_says_the_sheets_it_does_not_read(tmp_path, params):
    # 第一批 and 第二批 with the same header: "2 rows read, 2 accepted", exit 0, half the ledger unread
    # and unsaid. Said once for the file; a sheet named by the user, or another kind of sheet, says nothing.
    from openpyxl import Workbook

    wb = Workbook()
    header = ["提案号", "主办单位", "答复日期", "类别"]
    for title, rows in (("第一批", [["001", "县甲局", "2022-05-01", "A"], ["002", "县乙局", "2022-05-01", "B"]]),
                        ("第二批", [["003", "县甲局", "2022-05-01", "A"], ["004", "县丙局", "2022-05-01", "C"], ["005", "县丙局", "", ""]]),
                        ("说明", [["填表说明：每件提案一行"]])):
        ws = wb.create_sheet(title)
        for row in [header if title != "说明" else ["说明"], *rows]:
            ws.append(row)
    del wb["Sheet"]
    wb.save(tmp_path / "l.xlsx")
    ledger = read_ledger(tmp_path / "l.xlsx", params)
    assert (ledger.rows_read, ledger.rows_accepted) == (2, 2)
    [problem] = ledger.problems.to_dict("records")
    assert (problem["rule"], problem["severity"], problem["column"]) == ("other_sheets", "warning", "workbook")
    assert "not read: 第二批 (3 rows)." in problem["message"]
    named = read_ledger(tmp_path / "l.xlsx", params, sheet="第二批")
    assert (named.rows_read, len(named.problems)) == (3, 0)
