"""Figures that must agree with each other: one meaning printed twice, and the outcomes of filing.

Fictional places, real kinds of fault. Figure names are meaningless (``x1``, ``x2``): what a figure
means comes from its printed words through the figure vocabulary, and so does its scope.
"""

from __future__ import annotations

from proposal_stats.published.audit import KINDS, audit
from proposal_stats.published.extract import extract

from .test_audit_round2 import claims, figs, found


# ---- one meaning, two values -------------------------------------------------------------------------


def test_one_meaning_printed_with_two_values_is_an_error():
    # Stonegate county: 立案 printed as 16 and as 11, nothing in the words tells them apart
    c = claims(figures=figs((24, "共收到委员提案24件"), (16, "经审查立案16件"), (11, "立案11件(5件未立案提案以书面形式答复委员)")))
    (f,) = audit(c)
    assert (f.kind, f.severity, f.where) == ("conflicting_figures", "error", "figures.x3")
    assert "filed is printed as 16 (“经审查立案16件”), 11 (“立案11件(5件未立案提案以书面形式答复委员)”)" in f.message
    assert KINDS["conflicting_figures"][0] == "error"


def test_the_count_in_brackets_is_another_figure():
    # "立案11件(5件未立案…)": the 11 is filed (its own words), the bracket's 5 is not filed
    c = claims(figures=figs((16, "共收到委员提案16件"), (11, "立案11件(5件未立案提案以书面形式答复委员)")))
    from proposal_stats.published.vocabulary import meaning_of

    assert meaning_of("x2", c.figures["x2"]) == "filed"
    assert audit(c) == []


def test_values_of_different_scopes_do_not_conflict():
    c = claims(figures=figs(
        (52, "2022年立案52件"), (48, "2023年立案48件"),                          # two years
        (1210, "五年来共收到提案1210件"), (260, "共收到提案260件"),                  # a term beside a year
        (118, "办复人大代表建议118件"), (93, "办复政协委员提案93件"),                 # NPC suggestions beside CPPCC proposals
        (92.5, "初次办理满意率92.5%"), (100, "满意率100%"),                        # the first round beside the final
        (8, "重点提案8件"), (99, "办复率99%"), (100, "重点提案办复率100%"),          # key proposals: a subset
        (30, "比上届增加30件"), (12, "其中集体提案比上届增加12件"),                  # increases: several by nature
    ))
    assert [f for f in audit(c) if f.kind == "conflicting_figures"] == []


def test_session_and_between_sessions_are_different_meanings():
    c = claims(figures=figs((80, "大会期间收到提案80件"), (12, "闭会期间收到提案12件"), (92, "共收到提案92件")))
    assert found(c) == []


def test_one_rate_at_two_precisions_and_a_bound_are_no_conflict():
    c = claims(figures=figs((95.58, "立案率95.58%"), (95.6, "立案率为95.6%"), (90, "收到提案约90件"), (87, "收到提案87件")))
    assert [f for f in audit(c) if f.kind == "conflicting_figures"] == []
    # 95.58 does not print as 95.7: two values of one rate
    c = claims(figures=figs((95.58, "立案率95.58%"), (95.7, "立案率为95.7%")))
    assert found(c) == [("conflicting_figures", "error", "figures.x2")]


def test_a_total_and_its_parts_are_one_count():
    # Laurel city: 14 motions, 1 sent to a committee, "the other 13" turned into suggestions: 1 + 13 = 14
    c = claims(figures=figs((14, "代表共提出议案14件"), (1, "1件议案交由教科文卫委员会审议"), (13, "其余13件议案转为建议")))
    assert [f for f in audit(c) if f.kind == "conflicting_figures"] == []
    # the rest printed in the same words: 14 = 1 + 13
    c = claims(figures=figs((14, "代表共提出议案14件"), (1, "1件议案交由教科文卫委员会审议"), (13, "其余13件议案暂缓审议")))
    assert [f for f in audit(c) if f.kind == "conflicting_figures"] == []


def test_a_count_that_happens_to_equal_the_difference_does_not_make_parts():
    # 52 - 48 = 4, and 4 are not filed: not "the rest" of anything, so 52 and 48 still contradict each other
    c = claims(figures=figs((60, "共收到提案60件"), (52, "经审查立案52件"), (4, "不予立案4件"), (48, "会后统计,共立案48件")))
    assert [(f.kind, f.where) for f in audit(c)] == [("conflicting_figures", "figures.x4")]


def test_a_text_that_prints_one_meaning_twice():
    text = "石门县政协十届二次会议共收到提案60件,经审查立案52件。会后统计,共立案48件,已全部办复。"
    c = extract(text)
    assert [(f.kind, f.severity) for f in audit(c)] == [("conflicting_figures", "error")]
    (f,) = audit(c)
    assert "52" in f.message and "48" in f.message


def test_a_term_total_before_the_session_figures_is_its_own_scope():
    # "会议期间收到的67件建议" is what the session received, a part of what was submitted
    text = "自2021年以来,市人大代表共提出建议245件。本次会议期间,加上会议期间收到的67件建议,共80件,全部交由市政府各部门承办。"
    c = extract(text)
    assert {f.meaning: int(f.value) for f in c.figures.values()}.get("submitted_in_session") == 67
    assert [f for f in audit(c) if f.kind == "conflicting_figures"] == []


