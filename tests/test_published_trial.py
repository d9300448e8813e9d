"""Faults a new-user trial and an adversarial tester found in the published-report audit, each fixed as a
kind: texts written for these tests (fictional places: 云岭县, 石桥县, 白沙县), the right value in each test.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from proposal_stats.claims_format import ClaimsError, load_claims
from proposal_stats.published.audit import audit
from proposal_stats.published.extract import extract, trace
from proposal_stats.published.printed import fold_width, parse_percent
from proposal_stats.published.textread import read_report, table_sentences
from proposal_stats.stats.compare import compare_rate

from . import test_extract
from .test_exports import HEADER

CLI = str(Path(sys.executable).parent / "proposal-stats")


def kinds(claims) -> list[tuple[str, str]]:
    return sorted((f.kind, f.where) for f in audit(claims))


def claims_file(tmp_path, body: str, name: str = "c.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


# ---- 1. full-width forms and Chinese numerals, wherever a printed number is read -------------------------

@pytest.mark.parametrize("text, value, places", [
    ("占７１．３７％", "71.37", 2), ("２４．６％", "24.6", 1), ("面商率１００．０％", "100.0", 1), ("面商率９３．８％", "93.8", 1),
    ("４．０３﹪", "4.03", 2), ("立案率百分之九十二点二", "92.2", 1), ("满意率达百分之九十八点五", "98.5", 1), ("面商率一百％", "100", 0),
    ("百分之百", "100", 0), ("百分之九十五", "95", 0),
])
def test_percentages_in_full_width_forms_and_chinese_numerals(text, value, places):
    printed = parse_percent(text)
    assert (printed.value, printed.places) == (Decimal(value), places)


def test_full_width_shares_in_a_claims_file_are_read_as_printed(tmp_path):
    path = claims_file(tmp_path, """\
id: yunling-fw
source: {title: 云岭县人民政府关于县政协一届一次会议提案办理情况的报告}
figures:
  to_government: {value: "２４８", text: 交政府系统办理２４８件}
  f2f_rate: {value: "９３．８", text: 面商率９３．８％}
results:
  base: "２４８"
  cats:
    - {code: A, count: "１７７", share_text: ７１．３７％}
    - {code: B, count: 61, share_text: ２４．６％}
    - {code: C, count: 10, share_text: "4.03％"}
