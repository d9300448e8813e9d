"""Metric unit tests, pinned to the 2023 Chuxiong city report and to hand-computed cases."""

from __future__ import annotations

from decimal import Decimal

import pytest

from proposal_stats.ledger import read_ledger
from proposal_stats.stats.metrics import category_counts, headline, per_unit, share
from proposal_stats.params import load_params

from .conftest import CITY, PREFECTURE, params_copy


@pytest.mark.parametrize(
    ("count", "base", "expected"),
    [
        (177, 248, "71.37"),  # reference report: 占71.37%
        (61, 248, "24.60"),  # printed as 24.6%
        (10, 248, "4.03"),
        (248, 248, "100.00"),
        (1, 800, "0.13"),  # exactly 0.125: half-up gives 0.13 (half-even would give 0.12)
        (3, 800, "0.38"),  # exactly 0.375
        (0, 5, "0.00"),
    ],
)
def test_share_rounds_half_up_at_two_decimals(count, base, expected):
    assert share(count, base) == Decimal(expected)
    assert str(share(count, base)) == expected


def test_share_over_nothing_is_undefined_not_zero():
    assert share(0, 0) is None


@pytest.mark.parametrize(("count", "base"), [(-1, 5), (6, 5), (1, -1)])
def test_share_rejects_impossible_counts(count, base):
    with pytest.raises(ValueError):
        share(count, base)


@pytest.fixture(scope="module")
def city():
    params = load_params(CITY)
    return params, read_ledger(params.ledger, params)


def test_reference_headline_reproduces_the_published_report(city):
    params, ledger = city
    h = headline(ledger.accepted, params.result_scheme)
    assert (h.submitted, h.assigned_to_government, h.not_government) == (269, 248, 21)
    assert h.handling_units == 31
    assert (h.replied, h.reply_rate) == (248, Decimal("100.00"))
    assert (h.f2f_consulted, h.f2f_rate) == (248, Decimal("100.00"))
    got = {c.code: (c.count, str(c.share)) for c in h.categories}
    assert got == {"A": (177, "71.37"), "B": (61, "24.60"), "C": (10, "4.03")}
    assert h.categorised == 248


def test_reference_summary_uses_percent_numbers(city):
    params, ledger = city
    s = headline(ledger.accepted, params.result_scheme).as_summary()
    assert s["categories"]["A"] == {"label": "已解决或正在解决", "count": 177, "share": 71.37}
    assert s["categories"]["B"]["share"] == 24.6
    assert s["reply_rate"] == 100.0 and s["f2f_rate"] == 100.0


def test_reference_per_unit_table_adds_up(city):
    params, ledger = city
    units = per_unit(ledger.proposals, ledger.assignments, params.result_scheme)
    leads = units[units["as_lead"] > 0]
    assert len(leads) == 31 and len(units) == 31  # the synthetic co-handlers are drawn from the same 31 units
    assert units["as_lead"].sum() == 248 and units["separately"].sum() == 0
    assert units["as_co_handler"].sum() == len(ledger.assignments) - 248
    assert units[["A", "B", "C"]].sum().to_dict() == {"A": 177, "B": 61, "C": 10}
    assert (units["A"] + units["B"] + units["C"] == units["as_lead"]).all()
    assert list(units["as_lead"]) == sorted(units["as_lead"], reverse=True)


def test_per_unit_counts_assignments_by_role(tmp_path):
    (tmp_path / "a.csv").write_text(
        "proposal_id,handling_unit,unit_role,replied_at,result_category\n"
        "001,市住建局,主办,2022-05-01,A\n001,市财政局,协办,,\n"
        "002,市财政局,主办,2022-05-02,B\n"
        "003,市水务局,分办,2022-05-03,A\n003,市财政局,分办,,\n",
        encoding="utf-8",
    )
    params = load_params(params_copy(CITY, tmp_path, ledger=str(tmp_path / "a.csv")))
    ledger = read_ledger(params.ledger, params)
    units = per_unit(ledger.proposals, ledger.assignments, params.result_scheme).set_index("handling_unit")
    assert units.loc["市财政局", ["as_lead", "as_co_handler", "separately", "A", "B", "replied"]].tolist() == [1, 1, 1, 0, 1, 1]
    assert units.loc["市水务局", ["as_lead", "separately", "A", "replied"]].tolist() == [0, 1, 1, 1]
    h = headline(ledger.proposals, params.result_scheme, ledger.assignments)
    assert (h.submitted, h.handling_units, h.replied) == (3, 3, 2)  # 003 waits for 市财政局's reply