# ---- the parts of a total (vocabulary.PARTITIONS) ----------------------------------------------------


def test_filing_outcomes_that_exceed_what_was_received():
    # Redfield district: 52 filed + 5 merged + 4 not filed = 61 outcomes for 60 proposals received
    c = claims(figures=figs((60, "共收到提案60件"), (52, "经审查立案52件"), (5, "并案5件"), (4, "不予立案4件")))
    (f,) = audit(c)
    assert (f.kind, f.severity, f.where) == ("parts_mismatch", "error", "figures.x4")
    assert "filed 52 + merged 5 + not filed 4 = 61, more than submitted 60 (“共收到提案60件”)" in f.message


def test_filing_outcomes_all_printed_must_add_up():
    # 50 + 4 + 3 + 2 = 59 of 60: every outcome is printed, one proposal is missing
    c = claims(figures=figs((60, "共收到提案60件"), (50, "立案50件"), (4, "并案4件"), (3, "转为意见建议3件"), (2, "不予立案2件")))
    assert found(c) == [("parts_mismatch", "error", "figures.x5")]
    # 50 + 5 + 3 + 2 = 60: a report whose outcomes add up has no finding
    c = claims(figures=figs((60, "共收到提案60件"), (50, "立案50件"), (5, "并案5件"), (3, "转为意见建议3件"), (2, "不予立案2件")))
    assert found(c) == []


def test_some_outcomes_printed_may_fall_short():
    # 52 + 4 = 56 of 60: the other 4 may be merged or converted, which the report does not print
    c = claims(figures=figs((60, "共收到提案60件"), (52, "立案52件"), (4, "不予立案4件")))
    assert found(c) == []


def test_session_and_between_session_proposals_are_the_whole():
    # 80 at the session + 10 between sessions = 90, printed total 92
    c = claims(figures=figs((92, "共收到提案92件"), (80, "大会期间收到提案80件"), (10, "闭会期间收到提案10件")))
    assert found(c) == [("parts_mismatch", "error", "figures.x3")]


def test_evaluations_of_the_forms_returned():
    # 30 satisfied + 8 basically satisfied + 1 dissatisfied = 39 of 40 forms
    c = claims(figures=figs((40, "收回征询意见表40份"), (30, "满意30份"), (8, "基本满意8份"), (1, "不满意1份")))
    assert found(c) == [("parts_mismatch", "error", "figures.x4")]


def test_more_replied_than_assigned():
    c = claims(figures=figs((80, "交由县政府系统办理80件"), (82, "已办复82件")))
    (f,) = audit(c)
    assert f.kind == "parts_mismatch" and "replied 82 = 82, more than assigned to the government 80" in f.message


def test_parts_and_totals_of_different_scopes_are_not_added():
    c = claims(figures=figs((60, "2023年共收到提案60件"), (52, "2023年立案52件"), (70, "2022年共收到提案70件"), (66, "2022年立案66件"),
                            (10, "2022年不予立案10件")))
    assert [f for f in audit(c) if f.kind == "parts_mismatch"] == [f for f in audit(c) if f.where == "figures.x5"]
    (f,) = [f for f in audit(c) if f.kind == "parts_mismatch"]
    assert "filed 66 + not filed 10 = 76, more than submitted 70" in f.message  # 2022 only; 2023's 52 is not added


def test_a_text_whose_filing_outcomes_exceed_the_received():
    text = "西岭区政协六届三次会议共收到提案120件。经审查,立案110件,并案6件,不予立案5件。"
    c = extract(text)
    assert [(f.kind, f.severity) for f in audit(c)] == [("parts_mismatch", "error")]  # 110 + 6 + 5 = 121 > 120


def test_a_texts_two_years_keep_their_parts_apart():
    # 2023: 100 filed + 15 merged + 10 not filed = 125 of 120; 2022's 100 and 90 are another year
    c = extract("2022年共收到提案100件，立案90件。2023年共收到提案120件，立案100件，并案15件，不予立案10件。")
    assert sorted(c.figures) == ["filed_2022", "filed_2023", "merged_2023", "not_filed_2023", "submitted_2022", "submitted_2023"]
    assert [(f.kind, f.where) for f in audit(c)] == [("parts_mismatch", "figures.not_filed_2023")]


def test_evaluations_printed_in_a_text_are_of_the_forms_returned():
    # 80 + 8 + 1 = 89 answers on 90 forms returned; and 88/89 = 98.88% is not 88/90 = 97.78%
    c = extract("各承办单位共收回征询意见表90份,其中满意80份,基本满意8份,不满意1份,满意率98.9%。")
    assert c.breakdowns[0].base == 90
    assert sorted((f.kind, f.where) for f in audit(c)) == [("derived_mismatch", "figures.satisfaction_rate"), ("sum_mismatch", "satisfaction")]
    # without 不满意 the answers may fall short of the forms; the rate is still over the forms: 89/90 = 98.89% → 98.9
    c = extract("各承办单位共收回征询意见表90份,其中满意80份,基本满意9份,满意率98.9%。")
    assert audit(c) == []