""")
    [c] = load_claims(path)
    assert c.figures["f2f_rate"].value == Decimal("93.8") and c.results.base == 248 and c.results.cats[0].count == 177
    # 177/248 = 71.3710 → 71.37; 61/248 = 24.5968 → 24.6 (24.60 with its zero dropped); 10/248 = 4.0323 → 4.03;
    # 93.8% of 248: 233/248 = 93.95, 232/248 = 93.55: no whole number gives it
    assert kinds(c) == [("dropped_trailing_zero", "results: B"), ("impossible_percentage", "figures.f2f_rate")]


def test_the_ledger_comparison_reads_full_width_and_chinese_numeral_percentages():
    # 15/16 = 93.75% → 93.8 at one decimal; 16/16 = 100% → 100.0
    assert compare_rate("f2f_rate", 15, 16, Decimal("93.75"), "面商率９３．８％", None).verdict == "agrees"
    assert compare_rate("f2f_rate", 16, 16, Decimal("100"), "面商率１００．０％", None).verdict == "agrees"
    assert compare_rate("f2f_rate", 16, 16, Decimal("100"), "面商率一百％", None).verdict == "agrees"
    wrong = compare_rate("f2f_rate", 15, 16, Decimal("93.75"), "面商率９５．０％", None)
    assert wrong.verdict == "differs" and "printed 95.0" in str(wrong.detail)


FULL_WIDTH_TEXT = """云岭县人民政府关于县政协三届二次会议提案办理情况的报告
共收到提案二百六十九件，立案二百四十八件，立案率百分之九十二点二。
交由３１家单位承办，办复率１００％，面商率９８．５％。
已解决的A类提案１７７件，占７１．３７％；B类６１件，占２４．６％；C类１０件，占４．０３％。
"""


def test_a_text_in_full_width_forms_and_chinese_numerals():
    c = extract(FULL_WIDTH_TEXT)
    assert {n: f.value for n, f in c.figures.items() if n in ("submitted", "filed", "filing_rate", "f2f_rate")} == {
        "submitted": 269, "filed": 248, "filing_rate": Decimal("92.2"), "f2f_rate": Decimal("98.5")}
    # 248/269 = 92.19% → 92.2 (right); 98.5% of 248 is no whole number (244/248 = 98.39, 245/248 = 98.79);
    # the shares are right (24.6 for 24.5968 is a dropped zero)
    assert kinds(c) == [("dropped_trailing_zero", "results: B"), ("impossible_percentage", "figures.f2f_rate")]


# ---- 2. nothing lost between the file and the claims --------------------------------------------------------

SHARES_IN_A_TABLE = [["类别", "件数", "占比"], ["A类（已解决）", "5", "62.5"], ["B类（列入计划）", "2", "30"], ["C类（留作参考）", "1", "12.5%"]]
TABLE_PARAGRAPH = "石桥县政协一届一次会议以来，共收到提案8件，全部交政府系统办理。办理结果如下："


def test_a_table_reads_row_by_row_with_its_header_giving_each_column_meaning():
    assert table_sentences(SHARES_IN_A_TABLE) == ["A类（已解决）5件，占62.5%。", "B类（列入计划）2件，占30%。", "C类（留作参考）1件，占12.5%。"]
    # no header: a percentage right after a count is its share
    assert table_sentences([["A类", "5件", "62.5%"]]) == ["A类5件，占62.5%。"]
    # a handling units' table keeps each unit's numbers as printed (they are not the report's figures)
    assert table_sentences([["承办单位", "件数", "办复率"], ["石桥县住建局", "3", "100%"]]) == ["石桥县住建局3，100%。"]


def _same_findings_as_plain_text(c) -> None:
    # 2/8 = 25%, printed 30% (impossible of 8: 2/8 = 25, 3/8 = 37.5); 62.5 + 30 + 12.5 = 105%
    assert kinds(c) == [("impossible_percentage", "results: B"), ("shares_total", "results")]
    assert [(x.code, x.label, x.count, x.share_text) for x in c.results.cats] == [
        ("A", "已解决", 5, "62.5%"), ("B", "列入计划", 2, "30%"), ("C", "留作参考", 1, "12.5%")]


def test_shares_in_a_word_table_are_audited(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("石桥县人民政府关于县政协一届一次会议提案办理情况的报告", level=1)
    document.add_paragraph(TABLE_PARAGRAPH)
    table = document.add_table(rows=len(SHARES_IN_A_TABLE), cols=3)
    for row, cells in zip(table.rows, SHARES_IN_A_TABLE):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    document.add_paragraph("以上为办理结果。")  # after the table: read in the document's order
    path = tmp_path / "report.docx"
    document.save(path)
    read = read_report(path)
    assert read.title == "石桥县人民政府关于县政协一届一次会议提案办理情况的报告"
    assert read.text.index("A类") < read.text.index("以上为办理结果")
    _same_findings_as_plain_text(extract(read.text))


def test_an_html_page_inline_tags_and_tables(tmp_path):
    rows = "".join(f"<tr>{''.join(f'<td>{c}</td>' for c in row)}</tr>" for row in SHARES_IN_A_TABLE)
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>石桥县政府网</title></head><body><nav>首页 | 共收到提案777件</nav><main>"
        "<h1>石桥县人民政府关于县政协一届一次会议提案办理情况的报告</h1>"
        f"<p>石桥县政协一届一次会议以来，共收到提案<span>8</span>件，全部交政府系统办理，办复率<b>100</b>%。办理结果如下：</p>"
        f"<table><tr><th>类别</th><th>件数</th><th>占比</th></tr>{rows[rows.index('</tr>') + 5:]}</table></main></body></html>",
        encoding="utf-8")
    read = read_report(page)
    assert read.title == "石桥县人民政府关于县政协一届一次会议提案办理情况的报告"
    assert "共收到提案8件，全部交政府系统办理，办复率100%。" in read.text and "777" not in read.text
    c = extract(read.text)
    assert c.figures["submitted"].text == "共收到提案8件" and c.figures["reply_rate"].value == 100
    _same_findings_as_plain_text(c)


CHINESE_NUMERALS = "白沙县共收到提案二百六十九件，立案二百四十八件，立案率百分之九十五。县政府系统办理的提案满意率达百分之九十八点五。"


def test_percentages_in_chinese_numerals_are_read_and_checked():
    c = extract(CHINESE_NUMERALS)
    assert c.figures["filing_rate"].value == 95 and c.figures["satisfaction_rate"].value == Decimal("98.5")
    assert c.figures["filing_rate"].text == "立案率百分之九十五"
    # 248/269 = 92.19% → 92, printed 95%
    assert kinds(c) == [("derived_mismatch", "figures.filing_rate")]


SATISFIED_TOGETHER = ("云岭县政协三届二次会议以来，共收到提案130件，经审查立案122件，立案率93.8%。其中交政府系统办理110件。"
                      "委员对办理结果满意和基本满意的103件，满意率99.1%，共收回意见反馈表106份。")
LABELS_WITH_LEAD_IN = ("经梳理统计,提案所提问题中已解决或正在解决的A类提案65件，占59.1%；从办理结果看,列入计划逐步解决的B类提案30件，占27.3%；"
                       "因条件限制暂时难以解决的C类提案15件，占13.6%。")
FIXTURES = [FULL_WIDTH_TEXT, TABLE_PARAGRAPH + "\n" + "\n".join(table_sentences(SHARES_IN_A_TABLE)), CHINESE_NUMERALS,
            SATISFIED_TOGETHER, LABELS_WITH_LEAD_IN]
_CN = "零〇一二三四五六七八九十百千万两兩"
# Number-like spans, found independently of extraction: a percentage (digits, 百分之…), a count (digits or
# Chinese numerals before 件/个/家/名/位/人/项/份/条). A lone 一/两 (一项工作) and 第三件 are words, not counts.
_NUMBER_LIKE = re.compile(rf"百分之[{_CN}点]+|\d+(?:[.,]\d+)*\s*%|(?<![第每这那哪\d.])(?:\d+(?:[.,]\d+)*|[{_CN}]{{2,}}|[三四五六七八九十百千万])"
                          r"\s*(?:件|个|家|名|位|人|项|份|条)")


def _all_fixture_texts() -> list[str]:
    theirs = [v for k, v in vars(test_extract).items() if k.isupper() and isinstance(v, str) and re.search(r"\d", v)]
    return FIXTURES + theirs


def test_every_number_is_placed_or_kept_unplaced_never_dropped():
    texts = _all_fixture_texts()
    assert len(texts) > 10
    for text in texts:
        traced = trace(text)
        dropped = [t for t in traced if not t.fate]
        assert dropped == [], (text, dropped)
        folded = fold_width(text)
        unread = [m.group(0) for m in _NUMBER_LIKE.finditer(folded) if not any(t.start < m.end() and m.start() < t.end for t in traced)]
        assert unread == [], (text, unread)


def test_a_number_that_cannot_be_read_or_placed_is_kept_with_its_text():
    c = extract("石桥县共收到提案8件，其中重点督办8件以外另有8件。")  # the third 8: no words name it
    assert any(u.value == 8 and "8件" in u.text for u in c.unplaced)
    c = extract("石桥县共收到提案120件。合计120件，占100%。")  # a total row's share stays with the count it follows
    assert [(u.text, u.note) for u in c.unplaced] == [("合计120件，占100%", "the same number as submitted, with no words naming it")]
    assert c.figures["submitted"].text == "石桥县共收到提案120件"


# ---- 3. satisfied and basically satisfied, one count ----------------------------------------------------------

def test_satisfied_and_basically_satisfied_counted_together_make_the_satisfaction_rate():
    c = extract(SATISFIED_TOGETHER)
    assert c.figures["satisfied_inclusive"].value == 103 and c.figures["satisfied_inclusive"].meaning == "satisfied_inclusive"
    assert c.figures["satisfaction_rate"].derived.of == ("satisfied_inclusive",)
    findings = audit(c)
    assert [(f.kind, f.where) for f in findings] == [("derived_mismatch", "figures.satisfaction_rate")]
    assert "103/106 = 97.1698%" in findings[0].message and "half-up: 97.2" in findings[0].message


@pytest.mark.parametrize("words", ["满意和基本满意的", "满意及基本满意的", "满意或基本满意的", "满意、基本满意的", "滿意和基本滿意的"])
def test_the_siblings_of_satisfied_and_basically_satisfied(words):
    c = extract(f"石桥县共收回意见反馈表106份，委员对办理结果{words}103件，满意率99.1%。")
    assert c.figures["satisfied_inclusive"].value == 103
    assert kinds(c) == [("derived_mismatch", "figures.satisfaction_rate")]


def test_the_three_answers_listed_are_not_one_count():
    c = extract("石桥县共收回意见反馈表90份，其中满意80份，基本满意8份，不满意2份，满意率97.8%。")
    assert "satisfied_inclusive" not in c.figures
    assert audit(c) == []  # (80 + 8)/90 = 97.78% → 97.8


def test_parts_of_the_forms_returned_counted_together():
    from proposal_stats.claims_format import Claims

    c = Claims.model_validate({"source": {"title": "x"}, "figures": {
        "forms_returned": {"value": 100, "text": "收回意见表100份"}, "satisfied_inclusive": {"value": 98, "text": "满意和基本满意的98件"},
        "dissatisfied": {"value": 4, "text": "不满意4件"}}})
    assert kinds(c) == [("parts_mismatch", "figures.dissatisfied")]  # 98 + 4 = 102 of 100 forms


# ---- 4. extract → new --published → the report's published checks --------------------------------------------

QINGSHI = """石桥县人民政府关于县政协一届二次会议提案办理情况的通报
县政协一届二次会议以来，共收到提案6件，经审查立案6件，立案率100%。其中交政府系统办理5件，由2家单位承办。
截至2023年10月底，5件提案已全部办复，办复率100%，面商率80%。
从办理结果看，已经解决的A类提案3件，占60%；列入计划逐步解决的B类提案2件，占40%。
"""


def test_extracted_figures_are_the_reports_published_figures(tmp_path):
    from proposal_stats.reporting.new_report import new_params
    from proposal_stats.reporting.report import build_annual_report

    (tmp_path / "report.txt").write_text(QINGSHI, encoding="utf-8")
    r = subprocess.run([CLI, "extract", str(tmp_path / "report.txt"), "-o", str(tmp_path / "claims")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    claims = tmp_path / "claims" / "report.yaml"
    assert load_claims(claims)[0].source.title == "石桥县人民政府关于县政协一届二次会议提案办理情况的通报"
    rows = [("government", "石桥县住建局", "A", "是"), ("government", "石桥县住建局", "A", "是"), ("government", "石桥县教育局", "A", "否"),
            ("government", "石桥县教育局", "B", "是"), ("government", "石桥县教育局", "B", "是"), ("party", "", "", "")]
    (tmp_path / "ledger.csv").write_text(HEADER + "".join(
        f"{i:03d},t{i},p{i},{system},{unit},,2023-03-15,{'2023-05-01' if unit else ''},{cat},{f2f},{'满意' if unit else ''}\n"
        for i, (system, unit, cat, f2f) in enumerate(rows, 1)), encoding="utf-8")
    identity = {"title": "石桥县人民政府办理县政协一届二次会议提案情况", "jurisdiction": "石桥县 (fictional)", "body": "cppcc_proposals",
                "session": "县政协一届二次会议", "year": 2023}
    result = new_params(tmp_path / "p.yaml", tmp_path / "ledger.csv", identity, published=claims)
    assert [str(w) for w in result.warnings] == []  # the title names 石桥县 and its session
    report = build_annual_report(tmp_path / "p.yaml")
    checks = {c.figure: c.verdict for c in report.comparisons}
    # 6 submitted, 5 to the government (printed as to_government), 2 units, 5 replied = 100%,
    # 4 of 5 face to face = 80%, A 3 = 60% and B 2 = 40% of 5
    assert {k: checks[k] for k in ("submitted", "assigned_to_government", "handling_units", "replied", "reply_rate", "f2f_rate",
                                   "A count", "A share", "B count", "B share")} == dict.fromkeys(
        ("submitted", "assigned_to_government", "handling_units", "replied", "reply_rate", "f2f_rate", "A count", "A share", "B count",
         "B share"), "agrees")
    assert checks["on_time_rate"] == "not printed"
    assert [(c.code, c.label) for c in report.params.result_scheme.categories] == [("A", "已经解决"), ("B", "列入计划逐步解决")]


# ---- 5–7. the commands: distinct ids, empty texts, folders -----------------------------------------------------

def test_inputs_of_one_stem_get_distinct_ids_and_files(tmp_path):
    import docx

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "t1.txt").write_text(QINGSHI, encoding="utf-8")
    (tmp_path / "b" / "t1.txt").write_text(CHINESE_NUMERALS, encoding="utf-8")
    document = docx.Document()
    document.add_paragraph(SATISFIED_TOGETHER)
    document.save(tmp_path / "a" / "t1.docx")
    inputs = [str(tmp_path / "a" / "t1.txt"), str(tmp_path / "a" / "t1.docx"), str(tmp_path / "b" / "t1.txt")]
    r = subprocess.run([CLI, "extract", *inputs, "-o", str(tmp_path / "out")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a-t1.yaml", "b-t1.yaml", "t1-docx.yaml"]
    assert load_claims(tmp_path / "out" / "b-t1.yaml")[0].figures["filing_rate"].value == 95
    r = subprocess.run([CLI, "audit", *inputs, "--json"], capture_output=True, text=True)
    assert sorted(x["id"] for x in json.loads(r.stdout)) == ["a-t1", "b-t1", "t1-docx"]
    # a file extract did not write is never overwritten
    (tmp_path / "out2").mkdir()
    (tmp_path / "out2" / "t1.yaml").write_text("id: hand-made\nsource: {title: x}\n", encoding="utf-8")
    r = subprocess.run([CLI, "extract", inputs[0], "-o", str(tmp_path / "out2")], capture_output=True, text=True)
    assert r.returncode == 2 and "not written by proposal-stats extract" in r.stderr
    assert (tmp_path / "out2" / "t1.yaml").read_text(encoding="utf-8").startswith("id: hand-made")


def test_empty_text_no_figure_and_folders(tmp_path):
    (tmp_path / "empty.txt").write_text("\n", encoding="utf-8")
    r = subprocess.run([CLI, "audit", str(tmp_path / "empty.txt")], capture_output=True, text=True)
    assert r.returncode == 2 and "no text read (the file is empty)" in r.stderr
    (tmp_path / "words.txt").write_text("石桥县政府高度重视提案办理工作。", encoding="utf-8")
    r = subprocess.run([CLI, "audit", str(tmp_path / "words.txt")], capture_output=True, text=True)
    assert r.returncode == 2 and "no figure found in its text" in r.stderr
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(CHINESE_NUMERALS, encoding="utf-8")
    (folder / "b.txt").write_text(QINGSHI, encoding="utf-8")
    (folder / "notes.csv").write_text("x\n", encoding="utf-8")  # another kind of file: not read
    r = subprocess.run([CLI, "audit", str(folder)], capture_output=True, text=True)
    assert r.returncode == 1, r.stderr  # a.txt's filing rate is wrong
    assert "a (" in r.stdout and "b (" in r.stdout and "2 report(s), 1 error(s)" in r.stdout
    (folder / "empty.txt").write_text("", encoding="utf-8")
    r = subprocess.run([CLI, "audit", str(folder)], capture_output=True, text=True)
    assert r.returncode == 2 and "2 report(s), 1 error(s); 1 file(s) not audited" in r.stdout and "empty.txt: no text read" in r.stderr
    r = subprocess.run([CLI, "audit", str(tmp_path / "nothing-here")], capture_output=True, text=True)
    assert r.returncode == 2 and "not found" in r.stderr and "Errno" not in r.stderr


# ---- 8. claims values ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("body, key, words", [
    ("figures:\n  f2f_rate: {value: -5, text: 面商率-5%}\n", "figures.f2f_rate.value", "greater than or equal to 0"),
    ("results:\n  base: 8\n  cats: [{code: A, count: 5, share_text: abc}]\n", "results.cats.0.share_text", "prints no percentage"),
    ("results:\n  base: 8\n  cats: [{code: A, count: 5, share_text: 62.5%}, {code: A, count: 3, share_text: 37.5%}]\n", "results.cats",
     "code 'A' is given twice (cats.0 and cats.1)"),
    ("source: {title: x, date: '2023-13-45'}\n", "source.date", "month value is outside"),
])
def test_impossible_claims_values_name_the_file_report_and_key(tmp_path, body, key, words):
    head = "id: shiqiao-bad\n" + ("" if body.startswith("source") else "source: {title: x}\n")
    path = claims_file(tmp_path, head + body)
    with pytest.raises(ClaimsError) as err:
        load_claims(path)
    assert str(path) in str(err.value) and "(shiqiao-bad)" in str(err.value) and f"key '{key}'" in str(err.value) and words in str(err.value)


def test_a_share_over_100_percent_is_impossible_and_says_so(tmp_path):
    [c] = load_claims(claims_file(tmp_path, """\
