"""Faults a third new-user trial of extraction and audit found (report texts written for these tests,
fictional places: 青河县, 松原区, 白沙镇, 山南州, 河阳市, 枫林市), each fixed as a kind; the right value,
with its arithmetic, in each test.
"""

from __future__ import annotations

from decimal import Decimal

from proposal_stats.published.audit import audit
from proposal_stats.published.extract import extract


def findings(claims) -> list[tuple[str, str]]:
    return sorted((f.kind, f.where) for f in audit(claims))


RESULTS_248 = ("共收到提案265件，经审查立案248件。A类(已解决)177件，占71.4%；B类(正在解决)52件，占21.0%；"
               "C类(留作参考)19件，占7.7%。")


# ---- combined shares are read from the text, whatever joins the codes ------------------------------------

def test_combined_share_wordings_become_a_figure_checked_against_the_summed_classes():
    # (177 + 52) / 248 = 92.3387% → 92.3; 71.4 + 21.0 = 92.4 is the sum of the rounded shares
    for wording in ("A、B类占92.4%。", "A、B两类合计占92.4%。", "A类和B类共占92.4%。"):
        c = extract(RESULTS_248 + wording)
        assert [(x.code, x.count) for x in c.results.cats] == [("A", 177), ("B", 52), ("C", 19)]  # no fourth class
        assert c.figures["a_b_share"].value == Decimal("92.4")
        assert c.figures["a_b_share"].derived.of == ("A", "B") and c.figures["a_b_share"].derived.over == "base"
        assert not c.unplaced
        found = [f for f in audit(c) if f.kind == "sum_of_rounded_shares"]
        assert len(found) == 1 and "229/248" in str(found[0].message) and "92.3" in str(found[0].message)


def test_a_right_combined_share_is_no_finding():
    # (177 + 52) / 248 = 92.34% → 92.3
    c = extract(RESULTS_248 + "A、B类合计占92.3%。")
    assert c.figures["a_b_share"].value == Decimal("92.3") and findings(c) == []


# ---- a class of a class ("在A类提案中…占A类的…") ---------------------------------------------------

def test_a_class_of_a_class_is_nested_in_it_with_its_count_as_base():
    # 96 / 177 = 54.237% → 54.24: right over class A's 177, impossible over the 248
    c = extract(RESULTS_248 + "在A类提案中，属经济发展方面的96件，占A类的54.24%，其中涉及乡村振兴的41件。")
    nested = [b for b in c.breakdowns if b.base == 177]
    assert len(nested) == 1 and [(x.code, x.label, x.count, x.share_text) for x in nested[0].cats] == [("", "属经济发展方面", 96, "54.24%")]
    assert [x.code for x in c.results.cats] == ["A", "B", "C"]
    assert findings(c) == []


def test_a_class_of_a_class_named_only_by_its_share():
    # 25 / 52 = 48.08%; printed 48.1% is right over B's 52 (and 25/248 = 10.08% would not print 48.1)
    c = extract(RESULTS_248 + "其中列入明年计划解决的25件，占B类的48.1%。")
    assert [b.base for b in c.breakdowns] == [52]
    assert findings(c) == []
    wrong = extract(RESULTS_248 + "其中列入明年计划解决的25件，占B类的50.1%。")  # no k/52 prints 50.1 (26/52 = 50.0)
    assert [kind for kind, where in findings(wrong) if where.startswith("breakdowns.0")] == ["impossible_percentage"]


# ---- the reply rate's base: the first stated total the replied fit in -----------------------------------

def test_replied_beyond_the_government_subset_are_the_filed_proposals_replied():
    # 220 of the 248 filed went to the government; 248 replied, 100%: 248/248, not 248/220 = 112.7%
    text = ("共收到委员提案268件，经审查立案248件。其中，交由县政府系统承办的220件，占立案总数的88.71%。"
            "截至10月底，248件提案已全部办复，办复率100%。")
    c = extract(text)
    assert c.figures["reply_rate"].derived.over == "filed"
    assert findings(c) == []
    wrong = extract(text.replace("248件提案已全部办复", "250件提案已全部办复"))  # more replied than filed
    assert ("parts_mismatch", "figures.replied") in findings(wrong)


def test_replied_within_the_government_subset_stay_over_it():
    # 215 replied of the 220 to the government: 97.73% → 97.7 (over the 248 filed it would be 86.7%)
    c = extract("经审查立案248件。其中交由县政府系统承办的220件。已办复215件，办复率97.7%。")
    assert c.figures["reply_rate"].derived.over == "to_government"
    assert findings(c) == []


# ---- feedback forms: sent are not returned; 测评表, 意见回执 are forms -----------------------------------

