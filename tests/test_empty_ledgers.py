"""Ledgers with nothing (or almost nothing) to count: zero accepted rows, zero replies, zero
categories, one unit. Every section of the annual report copes; `report` refuses with one line
saying why unless --allow-empty; user data reaches the console verbatim."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from proposal_stats.reporting.report import NoRowsAccepted, build_annual_report
from proposal_stats.stats.signals import audit_signals

from .conftest import CITY, params_copy

CLI = str(Path(sys.executable).parent / "proposal-stats")
HEADER = "proposal_id,title,handling_system,lead_unit,co_handling_units,assigned_at,replied_at,result_category,f2f_consulted,satisfaction\n"

#: name → (ledger body, header); each a kind of "nothing to count".
CASES = {
    "no lead-unit column": ("001,a,government,市甲局,,2022-03-15,2022-05-01,A,是,满意\n002,b,government,市乙局,,2022-03-15,2022-05-02,B,是,满意\n",
                            HEADER.replace("lead_unit", "lead_unti")),
    "header only": ("", HEADER),
    "no replies": ("001,a,government,市甲局,,2022-03-15,,,,\n002,b,government,市甲局,,2022-03-15,,,,\n", HEADER),
    "no categories": ("001,a,government,市甲局,,2022-03-15,2022-05-01,,否,\n002,b,government,市甲局,,2022-03-15,2022-05-02,,否,\n", HEADER),
    "one unit": ("".join(f"00{i},t,government,市甲局,,2022-03-15,2022-05-0{i},A,是,满意\n" for i in range(1, 7)), HEADER),
    "no government proposal": ("001,a,party,市甲局,,2022-03-15,2022-05-01,A,是,满意\n", HEADER),
}


def _params(tmp_path: Path, body: str, header: str) -> Path:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(header + body, encoding="utf-8")
    return params_copy(CITY, tmp_path, ledger=str(ledger), published=None, synthetic_fields=[], synthetic_note="")


@pytest.mark.parametrize("case", CASES)
def test_every_section_copes(tmp_path, case):
    report = build_annual_report(_params(tmp_path, *CASES[case]))
    html = re.sub(r"base64,[A-Za-z0-9+/=]+", "", "".join(section.html() for section in report.sections()))  # not the charts' bytes
    assert not re.search(r"\bnan\b|NaN|NaT|\bNone\b(?!\.)", html)
    report.write_outputs(tmp_path / "out")
    perf = report.performance
    if case == "one unit":
        assert perf[["handling_unit", "n", "a_count", "a_verdict"]].values.tolist() == [["市甲局", 6, 6, "within"]]


@pytest.mark.parametrize("case", ["no lead-unit column", "header only", "no replies"])
def test_signals_without_data_are_not_checkable_rather_than_not_fired(tmp_path, case):
    report = build_annual_report(_params(tmp_path, *CASES[case]))
    status = {s.name: s.status for s in audit_signals(report)}
    assert status["implausible A share"] == status["satisfaction without variance"] == "not checkable"
    if case != "no replies":
        assert status["timeliness"] == "not checkable"


def test_no_accepted_row_is_one_line_saying_why(tmp_path):
    report = build_annual_report(_params(tmp_path, *CASES["no lead-unit column"]))
    with pytest.raises(NoRowsAccepted, match=r"^0 of 2 rows accepted: no lead-unit column \(主办单位 or an alias"):
        report.check_accepted()
    build_annual_report(_params(tmp_path, *CASES["one unit"])).check_accepted()  # accepted rows: no error


def test_report_refuses_an_empty_ledger_unless_asked(tmp_path):
    params = _params(tmp_path, *CASES["no lead-unit column"])
    for flag in ([], ["--strict"]):
        r = subprocess.run([CLI, "report", *flag, str(params)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
        assert r.returncode == 1 and "Traceback" not in r.stderr
        last = r.stderr.strip().splitlines()[-1]
        assert last.startswith("error: city-2022: 0 of 2 rows accepted: no lead-unit column (主办单位 or an alias") or \
            last.startswith(f"error: {params.stem}: 0 of 2 rows accepted: no lead-unit column (主办单位 or an alias"), last
        assert not (tmp_path / "out").exists()
    r = subprocess.run([CLI, "report", "--allow-empty", str(params)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out" / "report.html").is_file()
    assert "2 of 2 ledger rows rejected and not counted; listed in" in r.stderr and "rejected_rows.csv" in r.stderr


def test_user_data_is_printed_verbatim(tmp_path):
    ledger = tmp_path / ":cat: [red]x.csv"
    ledger.write_text(HEADER + "001,关于:fire:的建议,government,[bold]市甲局,,2022-03-15,2022-05-01,Z:cat:,是,满意\n", encoding="utf-8")
    r = subprocess.run([CLI, "validate", str(ledger)], capture_output=True, text=True, timeout=120)
    assert "'Z:cat:'" in r.stdout and "🐱" not in r.stdout + r.stderr
    assert f"{ledger}:2: proposal 001: result_category" in r.stdout
    missing = subprocess.run([CLI, "validate", str(tmp_path / ":cat:[red]y.csv")], capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2 and ":cat:[red]y.csv" in missing.stderr and "🐱" not in missing.stderr
