"""Audit round 2: findings that do not depend on figure names (fictional places, real kinds of fault).

Each test states the arithmetic it pins. Figure names are deliberately meaningless (``x1``, ``x2``):
what a figure means comes from its printed wording through the figure vocabulary.
"""

from __future__ import annotations

import subprocess
import sys

import yaml

from proposal_stats.claims_format import Claims, load_claims
from proposal_stats.published.audit import audit
from proposal_stats.published.vocabulary import derive_links, meaning_of, statuses

from .conftest import ROOT


def claims(**kw) -> Claims:
    return Claims.model_validate({"id": "fixture", "source": {"title": "fictional"}, **kw})


def figs(*rows) -> dict:
    return {f"x{n}": {"value": v, "text": t} for n, (v, t) in enumerate(rows, 1)}


def found(c: Claims) -> list[tuple[str, str, str]]:
    return sorted((f.kind, f.severity, f.where) for f in audit(c))


# ---- 1. integer feasibility of every printed percentage ----------------------------------------------


def test_rate_of_a_stated_base_that_no_whole_count_gives():
    # Brackwater county: 95% of 8 returned forms; 7/8 = 87.5% → 88, 8/8 = 100%
    c = claims(figures=figs((8, "收回征询意见表8份"), (95, "满意率为95%")))
    (f,) = audit(c)
    assert (f.kind, f.severity, f.where) == ("impossible_percentage", "error", "figures.x2")
    assert "7/8 = 87.5% → 88" in f.message and "8/8 = 100% → 100" in f.message


def test_count_with_a_share_of_an_unstated_base_that_no_base_gives():
    # Fernhollow: 3 members said to be 70% of the membership: 3/4 = 75%, 3/5 = 60%; no whole N gives 70%
    c = claims(figures=figs((3, "3名委员联名提交,占委员总数的70%")))
    (f,) = audit(c)
    assert (f.kind, f.severity) == ("impossible_percentage", "error")
    assert "3/5 = 60% → 60" in f.message and "3/4 = 75% → 75" in f.message


def test_count_with_a_share_of_an_unstated_base_that_some_base_gives_is_a_note():
    # 350 of 504 = 69.44% → 69.4: possible, but the 504 is never printed
    c = claims(figures=figs((350, "共有350名委员提交提案,占委员总数的69.4%")))
    assert found(c) == [("share_base_unknown", "note", "figures.x1")]


def test_classes_of_one_unstated_base_possible_alone_impossible_together():
    # Oakridge: A 1 at 25% (N = 4) and B 1 at 20% (N = 5): each possible alone, no one N gives both
    c = claims(results={"partial": True, "cats": [{"code": "A", "count": 1, "share_text": "25%"}, {"code": "B", "count": 1, "share_text": "20%"}]})
    (f,) = audit(c)
    assert (f.kind, f.severity, f.where) == ("impossible_percentage", "error", "results")
    assert "1/4 = 25% → 25" in f.message and "1/5 = 20% → 20" in f.message


def test_classes_of_one_unstated_base_that_one_base_gives():
    # 150/446 = 33.63% → 34 and 238/446 = 53.36% → 53: one base (446) gives both
    c = claims(results={"partial": True, "cats": [{"code": "A", "count": 150, "share_text": "34 %"}, {"code": "B", "count": 238, "share_text": "53 %"}]})
    assert audit(c) == []


def test_share_of_a_base_without_count_given_only_by_truncation_is_a_note():
    # 71.28% of 8160: 5816/8160 = 71.2745 → 71.27, 5817/8160 = 71.2868 → 71.29; truncation of 5817 gives 71.28
    c = claims(results={"base": 8160, "partial": True, "cats": [{"code": "A", "share_text": "71.28%"}]})
    (f,) = audit(c)
    assert (f.kind, f.severity) == ("rounding_mode", "note")
    assert "5816/8160 = 71.2745% → 71.27" in f.message and "truncation of 5817/8160" in f.message