def test_forms_sent_are_not_forms_returned_and_the_wordings_of_forms():
    c = extract("共收到代表建议12件。共发出征询意见表8份，收回征询意见表8份，满意率95%。")
    assert c.figures["forms_returned"].text == "收回征询意见表8份"
    assert [(u.value, u.text) for u in c.unplaced] == [(8, "共发出征询意见表8份")]
    # 95% of 8 forms: 7/8 = 87.5%, 8/8 = 100%
    assert ("impossible_percentage", "figures.satisfaction_rate") in findings(c)
    for form in ("测评表", "意见回执"):
        # 59/63 = 93.65%, 58/63 = 92.06%: no count of 63 prints 93.5%
        c = extract(f"共收到提案120件。共收回{form} 63 份，满意率为93.5%。")
        assert c.figures["forms_returned"].value == 63
        assert ("impossible_percentage", "figures.satisfaction_rate") in findings(c)


# ---- NPC and CPPCC in one text, counts in Chinese numerals -----------------------------------------------

def test_a_count_in_chinese_numerals_beside_a_share_is_a_stated_count():
    # 312 printed 三百一十二件 beside 23.01%: still a count, so the CPPCC breakdown's base 312 is a stated figure
    c = extract("2023年，市政府系统共承办市人大代表建议二百六十九件、市政协提案三百一十二件，分别占五年总数的26.37%和23.01%。"
                "其中，人大代表建议A类192件，B类61件，C类16件；政协提案A类221件，B类70件，C类21件。")
    assert [(b.base, [(x.code, x.label, x.count) for x in b.cats]) for _, b in c.all_breakdowns()] == [
        (269, [("A", "", 192), ("B", "", 61), ("C", "", 16)]),     # 192 + 61 + 16 = 269; the body is no label
        (312, [("A", "", 221), ("B", "", 70), ("C", "", 21)])]     # 221 + 70 + 21 = 312
    assert findings(c) == []


# ---- handlers, proposers and parts ---------------------------------------------------------------------

def test_handlers_printed_with_de_are_a_breakdown_of_the_filed():
    # 220 + 28 = 248 filed; 220/248 = 88.71%, 28/248 = 11.29%
    c = extract("经审查立案248件。其中，交由县政府系统承办的220件，占立案总数的88.71%；交由县委部门及群团组织承办的28件，"
                "占立案总数的11.29%。")
    [b] = c.breakdowns
    assert b.kind == "handling_systems" and b.base == 248
    assert [(x.label, x.count, x.share_text) for x in b.cats] == [("县政府系统", 220, "88.71%"), ("县委部门及群团组织", 28, "11.29%")]
    assert c.figures["to_government"].value == 220 and not c.unplaced
    wrong = extract("经审查立案248件。其中，交由县政府系统承办的220件，占立案总数的88.71%；交由县委部门及群团组织承办的28件，"
                    "占立案总数的19.29%。")  # no k/248 prints 19.29 (47/248 = 18.95, 48/248 = 19.35); 88.71 + 19.29 = 108
    assert findings(wrong) == [("impossible_percentage", "handling_systems: 县委部门及群团组织"), ("shares_total", "handling_systems")]


def test_one_handler_alone_is_kept_not_dropped_and_a_share_stays_with_its_unplaced_count():
    # 5/12 = 41.67%; 7/12 = 58.33%: 镇本级 names no handler, so 7 is unplaced with its share
    c = extract("共收到代表建议12件。其中，会同县有关部门办理的5件，占41.67%，镇本级办理的7件，占58.33%。")
    [b] = c.breakdowns
    assert (b.kind, b.base, [(x.count, x.share_text) for x in b.cats]) == ("handling_systems", 12, [(5, "41.67%")])
    assert [(u.value, u.text, u.note) for u in c.unplaced] == [(7, "镇本级办理的7件", "a count with no meaning found"),
                                                               (Decimal("58.33"), "占58.33%", "the share of the unplaced count before it")]


def test_a_committee_that_handles_is_a_handler_not_a_proposer():
    # 185 + 261 = 446 filed, handled by the government and by the committees; 96 party proposals are another breakdown
    c = extract("经审查立案446件。其中政府系统承办185件，州政协各专门委员会及其他单位承办261件。"
                "其中党派团体提案96件，占立案总数的21.52%。")  # 96/446 = 21.525% → 21.52 (half-up of 21.5246)
    kinds_ = {b.kind: [(x.label, x.count) for x in b.cats] for b in c.breakdowns}
    assert kinds_["handling_systems"] == [("政府系统", 185), ("州政协各专门委员会及其他单位", 261)]
    assert kinds_["proposer_types"] == [("党派团体", 96)]
    assert findings(c) == []


