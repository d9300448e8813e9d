"""`proposal-stats validate`: counts, problems with line and column, exit 0 / 1 / 2, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CITY, ROOT

CLI = str(Path(sys.executable).parent / "proposal-stats")


def validate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, "validate", *args], capture_output=True, text=True, timeout=120)


def test_clean_ledger_exits_0():
    r = validate(str(ROOT / "data" / "ledgers" / "chuxiong-city-2022.csv"), "--params", str(CITY))
    assert r.returncode == 0, r.stderr
    assert "269 rows read, 269 accepted, 0 rejected; 0 error(s), 0 warning(s)" in r.stdout


BAD = "proposal_id,title,lead_unit,replied_at,result_category\n001,a,市财政局,2022-05-01,A\n002,b,市财政局,2022/13/1,A\n003,=1+1,市财政局,2022-05-01,B\n"


def test_rejected_rows_exit_1_with_file_line_column_value_rule_and_sentence(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    r = validate(str(path), "--params", str(CITY))
    assert r.returncode == 1
    assert "3 rows read, 2 accepted, 1 rejected; 1 error(s), 1 warning(s)" in r.stdout
    assert f"{path}:3: proposal 002: replied_at = '2022/13/1': unparseable_value (error): there is no month 13" in r.stdout
    assert f"{path}:4: proposal 003: title = '=1+1': spreadsheet_formula (warning)" in r.stdout
    assert r.stdout.rstrip().endswith("2 of 3 rows accepted: unparseable_value on 1 row(s)")


def test_json_gives_the_same_as_data(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    r = validate(str(path), "--params", str(CITY), "--json")
    data = json.loads(r.stdout)
    assert (data["rows_read"], data["rows_accepted"], data["rows_rejected"]) == (3, 2, 1)
    assert data["problems"][0] == {
        "file": str(path), "line": 3, "proposal_id": "002", "column": "replied_at", "value": "2022/13/1", "rule": "unparseable_value",
        "severity": "error", "message": "there is no month 13 (a date is year, month, day: 2022-03-15)",
    }


def test_warnings_only_exit_0_unless_strict(tmp_path):
    path = tmp_path / "warn.csv"
    path.write_text("proposal_id,title,lead_unit,replied_at,result_category\n001,=1+1,市财政局,2022-05-01,A\n", encoding="utf-8")
    assert validate(str(path), "--params", str(CITY)).returncode == 0
    assert validate(str(path), "--params", str(CITY), "--strict").returncode == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "the file is empty"), (b"\x00\xff\xfe\x00" * 50, "holds a NUL byte"), (None, "not found")],
)
def test_unreadable_files_exit_2_without_traceback(tmp_path, content, message):
    path = tmp_path / "x.csv"
    if content is not None:
        path.write_bytes(content)
    r = validate(str(path))
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr + r.stdout


def test_a_broken_xlsx_exits_2(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    r = validate(str(path), "--json")
    assert r.returncode == 2 and "not a readable XLSX workbook" in json.loads(r.stdout)["error"]
