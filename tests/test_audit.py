"""The published-report audit: a hand-made fixture per finding kind, and corpus entries worked by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from proposal_stats.published.audit import KINDS, audit, comparable_resolution_share
from proposal_stats.claims_format import Claims, ClaimsError, load_claims

from .conftest import ROOT

CORPUS = ROOT / "data" / "published"


def claims(**kw) -> Claims:
    return Claims.model_validate({"id": "fixture", "source": {"title": "fixture"}, **kw})


def cats(base, *rows, partial=False):
    return {"base": base, "partial": partial, "cats": [dict(zip(("code", "count", "share_text", "text"), r)) for r in rows]}


def kinds(c: Claims) -> list[tuple[str, str, str]]:
    return sorted((f.kind, f.severity, f.where) for f in audit(c))


# ---- one hand-made fixture per finding kind -----------------------------------------------------------


def test_sum_mismatch():
    # 6 + 3 = 9, not the stated base 10
    assert kinds(claims(results=cats(10, ("A", 6), ("B", 3)))) == [("sum_mismatch", "error", "results")]


def test_partial_breakdown_may_sum_below_the_base_but_not_above():
    assert kinds(claims(results=cats(10, ("A", 6), partial=True))) == []
    assert kinds(claims(results=cats(10, ("A", 11), partial=True))) == [("sum_mismatch", "error", "results")]


def test_base_mismatch():
    c = claims(figures={"to_government": {"value": 248, "text": "248件"}}, results=cats(250, ("A", 200), ("B", 50)))
    assert kinds(c) == [("base_mismatch", "warning", "results")]


def test_share_mismatch():
    # 177/248 = 71.3710% prints 71.37; 71.77% is 178/248 (71.774) — possible, but not for 177
    assert kinds(claims(results=cats(248, ("A", 177, "71.77%"), ("B", 71)))) == [("share_mismatch", "error", "results: A")]


def test_impossible_percentage():
    # 71.5% of 248 needs 177.2..177.4 proposals: no whole number
    found = audit(claims(results=cats(248, ("A", 177, "71.5%"), ("B", 71))))
    assert [(f.kind, f.severity) for f in found] == [("impossible_percentage", "error")]
    assert "no whole number of the 248 gives 71.5%" in found[0].message


def test_share_over_another_stated_total():
    # 177/269 = 65.799% → 65.80: the share was taken over all proposals, not the 248 handled
    c = claims(figures={"total_proposals": {"value": 269, "text": "269件"}, "to_government": {"value": 248, "text": "248件"}},
               results=cats(248, ("A", 177, "65.80%"), ("B", 71)))
    assert kinds(c) == [("share_other_base", "warning", "results: A")]


def test_truncation_is_a_harmless_note():
    # 2/3 = 66.67%: truncation prints 66.6, half-up 66.7
    found = audit(claims(results=cats(3, ("A", 2, "66.6%"), ("B", 1))))
    assert [(f.kind, f.severity) for f in found] == [("rounding_mode", "note")]
    assert "by truncation, not half-up (66.7)" in found[0].message


def test_dropped_trailing_zero_is_a_note():
    # the reference report: 61/248 = 24.5968 → 24.60, printed 24.6% beside two-decimal neighbours
    c = claims(results=cats(248, ("A", 177, "71.37%"), ("B", 61, "24.6%"), ("C", 10, "4.03%")))
    assert kinds(c) == [("dropped_trailing_zero", "note", "results: B")]


def test_forced_to_100():
    # thirds print 33.3% each (99.9%); one was printed 33.4% so the total is exactly 100%
    c = claims(results=cats(3, ("A", 1, "33.3%"), ("B", 1, "33.3%"), ("C", 1, "33.4%")))
    assert kinds(c) == [("forced_to_100", "warning", "results: C")]


def test_shares_total_and_approximate_wording():
    # 1/4 each: "约20%" is 5 points off, and 25+25+25+20 = 95% is 5 away from 100 (rounding allows 4 × 1)
    c = claims(results=cats(4, ("A", 1, "25%"), ("B", 1, "25%"), ("C", 1, "25%"), ("D", 1, "约20%")))
    assert kinds(c) == [("approximate_wording", "error", "results: D"), ("shares_total", "error", "results")]


@pytest.mark.parametrize(
    ("text", "ok"),
    [("约71%", True), ("约73%", False), ("超过70%", True), ("超过72%", False), ("70%以上", True), ("近72%", True), ("近75%", False), ("不到72%", True)],
)
def test_approximate_wording_is_checked_as_the_bound_it_states(text, ok):
    # 177/248 = 71.37%
    found = audit(claims(results=cats(248, ("A", 177, text, text), ("B", 71))))
    assert (found == []) is ok, found


def test_derived_rate_mismatch():
    # 立案率 = filed / received = 80/100 = 80%, printed 85%
    c = claims(figures={
        "received": {"value": 100, "text": "收到100件"}, "filed": {"value": 80, "text": "立案80件"},
        "filing_rate": {"value": 85, "text": "立案率85%", "derived": {"of": ["filed"], "over": "received"}},
    })
    assert kinds(c) == [("derived_mismatch", "error", "figures.filing_rate")]


def test_derived_rate_that_agrees():
    c = claims(figures={
        "received": {"value": 578, "text": "收到578件"}, "filed": {"value": 470, "text": "立案470件"},
        "filing_rate": {"value": 81.31, "text": "立案率81.31%", "derived": {"of": ["filed"], "over": "received"}},
    })
    assert audit(c) == []  # Kunming 2020: 470/578 = 81.3149%


def test_a_plus_b_as_the_sum_of_rounded_shares():
    # 1/6 = 16.67% each, printed 16.7%; A+B = 2/6 = 33.33%, printed 33.4% = 16.7 + 16.7
    c = claims(
        results=cats(6, ("A", 1, "16.7%"), ("B", 1, "16.7%"), ("C", 4, "66.7%")),
        figures={"a_plus_b": {"value": 33.4, "text": "A、B类合计占33.4%", "derived": {"of": ["A", "B"], "over": "base"}}},
    )
    assert ("sum_of_rounded_shares", "error", "figures.a_plus_b") in kinds(c)


def test_stripped_number_is_missing_not_zero():
    c = claims(figures={"reply_rate": {"value": None, "text": "办复率为%"}}, results=cats(2, ("A", 1, "率为%"), ("B", 1)))
    assert kinds(c) == [("missing_number", "warning", "figures.reply_rate"), ("missing_number", "warning", "results: A")]


def test_share_of_an_unstated_total_is_a_note():
    c = claims(figures={"members": {"value": 350, "text": "共有350名委员提交提案,占委员总数的69.4%"}})
    assert kinds(c) == [("share_base_unknown", "note", "figures.members")]


def test_every_kind_is_exercised_and_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for kind, (severity, _) in KINDS.items():
        assert f"| `{kind}` | {severity} |" in readme, kind


# ---- the corpus, worked by hand ---------------------------------------------------------------------

EXPECTED = {
    # 177/248 = 71.3710 → 71.37; 61/248 = 24.5968 → 24.60 printed 24.6; 10/248 = 4.0323 → 4.03
    "chuxiong-city-cppcc-10-1-gov-2023": [("dropped_trailing_zero", "results: B")],
    # 301/387 = 77.78 → “77.8 %”; 57/387 = 14.73 → 14.7; 29/387 = 7.4935 → 7.5; 387/429 = 90.2098 → 90.21
    "chuxiong-pref-cppcc-11-2-gov-2023": [],
    # 11/81 = 13.58%, printed “约占总数的11%”; 17.3 + 50.6 + 18.5 + 11 = 97.4%
    "shangrila-county-npc-13-4-2011": [("approximate_wording", "results: D (unlabelled)"), ("shares_total", "results")],
    # 45.79% of 688 needs 315.0..315.07 proposals: 315/688 = 45.7849, 316/688 = 45.9302
    "yunnan-prov-cppcc-11-2-committee-2014": [("impossible_percentage", "results: B (unlabelled)")],
    # 5.1% of 517 needs 26.1..26.6: 26/517 = 5.03, 27/517 = 5.22; 155/517 = 29.98 printed 29.9 (truncated)
    "kunming-cppcc-14-1-2022": [("impossible_percentage", "topics: 政治建设"), ("rounding_mode", "topics: 经济建设")],
    # 33/52 = 63.46 → 63.5, printed 63.4 so that 63.4 + 27 + 9.6 = 100
    "gongliu-county-npc-18-4-2024": [("forced_to_100", "results: A")],
    # 54/93 = 58.0645 → 58.06, printed 58.07 (total 100.00); four topic shares truncated (25/93 = 26.88 → 26.8 …)
    "henan-city-a-npc-6-2-2023": [("forced_to_100", "results: A"), ("rounding_mode", "topics: 城建環資"), ("rounding_mode", "topics: 社會建設"),
                                  ("rounding_mode", "topics: 財政經濟"), ("rounding_mode", "topics: 農業農村")],
    # 47 + 37 + 65 = 149: 47/149 = 31.54 → 31.5, printed 31.6 so the three total 100.0
    "longyang-district-cppcc-6-3-intake-2024": [("forced_to_100", "figures.collective"), ("forced_to_100", "topics: 社会建设")],
    # 15/205 = 7.32%, printed 6.7% = 15/223, the number received
    "songjiang-district-cppcc-5-3-intake": [("share_other_base", "topics: 国家新型城镇化综合试点")],
    # 147/245 = 60% exactly, printed “60%” beside two-decimal shares: nothing was rounded, nothing to note
    "chuxiong-city-npc-10-5-2025": [],
    # 470/578 = 81.31% filing rate, as printed
    "kunming-cppcc-13-4-topics-2020": [],
    # 立案率97.9%, but 立案136件 of 共提出…142件 is 95.77% (97.9% is 139/142: filed + not filed over submitted)
    # and 136 filed + 6 merged + 3 not filed = 145 outcomes of 142 submitted
    "dongchuan-district-cppcc-6-5-intake-2026": [("derived_mismatch", "figures.filing_rate"), ("parts_mismatch", "figures.not_filed")],
    # 350 members are 69.4% of a membership the report does not print
    "gansu-prov-cppcc-13-4-intake-2026": [("share_base_unknown", "figures.members_proposing")],
    # 立案 printed as 16 (经审查立案16件) and as 11 (立案11件, the bracket's 5 not filed are another count)
    "barkam-county-cppcc-14-3-2014": [("conflicting_figures", "figures.filed_b")],
    # 757/792 = 95.58 → 95.6; 143/757 = 18.89 → 18.9; 614/757 = 81.11 → 81.1
    "gansu-prov-cppcc-11-5-intake-2017": [("dropped_trailing_zero", "topics: 科技、教育、文化、卫生、体育类")],
}


@pytest.mark.parametrize("report_id", sorted(EXPECTED))
def test_corpus_entries_worked_by_hand(report_id):
    (c,) = load_claims(CORPUS / f"{report_id}.yaml")
    assert sorted((f.kind, f.where) for f in audit(c)) == sorted(EXPECTED[report_id])


def test_the_reference_report_audits_clean():
    (c,) = load_claims(CORPUS / "chuxiong-city-cppcc-10-1-gov-2023.yaml")
    assert {f.severity for f in audit(c)} <= {"note"}


def test_the_whole_corpus_converts_and_loads():
    files = sorted(CORPUS.glob("*.yaml"))
    assert len(files) == 61
    assert sum(len(load_claims(f)) for f in files) == 61
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "convert_published.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_comparability_through_schemes():
    (pref,) = load_claims(CORPUS / "chuxiong-pref-cppcc-11-2-gov-2023.yaml")
    share, note = comparable_resolution_share(pref)
    assert share is None and "also covers being resolved" in note  # “已经解决或正在解决”
    (npc,) = load_claims(CORPUS / "chuxiong-city-npc-10-5-2025.yaml")
    assert comparable_resolution_share(npc) == (pytest.approx(60), "")  # 147/245 “已解决或基本解决”


# ---- the claims format and the command --------------------------------------------------------------


def test_one_or_many_reports_per_file(tmp_path):
    one = tmp_path / "one.yaml"
    one.write_text("id: x\nsource: {title: t}\nfigures: {received: {value: 5, text: 收到5件}}\n", encoding="utf-8")
    many = tmp_path / "many.yaml"
    many.write_text("reports:\n- id: a\n  source: {title: t}\n- id: b\n  source: {title: t}\n", encoding="utf-8")
    assert [c.id for c in load_claims(one)] == ["x"]
    assert [c.id for c in load_claims(many)] == ["a", "b"]


def test_a_bad_claims_file_names_report_and_key(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("reports:\n- id: a\n  source: {title: t}\n  figures: {x: {value: 'lots', text: t}}\n", encoding="utf-8")
    with pytest.raises(ClaimsError, match=r"\(a\): key 'reports.0.figures.x.value'"):
        load_claims(bad)


CLI = str(Path(sys.executable).parent / "proposal-stats")


def test_audit_command_exit_codes_and_json(tmp_path):
    clean = CORPUS / "chuxiong-city-cppcc-10-1-gov-2023.yaml"
    wrong = CORPUS / "shangrila-county-npc-13-4-2011.yaml"
    r = subprocess.run([CLI, "audit", str(clean)], capture_output=True, text=True)
    assert r.returncode == 0 and "dropped_trailing_zero" in r.stdout
    r = subprocess.run([CLI, "audit", str(clean), str(wrong), "--json"], capture_output=True, text=True)
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert [d["id"] for d in data] == ["chuxiong-city-cppcc-10-1-gov-2023", "shangrila-county-npc-13-4-2011"]
    assert data[1]["findings"][0]["kind"] == "approximate_wording"
    r = subprocess.run([CLI, "audit", str(tmp_path / "none.yaml")], capture_output=True, text=True)
    assert r.returncode == 2 and "not found" in r.stderr and "Traceback" not in r.stderr


def test_adding_a_year_is_adding_a_file(tmp_path):
    import shutil

    from proposal_stats.reporting.corpus_report import build_corpus_report

    folder = tmp_path / "published"
    shutil.copytree(CORPUS, folder, ignore=shutil.ignore_patterns("raw"))
    (folder / "kunming-cppcc-2030.yaml").write_text(
        "id: kunming-cppcc-2030\njurisdiction: 昆明市 Kunming\nbody: CPPCC\nyear: 2030\nsource: {title: a test file}\n"
        "figures: {received: {value: 600, text: 收到600件}, filed: {value: 500, text: 立案500件}}\n",
        encoding="utf-8",
    )
    params = tmp_path / "audit.yaml"
    params.write_text(f"kind: published_audit\ntitle: t\nclaims: {folder}\nnotebook: {ROOT / 'notebooks' / 'published_audit.ipynb'}\n", encoding="utf-8")
    trends = build_corpus_report(params).trends_table()
    kunming = trends[trends["jurisdiction"] == "昆明市"]
    assert sorted(set(kunming["year"])) == [2014, 2019, 2020, 2022, 2030]
    assert kunming[(kunming["year"] == 2030) & (kunming["measure"] == "filed")]["value"].tolist() == [500]


def test_a_params_published_block_audits_clean_when_consistent():
    from proposal_stats.params import load_params

    from .conftest import PREFECTURE

    findings = audit(load_params(PREFECTURE).published)
    assert [f for f in findings if f.severity != "note"] == []  # 387 is the stated assigned_to_government