id: shiqiao-150
source: {title: x}
figures:
  submitted: {value: 8, text: 共8件}
  reply_rate: {value: 150, text: 办复率150%}
results:
  base: 8
  cats: [{code: A, count: 5, share_text: 62.5%}, {code: B, count: 3, share_text: 120%}]
"""))
    messages = {f.where: f.message for f in audit(c) if f.kind == "impossible_percentage"}
    assert messages["figures.reply_rate"] == "150% of 8 (submitted) is impossible: a share is never over 100% (the most is 8/8 = 100% → 100)"
    assert messages["results: B"].startswith("“120%” of 8 is impossible: a share is never over 100%")


def test_base_mismatch_lists_the_counts_the_report_states_not_its_percentages(tmp_path):
    [c] = load_claims(claims_file(tmp_path, """\
id: shiqiao-base
source: {title: x}
figures:
  submitted: {value: 12, text: 共12件}
  satisfaction_rate: {value: 95, text: 满意率95%}
results:
  base: 10
  cats: [{code: A, count: 6, share_text: 60%}, {code: B, count: 4, share_text: 40%}]
"""))
    [finding] = [f for f in audit(c) if f.kind == "base_mismatch"]
    assert finding.message == "the breakdown's base 10 equals no figure the report states (12)"


# ---- 9. labels as printed --------------------------------------------------------------------------------------

def test_class_labels_are_trimmed_to_the_words_that_print_them():
    c = extract(LABELS_WITH_LEAD_IN)
    assert [(s.code, s.label) for s in c.scheme] == [("A", "已解决或正在解决"), ("B", "列入计划逐步解决"), ("C", "因条件限制暂时难以解决")]
    assert [list(s.statuses) for s in c.scheme] == [["resolved", "in_progress"], ["planned"], ["not_feasible_now"]]


# ---- 10. the corpus report --------------------------------------------------------------------------------------

def _corpus(tmp_path, reports: list[tuple[str, str, int, int, int]]) -> Path:
    """A corpus params file over claims files written here: (id, jurisdiction, year, received, filed)."""
    folder = tmp_path / "claims"
    folder.mkdir()
    for rid, place, year, received, filed in reports:
        (folder / f"{rid}.yaml").write_text(yaml.safe_dump({
            "id": rid, "jurisdiction": place, "body": "CPPCC", "year": year, "source": {"title": f"{place} {year}"},
            "figures": {"received": {"value": received, "text": f"共收到提案{received}件"}, "filed": {"value": filed, "text": f"立案{filed}件"}}},
            allow_unicode=True), encoding="utf-8")
    params = tmp_path / "corpus.yaml"
    params.write_text(f"kind: published_audit\ntitle: test corpus\nclaims: {folder}\n", encoding="utf-8")
    return params


def test_trends_leave_out_unknown_places_and_break_at_missing_years(tmp_path):
    from proposal_stats.reporting import charts
    from proposal_stats.reporting.corpus_report import build_corpus_report

    params = _corpus(tmp_path, [("yl-2019", "云岭县 Yunling county", 2019, 100, 90), ("yl-2020", "云岭县 Yunling county", 2020, 110, 100),
                                ("yl-2023", "云岭县 Yunling county", 2023, 120, 111), ("x-2019", "UNKNOWN city", 2019, 50, 40),
                                ("x-2020", "UNKNOWN county", 2020, 60, 50)])
    report = build_corpus_report(params)
    trends = report.trends_table()
    assert set(trends["jurisdiction"]) == {"云岭县"} and report.trends_left_out() == ["x-2019", "x-2020"]
    fig = charts.trend_chart(trends, "t")
    lines = {line.get_label(): list(zip(line.get_xdata(), line.get_ydata())) for line in fig.axes[0].lines}
    received = dict(lines["received"])
    assert list(received) == [2019, 2020, 2021, 2022, 2023] and received[2020] == 110 and received[2023] == 120
    assert received[2021] != received[2021] and received[2022] != received[2022]  # NaN: no line across 2021–2022
    html = report.trends().html()
    assert "Left out: 2 report(s) whose jurisdiction is not known" in html and "x-2019, x-2020" in html


def test_the_reference_reports_claims_print_what_class_a_means():
    from proposal_stats.published.audit import comparable_resolution_share

    from .conftest import ROOT

    [c] = load_claims(ROOT / "data" / "published" / "chuxiong-city-cppcc-10-1-gov-2023.yaml")
    assert [(s.code, s.label, list(s.statuses)) for s in c.scheme][0] == ("A", "已解决或正在解决", ["resolved", "in_progress"])
    reference = (ROOT / "data" / "reference" / "chuxiong-city-2023-proposal-handling-report.txt").read_text(encoding="utf-8")
    assert all(cat.text in reference for cat in c.results.cats)  # transcribed from the reference text
    share, note = comparable_resolution_share(c)
    assert share is None and "also covers" in note


def test_findings_in_chinese_name_kinds_meanings_and_marks_in_chinese():
    from proposal_stats.claims_format import Claims
    from proposal_stats.published.audit import KINDS
    from proposal_stats.published.vocabulary import VOCABULARY, WORDS
    from proposal_stats.reporting.i18n import Translator
    from proposal_stats.reporting.vocabulary import TERMS, printed_code, term, where

    assert set(KINDS) <= set(TERMS["finding"]) and set(VOCABULARY) == set(WORDS)
    zh = Translator("zh-CN")
    assert [zh(term("finding", k)) for k in ("conflicting_figures", "parts_mismatch", "overlapping_classes")] == ["数字相互矛盾", "分项与总数不符", "类别重叠"]
    assert zh(where("results: A (unlabelled)")) == "办理结果：A（报告未标类别字母）" and zh(printed_code("class 2")) == "第 2 类"
    c = Claims.model_validate({"source": {"title": "x"}, "figures": {
        "submitted": {"value": 60, "text": "共收到提案60件"}, "filed": {"value": 52, "text": "立案52件"}, "merged": {"value": 5, "text": "并案5件"},
        "not_filed": {"value": 4, "text": "不予立案4件"}, "filing_rate": {"value": 90, "text": "立案率90%"}}})
    messages = {f.kind: zh(f.message) for f in audit(c)}
    # 52 + 5 + 4 = 61 of 60; 52/60 = 86.67%, printed 90%
    assert messages["parts_mismatch"].startswith("立案 52 + 并案数 5 + 不予立案数 4 = 61，大于 收到提案数 60")
    assert messages["derived_mismatch"].startswith("立案 除以 收到提案数 为 52/60")
    assert not re.search(r"not_filed|merged|submitted|filed", " ".join(messages.values()))
