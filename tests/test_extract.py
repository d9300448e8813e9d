"""Text extraction: report texts written for these tests (fictional places), one per hard case.

Each test states what the text prints and the arithmetic the audit then does on the extracted claims.
"""

from __future__ import annotations

import json
from decimal import Decimal
import subprocess
import sys
from pathlib import Path

import pytest

from proposal_stats.claims_format import load_claims
from proposal_stats.published.audit import audit
from proposal_stats.published.extract import claims_data, extract
from proposal_stats.published.textread import ReportReadError, read_report

from .conftest import ROOT

CLI = str(Path(sys.executable).parent / "proposal-stats")


def kinds(claims) -> list[tuple[str, str]]:
    return sorted((f.kind, f.where) for f in audit(claims))


def cats(b) -> list[tuple]:
    return [(c.code, c.count, c.share_text) for c in b.cats]


def assert_substrings(claims, text: str) -> None:
    """Every printed figure keeps the exact substring of the input that states it."""
    for fig in claims.figures.values():
        assert fig.text in text, fig.text
    for _, b in claims.all_breakdowns():
        assert b.text in text
        for c in b.cats:
            assert c.text in text and c.share_text in text
    for u in claims.unplaced:
        assert u.text in text


# ---- issue 11, item 4: hard cases ------------------------------------------------------------------------

SEVERAL_BASES = ("2023年,河湾县政协共收到提案120件,经审查立案100件,其中交由县政府系统承办80件。经济建设方面的提案30件,占立案总数的30%;"
                 "社会民生方面的提案70件,占立案总数的70%。已解决或基本解决的A类提案60件,占政府系统承办总数的75%;"
                 "列入计划逐步解决的B类提案20件,占政府系统承办总数的25%。")


def test_several_bases_in_one_text():
    c = extract(SEVERAL_BASES)
    assert {n: int(f.value) for n, f in c.figures.items()} == {"submitted": 120, "filed": 100, "to_government": 80}
    assert c.topics.base == 100 and [x.count for x in c.topics.cats] == [30, 70]  # 占立案总数: 30/100, 70/100
    assert c.results.base == 80 and cats(c.results) == [("A", 60, "75%"), ("B", 20, "25%")]  # 占政府系统承办总数: 60/80 = 75%
    assert audit(c) == []
    assert_substrings(c, SEVERAL_BASES)


CODES = "青石县政府系统共承办政协提案200件。其中A类(已解决或基本解决)150件,占75%;B类(列入计划解决)40件,占20%;已作解释说明留作参考的10件(C类),占5.5%。"


def test_class_codes_before_or_after_the_count():
    c = extract(CODES)
    assert c.figures["to_government"].value == 200
    assert cats(c.results) == [("A", 150, "75%"), ("B", 40, "20%"), ("C", 10, "5.5%")]
    assert [s.label for s in c.scheme] == ["已解决或基本解决", "列入计划解决", "已作解释说明留作参考"]
    # 10/200 = 5% → 5.0, printed 5.5%; 75 + 20 + 5.5 = 100.5%
    assert ("share_mismatch", "results: C") in kinds(c)


SHARE_FIRST = "柳岸市共收到代表建议50件。从办理结果看,占比60%、共30件的建议所提问题已经解决;占比40%、共21件列入计划逐步解决。"


def test_a_share_printed_before_its_count():
    c = extract(SHARE_FIRST)
    assert c.results.base == 50 and cats(c.results) == [("class 1", 30, "60%"), ("class 2", 21, "40%")]
    # 30 + 21 = 51, not 50; 21/50 = 42%, printed 40%
    assert kinds(c) == [("share_mismatch", "results: class 2"), ("sum_mismatch", "results")]


NESTED = "北岭区政府系统承办政协提案60件,已全部办复。在已办复的60件提案中,所提问题已解决的40件,列入计划解决的20件;在已解决的40件中,当年解决的30件,跨年度解决的11件。"