def test_reply_rate_over_the_filed_when_no_count_is_printed():
    # 99.8% of 824 filed: 822/824 = 99.757 → 99.8 (possible); 99.9% is not: 823/824 = 99.879 → 99.88 → 99.9? yes; 99.95% is not
    ok = claims(figures=figs((824, "经审查,立案824件"), (99.8, "办复率为99.8%")))
    assert audit(ok) == []
    bad = claims(figures=figs((24, "经审查,立案24件"), (98, "办复率为98%")))
    # 23/24 = 95.83 → 96, 24/24 = 100: no whole number of 24 gives 98%
    assert found(bad) == [("impossible_percentage", "error", "figures.x2")]


# ---- 2. rates linked to their parts by meaning, not by name ------------------------------------------


def test_filing_rate_over_submitted_whatever_the_names():
    # Hollowbrook: 立案37件 of 共提交提案40件 = 92.5%, printed 立案率95%
    c = claims(figures=figs((40, "共提交提案40件"), (37, "立案37件"), (95, "立案率95%")))
    (f,) = audit(c)
    assert (f.kind, f.where) == ("derived_mismatch", "figures.x3")
    assert "37/40 = 92.5%, which no rounding prints as 95%" in f.message


def test_filing_rate_over_session_plus_between_session_proposals():
    # Millbrook: 大会提案950件 + 平时提案24件 = 974 submitted; 824/974 = 84.60% → 84.6 (824/950 would be 86.7)
    c = claims(figures=figs((950, "共提交大会提案950件"), (24, "平时提案24件"), (824, "立案824件"), (84.6, "立案率84.6%")))
    assert audit(c) == []
    wrong = claims(figures=figs((950, "共提交大会提案950件"), (24, "平时提案24件"), (824, "立案824件"), (86.7, "立案率86.7%")))
    assert found(wrong) == [("derived_mismatch", "error", "figures.x4")]


def test_satisfaction_rate_is_over_forms_returned():
    # Ashcombe: 22 satisfied + 5 basically satisfied of 28 forms = 96.43% → 96.4, printed 100%
    c = claims(figures=figs((58, "共办理政协提案58件"), (28, "委员反馈征求意见表28份"), (22, "表示满意的22份"), (5, "基本满意的5份"), (100, "满意率为100%")))
    (f,) = audit(c)
    assert (f.kind, f.where) == ("derived_mismatch", "figures.x5")
    assert "27/28 = 96.4286%" in f.message


def test_traditional_characters_and_pinyin_glosses_do_not_hide_a_rate():
    c = claims(figures=figs((40, "共收到提案40件"), (37, "立案37件"), (95, "立案率為95%")))
    assert found(c) == [("derived_mismatch", "error", "figures.x3")]
    assert meaning_of("x", c.figures["x3"]) == "filing_rate"
    assert statuses("已經(jīng)解決或基本解決") == ["resolved"]


def test_converter_and_audit_share_the_links():
    c = claims(figures=figs((40, "共收到提案40件"), (37, "立案37件"), (95, "立案率95%")))
    assert derive_links(c.figures) == {"x3": (("x2",), "x1")}


# ---- 3. combined shares --------------------------------------------------------------------------------


def test_combined_share_that_is_the_sum_of_rounded_shares_is_an_error():
    # Thornbury: A 1/6 = 16.67 → 16.7, B 1/6 → 16.7; "A、B类占33.4%" but (1 + 1)/6 = 33.33% → 33.3
    c = claims(results={"base": 6, "cats": [{"code": "A", "count": 1, "share_text": "16.7%"}, {"code": "B", "count": 1, "share_text": "16.7%"},
                                            {"code": "C", "count": 4, "share_text": "66.7%"}]},
               figures=figs((33.4, "A、B类合计占33.4%")))
    (f,) = [f for f in audit(c) if f.where == "figures.x1"]
    assert (f.kind, f.severity) == ("sum_of_rounded_shares", "error")
    assert "2/6 = 33.3333% → 33.3" in f.message and "sum of the printed shares (16.7 + 16.7 = 33.4)" in f.message


