"""Published figures vs the ledger's: printed-text parsing and comparison at printed precision."""

from __future__ import annotations

from decimal import Decimal

import pytest

from proposal_stats.published.printed import parse_percent

from proposal_stats.stats.compare import compare_headline, compare_rate
from proposal_stats.ledger import read_ledger
from proposal_stats.stats.metrics import headline
from proposal_stats.params import load_params

from .conftest import CITY, PREFECTURE


@pytest.mark.parametrize(
    ("text", "value", "places"),
    [
        ("占71.37%", "71.37", 2),
        ("24.6%", "24.6", 1),
        ("77.8 %", "77.8", 1),  # a space before the sign, as printed by Chuxiong prefecture 2023
        ("98%%", "98", 0),  # a doubled sign
        ("面商率100%", "100", 0),
        ("占比90.21％", "90.21", 2),  # full-width sign
    ],
)
def test_parse_percent(text, value, places):
    p = parse_percent(text)
    assert (p.value, p.places) == (Decimal(value), places)


@pytest.mark.parametrize("text", ["办复率为%", "", "共提出提案269件"])
def test_a_stripped_or_absent_percentage_is_missing_not_zero(text):
    assert parse_percent(text) is None


def test_printed_share_agrees_at_its_own_precision():
    assert compare_rate("B", 61, 248, Decimal("24.60"), "24.6%", None).verdict == "agrees"
    assert compare_rate("B", 61, 248, Decimal("24.60"), "24.60%", None).verdict == "agrees"
    wrong = compare_rate("B", 61, 248, Decimal("24.60"), "24.7%", None)
    assert wrong.verdict == "differs" and "rounds to 24.6" in wrong.detail


def test_comparison_uses_the_exact_ratio_not_a_rounded_share():
    # 2449/100000 = 2.449%: one decimal gives 2.4; rounding 2.45 (two decimals) again would give 2.5.
    assert compare_rate("x", 2449, 100000, Decimal("2.45"), "2.4%", None).verdict == "agrees"
    assert compare_rate("x", 2449, 100000, Decimal("2.45"), "2.5%", None).verdict == "differs"


def test_blank_printed_percentage_is_reported_missing():
    assert compare_rate("reply_rate", 248, 248, Decimal("100"), "办复率为%", None).verdict == "missing"


def test_wording_without_a_number_uses_the_transcribed_value():
    # "均已办复完毕" (all replied) transcribed as 100
    assert compare_rate("reply_rate", 248, 248, Decimal("100"), "均已办复完毕", 100).verdict == "agrees"
    assert compare_rate("reply_rate", 247, 248, Decimal("99.60"), "均已办复完毕", 100).verdict == "differs"


@pytest.mark.parametrize("params_file", [CITY, PREFECTURE])
def test_reference_reports_agree_with_their_published_figures(params_file):
    params = load_params(params_file)
    ledger = read_ledger(params.ledger, params)
    verdicts = {c.figure: c.verdict for c in compare_headline(headline(ledger.accepted, params.result_scheme), params.published)}
    printed = {k for k, v in verdicts.items() if v != "not printed"}
    assert all(verdicts[k] == "agrees" for k in printed), verdicts
    assert {"submitted", "assigned_to_government", "handling_units", "A share", "B share", "C share"} <= printed


def test_a_wrong_published_count_is_caught():
    params = load_params(CITY)
    ledger = read_ledger(params.ledger, params)
    figs = dict(params.published.figures)
    figs["handling_units"] = figs["handling_units"].model_copy(update={"value": 30})
    published = params.published.model_copy(update={"figures": figs})
    verdicts = {c.figure: c for c in compare_headline(headline(ledger.accepted, params.result_scheme), published)}
    assert verdicts["handling_units"].verdict == "differs"
    assert verdicts["handling_units"].detail == "printed 30, ledger 31"