def test_nested_breakdowns_of_which():
    c = extract(NESTED)
    assert c.results.base == 60 and [x.count for x in c.results.cats] == [40, 20]
    (inner,) = c.breakdowns
    assert (inner.kind, inner.base, [x.count for x in inner.cats]) == ("results", 40, [30, 11])
    # 30 + 11 = 41, not the 40 solved
    assert kinds(c) == [("sum_mismatch", "breakdowns.0")]


TERM = "五年来,东湖市政协共收到提案1500件,立案1400件。2023年,共收到提案320件,立案300件,立案率93.75%。"


def test_a_term_total_beside_a_year():
    c = extract(TERM)
    values = {n: int(f.value) for n, f in c.figures.items() if f.meaning in ("submitted", "filed")}
    assert sorted(values.values()) == [300, 320, 1400, 1500]
    # the year's rate is linked to the year's figures: 300/320 = 93.75%, not 1400/1500 = 93.33%
    assert sorted(c.figures) == ["filed_2023", "filed_term", "filing_rate_2023", "submitted_2023", "submitted_term"]
    link = c.figures["filing_rate_2023"].derived
    assert (int(c.figures[link.of[0]].value), int(c.figures[link.over].value)) == (300, 320)
    assert audit(c) == []


BODIES = "2024年,南渡县政府共承办县人大代表建议85件、县政协提案120件。已解决的A类建议和提案共150件,占承办总数的73.2%。"


def test_npc_suggestions_beside_cppcc_proposals():
    c = extract(BODIES)
    assert {n: int(f.value) for n, f in c.figures.items()} == {"to_government_npc": 85, "to_government_cppcc": 120}
    # 承办总数 = 85 + 120 = 205; 150/205 = 73.17% → 73.2
    assert c.results.base == 205 and c.results.partial
    assert audit(c) == []


# ---- issue 11, item 3: inputs as they come ---------------------------------------------------------------

# ---- what a count is: the words after it, who reports, the session, the list it belongs to --------------


def meanings(c) -> list[tuple[str, int]]:
    return [(f.meaning, int(f.value)) for f in c.figures.values()]


def test_words_after_the_count_name_it():
    c = extract("松岗县发改局共收到代表建议和政协提案20件,主办件13件,协办件7件。13件主办件已全部办结。")
    assert meanings(c) == [("submitted", 20), ("lead_items", 13), ("co_items", 7)]  # 13件主办件 is the 13 lead items again


UNIT_REPORT = ("2023年我局承办的建议、提案共15件,州人大代表建议2件(主办件2件、会办件0件),州政协提案3件(主办件2件、会办件1件),"
               "县人大代表建议4件(主办件3件、会办件1件),县政协提案6件(主办件3件、会办件3件)。")


def test_a_handling_units_own_report_counts_what_was_assigned_to_it():
    c = extract(UNIT_REPORT)
    # the unit's 15 items and their parts by body (2 + 3 + 4 + 6 = 15) are what was assigned to it, not what deputies submitted
    assert sorted(meanings(c)) == [("assigned", 2), ("assigned", 3), ("assigned", 4), ("assigned", 6), ("assigned", 15)]
    assert [u.text for u in c.unplaced][:2] == ["(主办件2件", "会办件0件"]


def test_handled_by_a_unit_or_by_the_government():
    unit = extract("共办理政协提案58件,办复率100%。对住建局主办的38件提案,委员反馈征求意见表28份。")
    assert ("assigned", 58) in meanings(unit)  # 住建局主办: the housing bureau reports on itself
    city = extract("市政府共办理政协提案58件,办复率100%。")
    assert ("to_government", 58) in meanings(city)
    titled = extract("共承办人大代表建议和政协委员提案31件,其中承办27件,协办4件。", title="局机关人大建议和政协提案办理工作总结")
    assert ("assigned", 31) in meanings(titled)  # the title says who reports


