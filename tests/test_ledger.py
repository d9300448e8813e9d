"""Ledger loading: schema validation, rejected rows reported with reasons, nothing dropped."""

from __future__ import annotations

import pytest

from proposal_stats.ledger import LedgerError, read_ledger
from proposal_stats.params import load_params

from .conftest import CITY, params_copy

HEADER = "proposal_id,title,handling_system,lead_unit,assigned_at,due_at,replied_at,result_category,f2f_consulted,satisfaction\n"


def load(tmp_path, body: str, header: str = HEADER):
    path = tmp_path / "ledger.csv"
    path.write_text(header + body, encoding="utf-8")
    params = load_params(params_copy(CITY, tmp_path, ledger=str(path)))
    return read_ledger(path, params)


def reasons(ledger) -> dict[str, str]:
    return dict(zip(ledger.rejected["proposal_id"], ledger.rejected["reasons"]))


def test_reference_ledger_loads_clean():
    params = load_params(CITY)
    ledger = read_ledger(params.ledger, params)
    assert (ledger.rows_read, len(ledger.accepted), len(ledger.rejected)) == (269, 269, 0)
    assert ledger.accepted["proposal_id"].iloc[0] == "001"  # ids stay text
    assert str(ledger.accepted["replied_at"].dtype).startswith("datetime64")
    assert len(ledger.sha256) == 64


def test_each_bad_row_is_rejected_with_its_line_and_reason(tmp_path):
    ledger = load(
        tmp_path,
        "001,ok,government,市财政局,2022-03-15,,2022-05-01,A,true,satisfied\n"
        "002,bad date,government,市财政局,2022-03-15,,2022/13/45,A,true,satisfied\n"
        "003,bad category,government,市财政局,2022-03-15,,2022-05-01,D,true,satisfied\n"
        "004,no lead unit,government,,2022-03-15,,2022-05-01,A,true,satisfied\n"
        "005,early reply,government,市财政局,2022-03-15,,2022-03-01,A,true,satisfied\n"
        "006,bad f2f,government,市财政局,2022-03-15,,2022-05-01,A,maybe,satisfied\n"
        "007,bad system,ministry,市财政局,2022-03-15,,2022-05-01,A,true,satisfied\n"
        "008,bad satisfaction,government,市财政局,2022-03-15,,2022-05-01,A,true,happy\n"
        "009,fine non-government,party,,,,,,,\n",
    )
    assert ledger.rows_read == 9 == len(ledger.accepted) + len(ledger.rejected)
    assert list(ledger.accepted["proposal_id"]) == ["001", "009"]
    r = reasons(ledger)
    assert "replied_at: not a date" in r["002"]
    assert r["003"].startswith("result_category: must be one of")
    assert "needs a lead unit" in r["004"]
    assert "reply date is before the assignment date" in r["005"]
    assert "f2f_consulted: not true/false" in r["006"]
    assert r["007"].startswith("handling_system: must be one of")
    assert r["008"].startswith("satisfaction: must be one of")
    lines = dict(zip(ledger.rejected["proposal_id"], ledger.rejected["source_line"]))
    assert lines["002"] == 3 and lines["008"] == 9  # header is line 1


def test_duplicate_ids_reject_both_rows(tmp_path):
    ledger = load(
        tmp_path,
        "001,a,government,市财政局,2022-03-15,,2022-05-01,A,true,satisfied\n"
        "001,b,government,市水务局,2022-03-15,,2022-05-01,B,true,satisfied\n"
        "002,c,government,市水务局,2022-03-15,,2022-05-01,B,true,satisfied\n",
    )
    assert list(ledger.accepted["proposal_id"]) == ["002"]
    assert set(reasons(ledger).values()) == {"proposal_id: duplicate proposal id"}


def test_blank_id_is_rejected(tmp_path):
    ledger = load(tmp_path, ",no id,party,,,,,,,\n")
    assert len(ledger.rejected) == 1 and "must not be blank" in ledger.rejected["reasons"].iloc[0]


def test_due_date_is_filled_from_the_deadline_rule(tmp_path):
    ledger = load(tmp_path, "001,a,government,市财政局,2022-03-31,,2022-05-01,A,true,satisfied\n")
    # 3 calendar months after 31 March is 30 June (month-end clipped), not 1 July
    assert str(ledger.accepted["due_at"].iloc[0].date()) == "2022-06-30"


def test_missing_required_column_is_a_file_error(tmp_path):
    with pytest.raises(LedgerError, match="required column\\(s\\) missing: f2f_consulted"):
        load(tmp_path, "001,a,government,x,2022-03-15,,,A,\n", header=HEADER.replace("f2f_consulted,", ""))


def test_non_utf8_file_is_a_file_error(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes((HEADER + "001,楚雄,government,市财政局,,,,A,true,\n").encode("gb18030"))
    params = load_params(params_copy(CITY, tmp_path, ledger=str(path)))
    with pytest.raises(LedgerError, match="not UTF-8"):
        read_ledger(path, params)


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes((HEADER + "001,楚雄,party,,,,,,,\n").encode("utf-8-sig"))
    params = load_params(params_copy(CITY, tmp_path, ledger=str(path)))
    assert read_ledger(path, params).accepted["proposal_id"].tolist() == ["001"]


def test_line_numbers_count_blank_lines_and_multiline_cells(tmp_path):
    ledger = load(
        tmp_path,
        "001,ok,party,,,,,,,\n"
        "\n"
        '002,"a title\nover two lines",party,,,,,,,\n'
        "003,bad,ministry,,,,,,,\n",
    )
    # header 1, 001 on 2, blank 3, 002 on 4-5, 003 on 6
    assert ledger.rejected["source_line"].tolist() == [6]
    assert ledger.accepted["source_line"].tolist() == [2, 4]
    assert ledger.accepted["title"].tolist() == ["ok", "a title\nover two lines"]


def test_rows_with_missing_or_extra_cells_are_rejected_not_padded(tmp_path):
    ledger = load(
        tmp_path,
        "001,ok,government,市财政局,2022-03-15,,2022-05-01,A,true,satisfied\n"
        "002,short,government,市财政局,2022-03-15\n"
        "003,long,government,市财政局,2022-03-15,,2022-05-01,A,true,satisfied,surplus\n",
    )
    assert ledger.rows_read == 3 and ledger.accepted["proposal_id"].tolist() == ["001"]
    r = reasons(ledger)
    assert r["002"].startswith("row: has 5 cells, the header has 10")
    assert r["003"].startswith("row: has 11 cells, the header has 10")


def test_a_row_rule_is_reported_once(tmp_path):
    ledger = load(tmp_path, "001,x,government,,2022-03-15,,2022-05-01,A,true,satisfied\n")
    assert reasons(ledger)["001"] == "row: a government-system proposal needs a lead unit"


def test_a_column_named_twice_is_a_file_error(tmp_path):
    with pytest.raises(LedgerError, match="named twice in the header: proposal_id"):
        load(tmp_path, "001,002,party,,,,,,,\n", header=HEADER.replace("title", "proposal_id"))


@pytest.mark.parametrize("content", ["", "\n\n"])
def test_an_empty_file_is_a_file_error(tmp_path, content):
    with pytest.raises(LedgerError, match="empty"):
        load(tmp_path, content, header="")
