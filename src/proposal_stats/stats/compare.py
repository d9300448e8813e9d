"""Figures a government printed (claims) set beside the figures the ledger gives.

Printed percentages are compared **at the precision they were printed with**: "24.6%" agrees with
61/248 = 24.5967…% because that rounds half-up to 24.6 at one decimal. The comparison uses the exact
fraction, never an already-rounded share (rounding twice can move a digit).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..messages import Msg
from ..claims_format import Claims as Published
from ..claims_format import Figure as PublishedFigure
from ..published.printed import parse_percent, round_half_up
from .metrics import Headline, percent_text


@dataclass(frozen=True)
class Comparison:
    """One published figure beside the ledger's.

    ``verdict`` is ``"agrees"``, ``"differs"``, ``"not printed"`` (the report states no such
    figure), ``"missing"`` (the report's wording has a blank where the number should be) or
    ``"no ledger data"`` (the ledger does not record what the figure needs).
    """

    figure: str
    ledger_text: str
    printed_text: str
    verdict: str
    detail: Msg | str = ""  # a Msg: shown in the report's language


def _compare_count(name: str, ledger_value: int, fig: PublishedFigure | None) -> Comparison:
    if fig is None:
        return Comparison(name, str(ledger_value), "", "not printed")
    if fig.value is None:
        return Comparison(name, str(ledger_value), fig.text, "missing", Msg("the printed text has no number"))
    verdict = "agrees" if Decimal(fig.value) == ledger_value else "differs"
    detail = "" if verdict == "agrees" else Msg("printed %(printed)s, ledger %(ledger)s", printed=fig.value, ledger=ledger_value)
    return Comparison(name, str(ledger_value), fig.text, verdict, detail)


def compare_rate(name: str, count: int, base: int, ours: Decimal | None, printed_text: str, printed_value) -> Comparison:
    """Compare a percentage computed as ``count / base`` with a printed one.

    Args:
        name: the figure's name (for display).
        count, base: the ledger's numerator and denominator (whole proposals).
        ours: our 2-decimal share (for display only).
        printed_text: the printed wording; its last percentage is the printed figure.
        printed_value: the transcribed value, used when the wording prints no percentage
            (e.g. "all replied" transcribed as 100); such wording is exact, so it must match exactly.

    Returns:
        :class:`Comparison`; "agrees" when ``count / base`` rounded half-up to the printed number of
        decimals equals the printed number.
    """
    ledger_text = percent_text(ours)
    if ours is None and base > 0:
        return Comparison(name, ledger_text, printed_text, "no ledger data", Msg("the ledger does not record this for every proposal"))
    printed = parse_percent(printed_text)
    if printed is None and printed_value is not None:
        # Wording without a percentage ("均已办复完毕", all replied) states an exact figure.
        if base == 0:
            return Comparison(name, ledger_text, printed_text, "differs", Msg("the ledger has no denominator"))
        exact = Fraction(100 * count, base) == Fraction(str(printed_value))
        detail = (Msg("%(count)s/%(base)s is exactly %(value)s%% as the wording states", count=count, base=base, value=printed_value) if exact
                  else Msg("%(count)s/%(base)s is not exactly %(value)s%% as the wording states", count=count, base=base, value=printed_value))
        return Comparison(name, ledger_text, printed_text, "agrees" if exact else "differs", detail)
    if printed is None:
        return Comparison(name, ledger_text, printed_text, "missing", Msg("the printed text has no number"))
    if base == 0:
        return Comparison(name, ledger_text, printed_text, "differs", Msg("the ledger has no denominator"))
    at_precision = round_half_up(Fraction(100 * count, base), printed.places)
    if at_precision == printed.value:
        detail = Msg("%(count)s/%(base)s rounds to %(value)s at %(places)s decimal(s)", count=count, base=base, value=at_precision,
                     places=printed.places)
        return Comparison(name, ledger_text, printed_text, "agrees", detail)
    return Comparison(name, ledger_text, printed_text, "differs",
                      Msg("%(count)s/%(base)s rounds to %(value)s, printed %(printed)s", count=count, base=base, value=at_precision,
                          printed=printed.value))


#: Headline figure → the meaning of the figure vocabulary a printed figure states it by
#: (:mod:`proposal_stats.published.vocabulary`): a published block's figure is found by its meaning,
#: whatever it is called (``to_government`` as ``extract`` names it, ``assigned_to_government``).
HEADLINE_MEANINGS: dict[str, str] = {
    "submitted": "submitted", "assigned_to_government": "to_government", "assigned_to_government_share": "to_government_share",
    "handling_units": "handling_units", "replied": "replied", "reply_rate": "reply_rate", "on_time_rate": "on_time_rate",
    "f2f_rate": "f2f_rate", "satisfaction_rate": "satisfaction_rate",
}
# Scopes that make a figure another one than the report's own: a term's total, the year before, a
# first round of handling, key proposals only.
_OTHER_SCOPES = {"term", "previous", "first_round", "second_round", "key"}
_BODY_SCOPE = {"cppcc_proposals": "cppcc", "npc_suggestions": "npc"}


def printed_figure(published: Published, key: str, body: str = "") -> tuple[PublishedFigure | None, Msg | str]:
    """The printed figure for headline figure ``key``: the one named ``key``, else the first whose
    meaning is :data:`HEADLINE_MEANINGS` [key] and whose words set no other scope (a term, the year
    before, the other body than ``body``). Returns it (``None`` if the report prints none) and a note
    when the report prints that meaning with several values."""
    from ..published.vocabulary import meaning_of, scope_of

    figs = published.figures
    if key in figs:
        return figs[key], ""
    meaning = HEADLINE_MEANINGS.get(key, key)
    ours = _BODY_SCOPE.get(body, "")
    found = []
    for name, fig in figs.items():
        if meaning_of(name, fig) != meaning:
            continue
        scope = scope_of(name, fig, meaning)
        if set(scope[1:-1]) & _OTHER_SCOPES or ours and scope[-1] and ours not in scope[-1].split("+"):
            continue
        found.append((name, fig))
    if not found:
        return None, ""
    values = sorted({fig.value for _, fig in found if fig.value is not None})
    note = Msg("the report prints %(n)s values of this figure (%(values)s); compared with the first, %(name)s",
               n=len(values), values=", ".join(f"{v:f}" for v in values), name=found[0][0]) if len(values) > 1 else ""
    return found[0][1], note


def compare_headline(h: Headline, published: Published | None, body: str = "") -> list[Comparison]:
    """Each headline figure beside what the published report printed.

    Args:
        h: the ledger's headline figures.
        published: the params file's ``published:`` block, or ``None``. Its figures are found by
            meaning (:func:`printed_figure`): an extracted ``to_government`` is the printed
            ``assigned_to_government``.
        body: the report's body (``cppcc_proposals``, ``npc_suggestions``): of a text that prints
            both, the figures of this one.

    Returns:
        One :class:`Comparison` per headline figure and per result category, in report order.
    """
    results = published.results if published else None
    cats = {c.code: c for c in results.cats} if results else {}

    def printed(key: str) -> tuple[PublishedFigure | None, Msg | str]:
        return printed_figure(published, key, body) if published else (None, "")

    def noted(c: Comparison, note) -> Comparison:
        if not note:
            return c
        return Comparison(c.figure, c.ledger_text, c.printed_text, c.verdict, Msg("%(detail)s; %(note)s", detail=c.detail, note=note) if c.detail else note)

    def count(key: str, value: int) -> Comparison:
        fig, note = printed(key)
        return noted(_compare_count(key, value, fig), note)

    def rate(key: str, count: int, base: int, ours: Decimal | None) -> Comparison:
        fig, note = printed(key)
        if fig is None:
            return Comparison(key, percent_text(ours), "", "not printed")
        return noted(compare_rate(key, count, base, ours, fig.text, fig.value), note)

    out = [
        count("submitted", h.submitted),
        count("assigned_to_government", h.assigned_to_government),
        rate(
            "assigned_to_government_share",
            h.assigned_to_government,
            h.submitted,
            None if h.submitted == 0 else round_half_up(Fraction(100 * h.assigned_to_government, h.submitted), 2),
        ),
        count("handling_units", h.handling_units),
        count("replied", h.replied),
        rate("reply_rate", h.replied, h.assigned_to_government, h.reply_rate),
        rate("on_time_rate", h.on_time, h.assigned_to_government, h.on_time_rate),
        rate("f2f_rate", h.f2f_consulted, h.assigned_to_government, h.f2f_rate),
        rate("satisfaction_rate", h.satisfied_inclusive, h.feedback_returned, h.satisfaction_rate),
    ]
    if results is not None and results.base != h.categorised:
        out.append(Comparison("category base", str(h.categorised), str(results.base), "differs"))
    for c in h.categories:
        pc = cats.get(c.code)
        out.append(_compare_count(f"{c.code} count", c.count, None if pc is None or pc.count is None else PublishedFigure(value=pc.count, text=pc.text or str(pc.count))))
        if pc is None or not pc.share_text:
            out.append(Comparison(f"{c.code} share", percent_text(c.share), "", "not printed"))
        else:
            out.append(compare_rate(f"{c.code} share", c.count, h.categorised, c.share, pc.share_text, None))
    return out