def test_lead_items_by_body_after_a_lead_and_co_split():
    c = extract("共接收人大代表建议、政协委员提案31件,其中承办27件,协办4件。承办人大代表建议11件,已经解决或基本解决11件;"
                "承办政协委员提案16件,已经解决或基本解决14件,正在解决2件。")
    assert [(f.meaning, int(f.value)) for f in c.figures.values() if f.meaning == "lead_items"] == [("lead_items", 27), ("lead_items", 11),
                                                                                                      ("lead_items", 16)]


def test_counts_of_the_two_bodies_in_a_list():
    c = extract("2024年县政府承办人大代表建议117件,重点督办建议7件,承办政协提案139件。新一届会议收到代表建议88件,委员提案107件。")
    assert ("submitted", 107) in meanings(c) and not c.breakdowns  # 委员提案 beside 代表建议: the CPPCC's count, not a proposer type


def test_an_earlier_sessions_class_b_items_followed_up():
    c = extract("共收到区政协四届二次会议提案90件。区政协四届一次会议政协提案23件B类件,已经解决或基本解决16件,占69.6%。")
    assert ("followed_up", 23) in meanings(c)
    assert c.results.base == 23 and cats(c.results) == [("class 1", 16, "69.6%")]  # 16/23 = 69.57% → 69.6
    assert audit(c) == []


def test_committees_counted_are_kept_with_their_noun():
    c = extract("常委会听取了9个专门委员会的审议结果报告。确定12项重点督办建议,由6个专门委员会负责督办。")
    assert [(f.meaning, int(f.value), f.text) for f in c.figures.values()] == [
        ("committee_count", 9, "常委会听取了9个专门委员会"), ("key_proposals", 12, "确定12项重点督办建议"), ("committee_count", 6, "由6个专门委员会")]
    assert audit(c) == []  # 9 and 6 committees do different things: not two values of one figure


def test_words_after_a_share_name_the_next_share():
    c = extract("五年来代表共提出建议2000件,有800件…占建议总数的40%,得到解决或计划逐步解决的占建议总数的78.9%。")
    assert [cat.share_text for cat in c.results.cats] == ["78.9%"]  # 40% is not a result class
    assert [u.value for u in c.unplaced] == [800, 40]


TRADITIONAL = "澤湖縣政協(xié)共收到提案１２０件,立案一百件,立案率為83.3%%。委員滿(mǎn)意、基本滿意率達到百分之九十八以上。"


def test_traditional_glosses_full_width_chinese_numerals_and_percent_quirks():
    c = extract(TRADITIONAL)
    assert {n: str(f.value) for n, f in c.figures.items()} == {"submitted": "120", "filed": "100", "filing_rate": "83.3", "satisfaction_rate": "98"}
    assert c.figures["submitted"].text == "澤湖縣政協(xié)共收到提案１２０件"  # the input's own characters
    assert c.figures["satisfaction_rate"].text.endswith("百分之九十八以上")
    # 100/120 = 83.33% → 83.3; "以上" is a bound, no count to check it against
    assert audit(c) == []
    assert_substrings(c, TRADITIONAL)


def test_thresholds_and_shares_in_words_are_kept_unplaced():
    text = "松谷县共收到提案40件,其中委员3人以上联名提案12件。经济方面的提案占近一半,达19件。"
    c = extract(text)
    notes = {u.text: u.note for u in c.unplaced}
    assert any("3人" in t and "threshold" in n for t, n in notes.items())
    assert any("近一半" in t and "in words" in n for t, n in notes.items())
    assert_substrings(c, text)


def test_approximate_count_is_a_bound_not_a_figure():
    c = extract("白沙市政协委员一年提交的提案超过了五千件。共收到提案5158件。")
    assert [int(f.value) for f in c.figures.values()] == [5158]
    assert [(int(u.value), u.note.split(" (")[0]) for u in c.unplaced] == [(5000, "an approximate count")]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "big5"])