def test_combined_share_that_is_simply_wrong():
    # 177 + 61 = 238 of 248 = 95.97% → 96.0, printed 93.7%
    c = claims(results={"base": 248, "cats": [{"code": "A", "count": 177}, {"code": "B", "count": 61}, {"code": "C", "count": 10}]},
               figures=figs((93.7, "A、B类占93.7%")))
    assert found(c) == [("sum_of_rounded_shares", "error", "figures.x1")]


# ---- 4. no false findings -----------------------------------------------------------------------------


def test_base_equal_to_any_stated_figure_is_no_mismatch():
    # Corbridge: base 12 is "政协委员提案12件", a figure of no special name
    c = claims(figures=figs((20, "主办的建议、提案共有20件"), (12, "政协委员提案12件")),
               results={"base": 12, "cats": [{"code": "A", "count": 3, "share_text": "25%"}, {"code": "B", "count": 9, "share_text": "75%"}]})
    assert audit(c) == []
    other = claims(figures=figs((20, "主办的建议、提案共有20件")), results={"base": 12, "cats": [{"code": "A", "count": 3}, {"code": "B", "count": 9}]})
    assert found(other) == [("base_mismatch", "warning", "results")]


def test_base_stated_in_the_same_sentence_is_not_unknown():
    # Dunhallow: "占代表建议总数105件的95.24%": 100/105 = 95.238% → 95.24
    c = claims(figures=figs((100, "交由市政府系统承办的代表建议共100件"), (105, "占代表建议总数105件的95.24%")))
    assert audit(c) == []
    wrong = claims(figures=figs((100, "交由市政府系统承办的代表建议共100件"), (105, "占代表建议总数105件的95.3%")))
    # 100/105 = 95.238 → 95.2 and 101/105 = 96.19: no whole number of 105 gives 95.3%
    assert found(wrong) == [("impossible_percentage", "error", "figures.x2")]


# ---- 5. every breakdown -------------------------------------------------------------------------------


def test_every_breakdown_is_audited():
    # Eastleigh prints results for NPC suggestions (clean) and for CPPCC proposals (8 + 3 = 11, not 12)
    c = claims(results={"base": 10, "cats": [{"code": "A", "count": 6, "share_text": "60%"}, {"code": "B", "count": 4, "share_text": "40%"}]},
               breakdowns=[{"kind": "results", "base": 12, "text": "政协提案12件中", "cats": [{"code": "A", "count": 8}, {"code": "B", "count": 3}]},
                           {"kind": "proposer_types", "base": 12, "partial": True, "cats": [{"label": "委员个人", "count": 7, "share_text": "58.3%"},
                                                                                           {"label": "集体", "count": 5, "share_text": "33.3%"}]}],
               figures=figs((10, "代表建议10件"), (12, "政协提案12件")))
    # 7/12 = 58.33% → 58.3; 5/12 = 41.67% → 41.7, printed 33.3% (which is 4/12)
    assert found(c) == [("share_mismatch", "error", "proposer_types: 集体"), ("sum_mismatch", "error", "breakdowns.0")]


def test_classes_counted_twice_by_design_are_a_note():
    # Kelso: 431 (包括会同办理) + 2 + 17 = 450 of 440 suggestions
    c = claims(figures=figs((440, "代表提出建议440件")),
               breakdowns=[{"kind": "handling_systems", "base": 440, "cats": [
                   {"label": "政府", "count": 431, "text": "省政府及有关部门承办431件(包括会同办理)"}, {"label": "法院", "count": 2}, {"label": "其他", "count": 17}]}])
    assert found(c) == [("overlapping_classes", "note", "handling_systems")]