def test_prefecture_headline():
    params = load_params(PREFECTURE)
    ledger = read_ledger(params.ledger, params)
    h = headline(ledger.accepted, params.result_scheme)
    assert (h.submitted, h.assigned_to_government, h.handling_units) == (429, 387, 65)
    assert category_counts(ledger.accepted, params.result_scheme).to_dict() == {"A": 301, "B": 57, "C": 29}
    assert [str(c.share) for c in h.categories] == ["77.78", "14.73", "7.49"]


HAND_LEDGER = """\
proposal_id,handling_system,lead_unit,co_handling_units,assigned_at,due_at,replied_at,result_category,f2f_consulted,satisfaction
001,government,市教育体育局,,2022-03-15,,2022-05-01,A,true,satisfied
002,government,市教育体育局,市财政局,2022-03-15,,2022-07-01,B,false,basically_satisfied
003,government,市财政局,,2022-03-15,2022-08-01,2022-07-20,A,true,dissatisfied
004,government,市水务局,,2022-03-15,,,,false,
005,party,,,,,,,,
"""


def test_hand_computed_ledger(tmp_path):
    """Four government proposals from three units; one unreplied; one party proposal.

    Due dates: 3 months after 2022-03-15 = 2022-06-15, except 003 (2022-08-01 given).
    On time: 001 (05-01) and 003 (07-20 ≤ 08-01); 002 replied 07-01 > 06-15 is late.
    """
    (tmp_path / "hand.csv").write_text(HAND_LEDGER, encoding="utf-8")
    params = load_params(params_copy(CITY, tmp_path, ledger=str(tmp_path / "hand.csv")))
    ledger = read_ledger(params.ledger, params)
    assert len(ledger.rejected) == 0
    h = headline(ledger.accepted, params.result_scheme)
    assert (h.submitted, h.assigned_to_government, h.not_government, h.handling_units) == (5, 4, 1, 3)
    assert (h.replied, str(h.reply_rate)) == (3, "75.00")
    assert (h.on_time, str(h.on_time_rate)) == (2, "50.00")
    assert (h.f2f_consulted, str(h.f2f_rate)) == (2, "50.00")
    assert h.categorised == 3
    assert {c.code: (c.count, str(c.share)) for c in h.categories} == {
        "A": (2, "66.67"),
        "B": (1, "33.33"),
        "C": (0, "0.00"),
    }
    # forms returned: satisfied, basically satisfied, dissatisfied = 3; inclusive satisfied = 2
    assert (h.feedback_returned, h.satisfied_inclusive, str(h.satisfaction_rate)) == (3, 2, "66.67")


def test_on_time_rate_is_undefined_without_due_dates(tmp_path):
    (tmp_path / "nodue.csv").write_text(
        "proposal_id,handling_system,lead_unit,replied_at,result_category,f2f_consulted\n"
        "001,government,市财政局,2022-05-01,A,true\n",
        encoding="utf-8",
    )
    params = load_params(params_copy(CITY, tmp_path, ledger=str(tmp_path / "nodue.csv")))
    h = headline(read_ledger(params.ledger, params).accepted, params.result_scheme)
    assert (h.on_time, h.on_time_rate) == (0, None)


def test_among_is_isin_without_the_python_objects():
    import numpy as np
    import pandas as pd

    from proposal_stats.stats.metrics import among

    values = pd.Series(["001", "002", None, "007", "", "002"], dtype="str")
    for ids in ({"002", "007"}, pd.Series(["002", "007", "009"], dtype="str"), ["", "001"]):
        expected = values.isin(set(ids)).to_numpy() & values.notna().to_numpy()
        assert np.array_equal(among(values, ids), expected), ids
    assert among(values, set()).tolist() == [False] * 6
