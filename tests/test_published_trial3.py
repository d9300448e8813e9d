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