def test_one_plug_is_a_warning_two_moved_shares_are_an_error():
    # 1/3 each: 33.3 + 33.3 + 33.4 = 100 (one plug); Glenmoor: 3, 14, 3, 1, 1 of 22 printed 13.6, 63.6, 13.6, 4.6, 4.6:
    # 1/22 = 4.5455% → 4.5, and 4.6 only by rounding twice (4.5455 → 4.55 → 4.6)
    one = claims(results={"base": 3, "cats": [{"code": c, "count": 1, "share_text": s} for c, s in zip("ABC", ("33.3%", "33.3%", "33.4%"))]})
    assert found(one) == [("forced_to_100", "warning", "results: C")]
    two = claims(topics={"base": 22, "cats": [{"label": label, "count": n, "share_text": s} for label, n, s in
                                              (("经济", 3, "13.6%"), ("民生", 14, "63.6%"), ("农业", 3, "13.6%"), ("生态", 1, "4.6%"), ("其他", 1, "4.6%"))]})
    result = audit(two)
    assert [(f.kind, f.severity, f.where) for f in result] == [("share_mismatch", "error", "topics: 生态"), ("share_mismatch", "error", "topics: 其他")]
    assert "4.5455 → 4.55 → 4.6" in result[0].message


# ---- 6. the converter is a command and keeps every breakdown ------------------------------------------

RAW = """\
reports:
- id: fictional-two-bodies
  title: (fictional) Westmarch handling
  jurisdiction: Westmarch
  year: 2024
  figures:
    suggestions_in: {value: 10, text: 代表建议10件}
    proposals_in: {value: 12, text: 政协提案12件}
    rate_x: {value: 95, text: 立案率95%}
    got: {value: 40, text: 共收到提案40件}
    kept: {value: 37, text: 立案37件}
  results:
    base: 10
    text: 代表建议10件中
    cats: [{code: A, label: 已经解决, count: 6}, {code: B, label: 列入计划逐步解决, count: 4}]
  results:
    base: 12
    text: 政协提案12件中
    cats: [{code: A, label: 已经解决, count: 8}, {code: B, label: 列入计划逐步解决, count: 3}]
  proposer_types:
    base: 12
    cats: [{label: 委员个人, count: 7}, {label: 集体, count: 5}]
"""


def test_converter_command_keeps_every_breakdown_and_links_by_meaning(tmp_path):
    raw = tmp_path / "raw.yaml"
    raw.write_text(RAW, encoding="utf-8")
    out = tmp_path / "claims"
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "convert_published.py"), "--input", str(raw), "--output", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    (c,) = load_claims(out / "fictional-two-bodies.yaml")
    assert c.results.text == "代表建议10件中" and c.results.base == 10
    assert [(b.kind, b.base, b.text) for b in c.breakdowns] == [("results", 12, "政协提案12件中"), ("proposer_types", 12, "")]
    assert c.figures["rate_x"].derived.of == ("kept",) and c.figures["rate_x"].derived.over == "got"
    assert [s.statuses for s in c.scheme] == [("resolved",), ("planned",)]
    # 37/40 = 92.5% printed 95%; the CPPCC results add up to 11, not 12
    assert sorted((f.kind, f.where) for f in audit(c)) == [("derived_mismatch", "figures.rate_x"), ("sum_mismatch", "breakdowns.0")]
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "convert_published.py"), "--input", str(raw), "--output", str(out), "--check"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_converter_refuses_a_repeated_key_that_is_not_a_breakdown(tmp_path):
    raw = tmp_path / "raw.yaml"
    raw.write_text("reports:\n- id: x\n  year: 2020\n  year: 2021\n", encoding="utf-8")
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "convert_published.py"), "--input", str(raw), "--output", str(tmp_path / "o")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "key 'year' is given twice" in r.stderr


# ---- 7. the corpus report from any folder, integers as integers -------------------------------------


def test_corpus_report_params_outside_params_folder(tmp_path):
    from proposal_stats.reporting.corpus_report import build_corpus_report

    params = tmp_path / "elsewhere" / "audit.yaml"
    params.parent.mkdir()
    params.write_text(yaml.safe_dump({"kind": "published_audit", "title": "t", "claims": str(ROOT / "data" / "published")}), encoding="utf-8")
    report = build_corpus_report(params)
    assert report.params.notebook == ROOT / "notebooks" / "published_audit.ipynb"
    report.write_outputs(tmp_path / "out")
    csv = (tmp_path / "out" / "reports.csv").read_text(encoding="utf-8-sig")
    assert ",2020," in csv and ".0," not in csv
    assert ".0," not in (tmp_path / "out" / "trends.csv").read_text(encoding="utf-8-sig")