def test_text_files_in_utf8_gb18030_and_big5(tmp_path, encoding):
    text = "龍潭縣共收到提案40件,經審查立案37件,立案率95%。"
    path = tmp_path / "report.txt"
    path.write_bytes(text.encode(encoding))
    read = read_report(path)
    assert read.text == text
    c = extract(read.text)
    # 37/40 = 92.5%, printed 95%
    assert kinds(c) == [("derived_mismatch", "figures.filing_rate")]


def test_html_page_text_without_navigation(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>石门县提案办理情况</title><script>var x='共收到提案999件';</script></head><body>"
        "<nav>首页 | 共收到提案888件</nav><div class='menu'>栏目</div><article><p>石门县共收到提案40件,</p><p>经审查立案37件,立案率92.5%。</p></article>"
        "<footer>版权所有 2024年</footer></body></html>", encoding="utf-8")
    read = read_report(page)
    assert read.title == "石门县提案办理情况" and "888" not in read.text and "999" not in read.text
    assert audit(extract(read.text)) == []


def test_docx_paragraphs_and_tables(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("金沙县共收到提案40件,经审查立案36件,立案率95%。")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "类别"
    table.rows[0].cells[1].text = "件数"
    path = tmp_path / "report.docx"
    document.save(path)
    c = extract(read_report(path).text)
    # 36/40 = 90%, printed 95%
    assert kinds(c) == [("derived_mismatch", "figures.filing_rate")]


def test_pdf_without_text_layer_is_a_clear_error(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(ReportReadError, match="no text layer"):
        read_report(path)


PDF_TITLE = "关于白沙县政协十届二次会议提案办理情况的报告"
PDF_TEXT = ("白沙县政协十届二次会议期间共收到提案120件，经审查立案100件，立案率为85%。交由县政府系统承办的提案80件，分别交由26个单位"
            "办理，截至9月底已全部办复，办复率100%。其中已解决或基本解决的A类提案60件，占75%；列入计划逐步解决的B类提案20件，占25%。")


def write_chinese_pdf(path: Path, paragraphs: list[str], title: str) -> None:
    """A real PDF with a Chinese text layer, as a word processor makes one: fpdf2 (a maintained PDF
    writer) sets the paragraphs in the bundled Noto Sans CJK SC face, cut by fontTools to the
    characters used, wrapping lines at the page's edge; the title goes in the document's metadata."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fpdf import FPDF

    from proposal_stats.reporting.fonts import cjk_font_path, face_index

    font = TTFont(str(cjk_font_path()), fontNumber=face_index("simplified"))
    subsetter = subset.Subsetter(subset.Options(name_IDs=["*"]))
    subsetter.populate(text="".join(paragraphs) + title)
    subsetter.subset(font)
    face = path.with_suffix(".otf")
    font.save(str(face))
    pdf = FPDF()
    pdf.set_title(title)
    pdf.add_page()
    pdf.add_font("cjk", fname=str(face))
    pdf.set_font("cjk", size=12)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 8, paragraph)
        pdf.ln(4)
    pdf.output(str(path))


def test_pdf_with_a_chinese_text_layer(tmp_path):
    path = tmp_path / "baisha.pdf"
    write_chinese_pdf(path, [PDF_TITLE, PDF_TEXT], PDF_TITLE)
    read = read_report(path)
    assert read.title == PDF_TITLE and read.how == "pdf text layer (pypdf)"
    # The page wraps the paragraph in three lines (the second after 县政府 and before 系统承办, a third
    # after 已解决或): the reader joins them again; the title, a short line, stays apart.
    assert read.text == f"{PDF_TITLE}\n{PDF_TEXT}"
    c = extract(read.text)
    assert {n: int(f.value) for n, f in c.figures.items()} == {"submitted": 120, "filed": 100, "filing_rate": 85, "to_government": 80,
                                                                 "handling_units": 26, "reply_rate": 100}
    assert c.results.base == 80 and cats(c.results) == [("A", 60, "75%"), ("B", 20, "25%")]
    # 立案率: 100/120 = 83.33%, printed 85%
    assert kinds(c) == [("derived_mismatch", "figures.filing_rate")]
    assert_substrings(c, read.text)
    r = subprocess.run([CLI, "audit", str(path)], capture_output=True, text=True)
    assert r.returncode == 1 and "100/120 = 83.3333%" in r.stdout and "立案率为85%" in r.stdout


def test_pdf_lines_joined_only_where_the_page_wrapped_them():
    from proposal_stats.published.textread import unwrap

    page = "一、基本情况\n今年共收到提案120件，经审查立案1\n00件。其余20件并案或不予立案。\nThe committee received\nproposals."
    # the third line fills the width and ends mid-sentence: joined; the heading and sentence ends are kept
    assert unwrap(page) == "一、基本情况\n今年共收到提案120件，经审查立案100件。其余20件并案或不予立案。\nThe committee received\nproposals."


# ---- the seed report and the commands ------------------------------------------------------------------


def test_the_reference_report_text_audits_as_its_hand_made_block():
    from proposal_stats.params import load_params

    text = (ROOT / "data" / "reference" / "chuxiong-city-2023-proposal-handling-report.txt").read_text(encoding="utf-8")
    c = extract(text)
    assert {f.meaning: int(f.value) for f in c.figures.values()} == {"submitted": 269, "to_government": 248, "handling_units": 31, "replied": 248, "f2f_rate": 100}
    assert c.results.base == 248 and cats(c.results) == [("A", 177, "71.37%"), ("B", 61, "24.6%"), ("C", 10, "4.03%")]
    hand_made = load_params(ROOT / "params" / "chuxiong-city-2022.yaml").published
    assert [(f.kind, f.severity, f.where) for f in audit(c)] == [(f.kind, f.severity, f.where) for f in audit(hand_made)]
    assert_substrings(c, text)


def test_extract_and_audit_commands(tmp_path):
    report = tmp_path / "hollow.txt"
    report.write_text("空谷县共收到提案40件,经审查立案37件,立案率95%。", encoding="gb18030")
    r = subprocess.run([CLI, "extract", str(report), "-o", str(tmp_path / "claims")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    (c,) = load_claims(tmp_path / "claims" / "hollow.yaml")
    assert c.figures["filing_rate"].derived.of == ("filed",)
    r = subprocess.run([CLI, "audit", str(report)], capture_output=True, text=True)
    assert r.returncode == 1
    assert "derived_mismatch" in r.stdout and "「空谷县共收到提案40件,经审查立案37件,立案率95%。」" in r.stdout
    r = subprocess.run([CLI, "audit", str(report), "--json"], capture_output=True, text=True)
    (data,) = json.loads(r.stdout)
    assert data["findings"][0]["sentence"] == "空谷县共收到提案40件,经审查立案37件,立案率95%。"
    r = subprocess.run([CLI, "extract", str(tmp_path / "missing.txt")], capture_output=True, text=True)
    assert r.returncode == 2 and "file not found" in r.stderr and "Traceback" not in r.stderr


def test_claims_data_round_trips_through_the_claims_format(tmp_path):
    import yaml

    c = extract(SEVERAL_BASES, report_id="hewan")
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(claims_data(c), allow_unicode=True), encoding="utf-8")
    (back,) = load_claims(path)
    assert back == c


def test_english_and_french_copies():
    # Fictional wire copies: "registered 4,791" of "5,621" received; a French decimal comma and thousands dot
    c = extract("Westbridge advisors submitted 5,621 proposals，registered 4,791，achieved a handling rate of 99.9 percent。")
    assert {f.meaning: f.value for f in c.figures.values()} == {"submitted": 5621, "filed": 4791, "reply_rate": Decimal("99.9")}
    fr = extract("Un total de 5.210 propositions，4.156 ont été officialisées，34,72% ont trait aux affaires économiques。")
    assert {f.meaning: f.value for f in fr.figures.values()} == {"submitted": 5210, "filed": 4156}
    assert [x.share_text for x in fr.topics.cats] == ["34,72%"]
    # 34.72% of 4156: 1443/4156 = 34.7209% → 34.72
    assert audit(fr) == []