def test_a_count_with_a_share_of_its_own_total_is_a_part_of_it():
    # 78 of the 185 to the government (78/185 = 42.16%): not a second to_government total
    c = extract("其中政府系统承办185件。涉及政府系统的78件，占政府系统承办总数的42.16%。")
    assert {n: f.value for n, f in c.figures.items()} == {"to_government": 185}
    assert [(u.value, u.text) for u in c.unplaced] == [(78, "涉及政府系统的78件，占政府系统承办总数的42.16%")]
    assert findings(c) == []  # no conflicting_figures


def test_a_proposer_type_before_gong_is_no_submitted_total_and_its_share_is_of_the_submitted():
    # 329 collective of 1,356 submitted = 24.26%: "约30%" states 29–31, an error
    c = extract("2022年，共收到提案1 356件，立案1 296件。实际办复1 280件。集体提案共329件，约占提案总数的30%。")
    assert [f.value for f in c.figures.values() if f.meaning == "submitted"] == [1356]
    [b] = c.breakdowns
    assert (b.kind, b.base, [(x.label, x.count) for x in b.cats]) == ("proposer_types", 1356, [("集体", 329)])
    found = [f for f in audit(c) if f.kind == "approximate_wording"]
    assert len(found) == 1 and "24.26%" in str(found[0].message)


def test_replied_said_of_the_government_handled_items():
    c = extract("共提出提案269件,其中交政府系统办理248件。交由政府系统办理的248件提案均已办复完毕。")
    assert {f.meaning: int(f.value) for f in c.figures.values()} == {"submitted": 269, "to_government": 248, "replied": 248}


# ---- a share whose base is stated inside it ("占立案总数210件的88.10%") ---------------------------------

def test_a_base_inside_a_share_is_stated_and_the_share_is_the_count_before_it():
    # 185/210 = 88.095% → 88.10; 100/105 = 95.238% → 95.24
    text = ("市政府系统共承办市政协提案185件，占立案总数210件的88.10%。共收到代表建议105件，已办复100件，"
            "占代表建议总数105件的95.24%。")
    c = extract(text)
    assert c.figures["to_government"].text == "市政府系统共承办市政协提案185件，占立案总数210件的88.10%"
    assert c.figures["filed"].value == 210
    assert c.figures["replied"].text == "已办复100件，占代表建议总数105件的95.24%"
    assert not c.unplaced and findings(c) == []
    # 89.10% of 210: 187/210 = 89.05, 188/210 = 89.52; 185/210 is 88.10
    wrong = extract(text.replace("88.10%", "89.10%").replace("95.24%", "95.34%"))
    assert [kind for kind, _ in findings(wrong)] == ["impossible_percentage", "impossible_percentage"]


# ---- shares printed 分别 (respectively) after a list of counts ---------------------------------------------

def test_shares_printed_respectively_are_not_paired_with_the_last_count():
    # 269/1020 = 26.37% and 312/1356 = 23.01%: the first share is 269's, not 312's (the last count before it)
    c = extract("五年来，市政府系统共承办市人大代表建议一千零二十件、市政协提案1356件。2023年，市政府系统共承办市人大代表建议"
                "二百六十九件、市政协提案三百一十二件，分别占五年总数的26.37%和23.01%。")
    assert all("%" not in f.text for f in c.figures.values())
    assert [(u.value, u.note) for u in c.unplaced] == [(Decimal("26.37"), "a share of a list printed 分别 (respectively), one per count before it"),
                                                       (Decimal("23.01"), "a share of a list printed 分别 (respectively), one per count before it")]
    assert findings(c) == []


# ---- a file's title property that is a writer's placeholder --------------------------------------------

def test_a_placeholder_title_property_gives_way_to_the_heading(tmp_path):
    from proposal_stats.published.textread import read_report

    from .test_extract import write_chinese_pdf

    heading = "山南州政协关于提案办理情况的报告"
    body = "十二届四次会议期间，共收到提案452件，经审查立案446件，立案率98.67%。其中政府系统承办185件，州政协各专门委员会及其他单位承办261件。"
    for placeholder in ("(anonymous)", "untitled", "Microsoft Word - 文档1.docx"):
        path = tmp_path / "shannan.pdf"
        write_chinese_pdf(path, [heading, body], placeholder)
        assert read_report(path).title == heading
    write_chinese_pdf(path, [heading, body], "Microsoft Word - 山南州提案办理报告.docx")
    assert read_report(path).title == "山南州提案办理报告"


def test_a_code_in_brackets_after_the_label_that_follows_a_share_first_count():
    # 120 + 60 + 20 = 200; 60%, 30%, 10% exact
    c = extract("共立案200件。其中占60%的120件已解决（A类），占30%的60件正在解决（B类），占10%的20件留作参考（C类）。")
    assert [(x.code, x.label, x.count, x.share_text) for x in c.results.cats] == [
        ("A", "已解决", 120, "60%"), ("B", "正在解决", 60, "30%"), ("C", "留作参考", 20, "10%")]
    assert findings(c) == []
