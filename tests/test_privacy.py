"""privacy: {proposer: anonymise}: no proposer name from the ledger in the report or any export."""

from __future__ import annotations

from openpyxl import load_workbook

from proposal_stats.reporting.privacy import proposer_names, pseudonyms
from proposal_stats.reporting.report import build_annual_report

from .test_exports import HEADER, fictional_params

# Fictional people. 欧阳明 leads a joint proposal with 李小红 and proposes alone too; 周杰 is on a
# rejected row (category Z); a title quotes its proposer; an organisation proposes.
NAMES = ["欧阳明", "李小红", "王大力", "周杰", "赵一二", "虚构县民盟"]
LEDGER = HEADER + "".join([
    "001,关于公交的建议,欧阳明、李小红,government,县甲局,,2022-03-15,2022-05-01,A,是,满意\n",
    "002,王大力委员关于路灯的建议,王大力,government,县甲局,,2022-03-15,2022-05-02,B,是,满意\n",
    "003,关于学校的建议,欧阳明,government,县乙局,,2022-03-15,2022-05-03,A,是,满意\n",
    "004,关于水务的建议,周杰,government,县乙局,,2022-03-15,2022-05-04,Z,是,满意\n",
    "005,关于医疗的建议,\"赵一二,\n李小红\",government,县丙局,,2022-03-15,2022-05-05,A,是,满意\n",
    "006,关于教育的建议,虚构县民盟,government,县丙局,,2022-03-15,2022-05-06,C,是,满意\n",
])


def test_pseudonyms_are_stable_and_per_person():
    assert proposer_names("欧阳明、李小红") == ["欧阳明", "李小红"]
    assert pseudonyms(["欧阳明", "李小红", "欧阳明", "王大力"]) == {"欧阳明": "委员001", "李小红": "委员002", "王大力": "委员003"}
    assert pseudonyms(["甲"], "代表") == {"甲": "代表001"}


def everything_shown(report, out) -> str:
    html = "".join(section.html() for section in report.sections())
    files = "".join(p.read_text(encoding="utf-8-sig") for p in out.iterdir() if p.suffix in (".csv", ".json"))
    wb = load_workbook(out / "tables.xlsx")
    cells = "".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    return html + files + cells


def test_no_proposer_name_in_the_report_or_any_export(tmp_path):
    report = build_annual_report(fictional_params(tmp_path, LEDGER, privacy={"proposer": "anonymise"}))
    report.write_outputs(tmp_path / "out")
    shown = everything_shown(report, tmp_path / "out")
    assert [n for n in NAMES if n in shown] == []
    p = report.ledger.proposals.set_index("proposal_id")
    assert p.loc["001", "proposer"] == "委员001、委员002" and p.loc["003", "proposer"] == "委员001"
    assert p.loc["002", "title"] == "委员003委员关于路灯的建议"
    assert "委员004" in report.ledger.rejected["proposer"].tolist()  # 周杰, on a rejected row (line 5)
    assert "Proposers anonymised" in report.banners().html()
    # nothing else changes: the figures are the same as without privacy
    plain = build_annual_report(fictional_params(tmp_path, LEDGER))
    assert plain.headline == report.headline and plain.units.equals(report.units)
    assert "欧阳明" in plain.ledger.proposals["proposer"].tolist()
