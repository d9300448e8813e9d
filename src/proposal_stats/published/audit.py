"""The arithmetic audit of a published report: every printed figure checked against the others.

Each :class:`Finding` has a ``kind`` (see :data:`KINDS`), a severity — **error** (a figure that is
wrong: no reading of the printed numbers produces it), **warning** (probably wrong or misleading),
**note** (a harmless printing habit, such as truncating instead of rounding) — and a sentence quoting
the printed text and showing the arithmetic. Shares are recomputed exactly (fractions) at the
precision they were printed with, under three rounding modes: half-up (the convention), half-even
and truncation.

Nothing depends on what a figure is called: a figure's meaning comes from its wording through the
figure vocabulary (:mod:`~proposal_stats.published.vocabulary`), every printed percentage is checked
for integer feasibility against the counts the report states, and every breakdown is audited.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from dataclasses import asdict, dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

from ..claims_format import Breakdown, Category, Claims, Figure
from ..messages import Msg, N_
from ..terms import STATUS_WORDS
from .printed import PrintedNumber, has_percent_sign, parse_percent
from .vocabulary import (COMBINED_CODES, PARTITIONS, SUMS, derive_links, figure_words, is_rate, meaning_of, meaning_of_text, meaning_words, printed_as_percent, rate_parts, scope_of, simplify)

MODES = {"half-up": ROUND_HALF_UP, "half-even": ROUND_HALF_EVEN, "truncation": ROUND_DOWN}

#: kind → (severity, what it means). Documented in README, "Published-report audit".
KINDS: dict[str, tuple[str, str]] = {
    "sum_mismatch": ("error", N_("the class counts do not add up to the base")),
    "base_mismatch": ("warning", N_("the breakdown's base equals no figure the report states")),
    "share_mismatch": ("error", N_("no rounding of count / base gives the printed share")),
    "impossible_percentage": ("error", N_("no whole number gives the printed percentage: of the stated base, or for the printed count of any base")),
    "share_other_base": ("warning", N_("the printed share is computed over another stated total, not the base")),
    "rounding_mode": ("note", N_("the share is truncated or rounded half-even rather than half-up (harmless)")),
    "dropped_trailing_zero": ("note", N_("printed with fewer decimals than its neighbours, e.g. 24.6% for 24.60% (harmless)")),
    "forced_to_100": ("warning", N_("one share was adjusted so the shares total exactly 100%")),
    "shares_total": ("error", N_("the shares total differs from 100% by more than their rounding allows")),
    "derived_mismatch": ("error", N_("a printed rate does not match the printed figures it is made of")),
    "sum_of_rounded_shares": ("error", N_("a combined share (A+B) differs from the share of the summed counts: it is the sum of the rounded shares")),
    "approximate_wording": ("error", N_("a share worded 约/以上/超过/近… is outside the bound its wording states")),
    "missing_number": ("warning", N_("a blank where a number was stripped from the printed text (e.g. 率为%)")),
    "share_base_unknown": ("note", N_("a count printed with a share (占…%) of a total the report does not print")),
    "overlapping_classes": ("note", N_("the classes add up to more than the base because the text counts an item in several classes (包括会同办理)")),
    "conflicting_figures": ("error", N_("one meaning printed with two values, and no year, term, body, round or subset in the words tells them apart")),
    "parts_mismatch": ("error", N_("the printed parts of a total (filed, merged, converted and not filed of the received; …) add up to more "
                                   "than it, or, every part printed, not to it")),
}

#: Meanings that state a total a share may be taken over (a breakdown's base, another stated total).
TOTAL_MEANINGS = ("submitted", "filed", "to_government", "replied", "forms_returned", "submitted_in_session")
_APPROX = re.compile(r"(约|大约|近|将近|接近|以上|超过|逾|不到|不足|多)")
# "占代表建议总数105件的95.24%": the base stated inside the share's own phrase.
_SHARE_OF = re.compile(r"占([^%,，;；。\d]{0,16}?)(\d+)\s*(件|个|家|名|位|人|份)\s*的?\s*[\d.]+\s*%")
# "占立案总数的…", "占提案总数的…": the base named by meaning.
_BASE_WORDS = (("members", r"(委员|代表)(总数|总人数|人数)"), ("filed", r"立案"), ("to_government", r"承办|交办|办理"),
               ("submitted", r"提案|建议|总数|总量"))
_OVERLAP = re.compile(r"(包括|含|包含).{0,4}(会同|协办|会办|联合)|重复计")


@dataclass(frozen=True)
class Finding:
    """One audit finding: report, ``kind`` (see :data:`KINDS`), severity (error / warning / note),
    where in the report, the printed text concerned, and a sentence explaining it."""

    report_id: str
    kind: str
    severity: str
    where: str
    printed: str
    message: str

    def as_dict(self) -> dict:
        """The finding as a JSON-ready dict."""
        return asdict(self)


def rounded(value: Fraction, places: int, mode: str) -> Decimal:
    """An exact percentage rounded to ``places`` decimals by ``mode`` (a key of :data:`MODES`)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=MODES[mode])


def modes_reproducing(count: int, base: int, printed: PrintedNumber) -> list[str]:
    """Rounding modes under which ``count / base × 100`` at the printed precision is the printed value."""
    if base <= 0:
        return []
    exact = Fraction(100 * count, base)
    return [m for m in MODES if rounded(exact, printed.places, m) == printed.value]


def _counts_for(base: int, printed: PrintedNumber) -> dict[str, int]:
    """Mode → a whole number k of ``base`` with k/base printing as ``printed`` under that mode."""
    centre = int(printed.value * base / 100)
    found: dict[str, int] = {}
    for k in range(max(0, centre - 2), min(base, centre + 2) + 1):
        for m in modes_reproducing(k, base, printed):
            found.setdefault(m, k)
    return found


def possible_with_base(base: int, printed: PrintedNumber) -> bool:
    """Whether any whole number k of ``base`` gives the printed percentage under some mode."""
    return base > 0 and bool(_counts_for(base, printed))


#: Rounding modes in words (a finding names the one that reproduces a printed share).
MODE_WORDS = {"half-up": N_("half-up"), "half-even": N_("half-even"), "truncation": N_("truncation")}


def _modes(modes) -> list[Msg]:
    return [Msg(MODE_WORDS.get(m, m)) for m in modes]


def _unit(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def _pct(exact: Fraction) -> str:
    return f"{Decimal(exact.numerator) / Decimal(exact.denominator):.4f}".rstrip("0").rstrip(".")


def _shows(k: int, n: int, places: int) -> str:
    """``7/8 = 87.5% → 88``: a fraction, its exact percentage and what it prints as (half-up)."""
    exact = Fraction(100 * k, n)
    return f"{k}/{n} = {_pct(exact)}% → {rounded(exact, places, 'half-up')}"


def _neighbour_counts(base: int, printed: PrintedNumber) -> str:
    """The whole numbers of ``base`` either side of the printed percentage, and what they print as
    (over 100%: the whole, ``8/8 = 100% → 100``, the most a part can be)."""
    low = min(math.floor(printed.value * base / 100), base)
    return ", ".join(_shows(k, base, printed.places) for k in (low, low + 1) if 0 <= k <= base)


def _neighbour_bases(count: int, printed: PrintedNumber) -> str:
    """The bases either side of ``count`` / printed percentage, and what they print as (over 100%:
    the smallest base a count can be part of, ``count/count = 100%``)."""
    high = max(math.floor(Decimal(100 * count) / printed.value) if printed.value else count, count)
    return ", ".join(_shows(count, n, printed.places) for n in (high + 1, high) if n >= max(count, 1))


def _over_100(printed: PrintedNumber) -> bool:
    """A share printed above 100%: no part is more than its whole."""
    return printed.value > 100


def bases_for(count: int, printed: PrintedNumber, at_least: int = 1, limit: int = 1_000_000) -> range | None:
    """Whole bases N ≥ ``at_least`` that could give ``count`` / N printing as ``printed`` under some
    mode: a range to test (``None`` when every large base would do, e.g. a printed 0%)."""
    p, u = printed.value, _unit(printed.places)
    if p - u / 2 <= 0:
        return None
    low = math.floor(Decimal(100 * count) / (p + u))
    high = math.ceil(Decimal(100 * count) / (p - u / 2))
    return range(max(low, at_least), min(high, limit) + 1)


def _approx_violation(text: str, exact: Fraction, printed: PrintedNumber) -> Msg | None:
    """The bound an approximate wording states, if the exact share breaks it; else None."""
    word = _APPROX.search(text or "")
    if not word:
        return None
    actual = Decimal(exact.numerator) / Decimal(exact.denominator)
    p, unit = printed.value, _unit(printed.places)
    w = word.group(1)
    if w in ("以上",):
        ok, bound = actual >= p, Msg("at least %(p)s%%", p=p)
    elif w in ("超过", "逾", "多"):
        ok, bound = actual > p, Msg("more than %(p)s%%", p=p)
    elif w in ("不到", "不足"):
        ok, bound = actual < p, Msg("less than %(p)s%%", p=p)
    elif w in ("近", "将近", "接近"):
        ok, bound = p - unit <= actual <= p, Msg("just under %(p)s%% (within %(unit)s)", p=p, unit=unit)
    else:  # 约, 大约: about, i.e. within one unit of the last printed digit
        ok, bound = abs(actual - p) <= unit, Msg("within %(unit)s of %(p)s%%", unit=unit, p=p)
    return None if ok else Msg("“%(word)s” states %(bound)s, but the figures give %(actual)s%%", word=w, bound=bound, actual=f"{actual:.2f}")


class _Report:
    """What one report states: each figure's meaning, its integral values, and the totals."""

    def __init__(self, c: Claims):
        self.c = c
        self.names = list(c.figures)
        self.meaning = {n: meaning_of(n, f) for n, f in c.figures.items()}
        self.ints = {n: int(f.value) for n, f in c.figures.items() if f.value is not None and f.value == f.value.to_integral()}
        # whole numbers stated as counts: not a rate, not printed as a percentage (95% is no base)
        self.counts = {n: v for n, v in self.ints.items() if not is_rate(self.meaning[n]) and not printed_as_percent(c.figures[n].text, c.figures[n].value)}
        self.breakdowns = c.all_breakdowns()

    def find(self, meaning: str, near: str | None = None) -> tuple[str, int] | None:
        """The stated figure of ``meaning`` nearest before ``near`` (then after it) as (what, value);
        a sum of its parts (:data:`SUMS`: 950 + 24) when only the parts are printed."""
        at = self.names.index(near) if near in self.names else len(self.names)
        pool = [i for i, n in enumerate(self.names) if self.meaning[n] == meaning and n in self.ints and n != near]
        suffix = re.search(r"_(19|20)\d{2}$", near or "")
        if suffix:
            pool = [i for i in pool if self.names[i].endswith(suffix.group(0))] or pool
        if pool:
            before = [i for i in pool if i < at]
            name = self.names[before[-1] if before else pool[0]]
            return name, self.ints[name]
        parts = [self.find(p, near) for p in SUMS.get(meaning, ())]
        if parts and all(parts):
            return _plus([Msg("%(name)s %(value)s", name=self.words(n), value=v) for n, v in parts]), sum(v for _, v in parts)
        return self.in_breakdowns(meaning)

    def words(self, what: str) -> Msg | str:
        """What a finding calls a figure: its meaning in words (and its name when that differs,
        :func:`~proposal_stats.published.vocabulary.figure_words`); a breakdown's base as such."""
        if isinstance(what, Msg):
            return what
        if what in self.c.figures:
            return figure_words(what, self.meaning[what])
        if what == "base" or what.endswith(".base"):
            return Msg("the base of %(breakdown)s", breakdown=Msg(_PARTS.get(what.rpartition(".")[0] or "results", what.rpartition(".")[0])))
        return what

    def in_breakdowns(self, meaning: str) -> tuple[str, int] | None:
        """A count of ``meaning`` printed as a class of a breakdown (满意80份 among the evaluations):
        its label states it. Only when exactly one class does."""
        found = [(c.label, c.count) for name, b in self.breakdowns for c in b.cats
                 if c.count is not None and c.label and meaning_of_text(c.label, False) == meaning]
        return found[0] if len(found) == 1 else None

    def totals(self) -> dict[str, int]:
        """Stated totals a share may be taken over: figures meaning a total, and breakdown bases."""
        out = {n: v for n, v in self.ints.items() if self.meaning[n] in TOTAL_MEANINGS}
        for name, b in self.breakdowns:
            if b.base:
                out.setdefault(f"{name}.base", b.base)
        for meaning in SUMS:
            found = self.find(meaning)
            if found and found[0] not in out:
                out[found[0]] = found[1]
        return out

    def stated(self, besides: Breakdown | None = None) -> set[int]:
        """Every count the report states outside breakdown ``besides``: figures that are counts (not
        rates or percentages), breakdown bases and classes, and the sum of each printed list of
        classes (a base "承办总数" that is 185 + 261)."""
        out = set(self.counts.values())
        for _, b in self.breakdowns:
            if b is besides:
                continue
            counts = [cat.count for cat in b.cats if cat.count is not None]
            out |= set(counts) | ({b.base} if b.base else set()) | ({sum(counts)} if counts else set())
        for meaning in SUMS:
            found = self.find(meaning)
            if found:
                out.add(found[1])
        by_meaning: dict[str, list[int]] = {}
        for n, v in self.counts.items():
            if self.meaning[n]:
                by_meaning.setdefault(self.meaning[n], []).append(v)
        out |= {sum(vs) for vs in by_meaning.values() if len(vs) > 1}  # 承办总数: NPC suggestions + CPPCC proposals
        return out


#: The parts of a claims file, in words (a breakdown's base is named by its part).
_PARTS = {"results": N_("results"), "topics": N_("topics"), "figures": N_("figures"), "breakdowns": N_("breakdowns")}


def _plus(items: list) -> Msg | str:
    """``a + b + c`` of words that may be translated: one message per ``+``."""
    out = items[0] if items else ""
    for item in items[1:]:
        out = Msg("%(a)s + %(b)s", a=out, b=item)
    return out


def _breakdown(rep: _Report, name: str, b: Breakdown) -> list[Finding]:
    report_id = rep.c.id
    out: list[Finding] = []

    def find(kind, where, printed, message, severity=None):
        out.append(Finding(report_id, kind, severity or KINDS[kind][0], where, printed, message))

    counts = [c.count for c in b.cats]
    if b.base is None:
        return _unstated_base(rep, name, b)
    base = b.base
    overlapping = b.overlapping or bool(_OVERLAP.search(simplify(" ".join([b.text] + [c.text for c in b.cats]))))
    if all(c is not None for c in counts):
        total = sum(counts)
        listed = " + ".join(str(c) for c in counts)
        if total > base and overlapping:
            find("overlapping_classes", name, f"base {base}",
                 Msg("the classes add up to %(listed)s = %(total)s, %(more)s more than the base %(base)s: the text counts some items in "
                     "several classes", listed=listed, total=total, more=total - base, base=base))
        elif total != base and (not b.partial or total > base):
            find("sum_mismatch", name, f"base {base}", Msg("the classes add up to %(listed)s = %(total)s, not the base %(base)s",
                                                            listed=listed, total=total, base=base))
    others = sorted(rep.stated(besides=b))
    if others and base not in others:
        stated = ", ".join(map(str, others[:12])) + ("…" if len(others) > 12 else "")
        find("base_mismatch", name, f"base {base}",
             Msg("the breakdown's base %(base)s equals no figure the report states (%(stated)s)", base=base, stated=stated))

    totals = rep.totals()
    shares = []
    for c in b.cats:
        label = c.code or c.label
        where = f"{name}: {label}"
        if not c.share_text:
            continue
        printed = parse_percent(c.share_text)
        if printed is None:
            if has_percent_sign(c.share_text):
                find("missing_number", where, c.share_text, Msg("“%(text)s” has a percent sign but no number: missing, not 0", text=c.share_text))
            continue
        shares.append((c, printed, where))
        if c.count is None:
            out += _feasible(report_id, where, c.text or c.share_text, base, printed, Msg("the base %(base)s", base=base))
            continue
        out += _count_over_base(report_id, where, c.count, base, printed, c.text or c.share_text, c.share_text, totals, rep.words)

    out = _forced_to_100(report_id, out, shares, base, b.partial)
    out += _trailing_zeros(report_id, shares, base)
    if shares and not b.partial and len(shares) == len(b.cats) and all(c.count is not None for c in b.cats) and sum(counts) == base:
        printed_total = sum(p.value for _, p, _ in shares)
        allowed = sum(_unit(p.places) for _, p, _ in shares)
        if abs(printed_total - 100) > allowed:
            find("shares_total", name, " + ".join(c.share_text for c, _, _ in shares),
                 Msg("the printed shares total %(total)s%%, more than their rounding allows (%(allowed)s) away from 100%%",
                     total=printed_total, allowed=allowed))
    return out


def _count_over_base(report_id, where, count, base, printed, text, share_text, totals, words=str) -> list[Finding]:
    """A printed count with its printed share of a known base: exact, another rounding, another
    stated total, impossible, or wrong."""
    exact = Fraction(100 * count, base) if base else None
    if exact is None:
        return []
    violation = _approx_violation(text, exact, printed)
    if violation:
        return [Finding(report_id, "approximate_wording", "error", where, text, violation)]
    if _APPROX.search(text or ""):
        return []  # approximate wording within its bound: no exactness to check
    modes = modes_reproducing(count, base, printed)
    if "half-up" in modes:
        return []
    if modes:
        return [Finding(report_id, "rounding_mode", "note", where, share_text,
                        Msg("%(fraction)s = %(exact)s%% gives “%(printed)s” by %(modes)s, not half-up (%(half_up)s)",
                            fraction=f"{count}/{base}", exact=_pct(exact), printed=share_text, modes=_modes(modes),
                            half_up=rounded(exact, printed.places, "half-up")))]
    other = [k for k, v in totals.items() if v != base and modes_reproducing(count, v, printed)]
    if other:
        return [Finding(report_id, "share_other_base", "warning", where, share_text,
                        Msg("“%(printed)s” is %(fraction)s (%(total)s), not %(shown)s", printed=share_text,
                            fraction=f"{count}/{totals[other[0]]}", total=words(other[0]), shown=_shows(count, base, printed.places)))]
    if _over_100(printed) and count <= base:
        return [Finding(report_id, "impossible_percentage", "error", where, share_text,
                        Msg("“%(printed)s” of %(base)s is impossible: a share is never over 100%% (%(neighbours)s); the %(count)s printed "
                            "give %(exact)s%%", printed=share_text, base=base, neighbours=_neighbour_counts(base, printed), count=count,
                            exact=_pct(exact)))]
    if not possible_with_base(base, printed):
        return [Finding(report_id, "impossible_percentage", "error", where, share_text,
                        Msg("no whole number of the %(base)s gives %(printed)s%% (%(neighbours)s); the %(count)s printed give %(exact)s%%",
                            base=base, printed=printed.value, neighbours=_neighbour_counts(base, printed), count=count, exact=_pct(exact)))]
    return [Finding(report_id, "share_mismatch", "error", where, share_text,
                    Msg("%(fraction)s = %(exact)s%%, which no rounding prints as “%(printed)s” (half-up: %(half_up)s)",
                        fraction=f"{count}/{base}", exact=_pct(exact), printed=share_text, half_up=rounded(exact, printed.places, "half-up")))]


def _feasible(report_id, where, text, base, printed, of) -> list[Finding]:
    """A printed percentage of a stated base with no count: is there a whole count that gives it?"""
    if _APPROX.search(text or "") or base <= 0:
        return []
    if _over_100(printed):
        return [Finding(report_id, "impossible_percentage", "error", where, text,
                        Msg("%(printed)s%% of %(of)s is impossible: a share is never over 100%% (the most is %(neighbours)s)", of=of,
                            printed=printed.value, neighbours=_neighbour_counts(base, printed)))]
    found = _counts_for(base, printed)
    if "half-up" in found:
        return []
    if found:
        mode, k = next(iter(found.items()))
        return [Finding(report_id, "rounding_mode", "note", where, text,
                        Msg("no whole number of %(of)s gives %(printed)s%% under half-up (%(neighbours)s); %(mode)s of %(fraction)s gives it",
                            of=of, printed=printed.value, neighbours=_neighbour_counts(base, printed), mode=Msg(MODE_WORDS[mode]),
                            fraction=f"{k}/{base}"))]
    return [Finding(report_id, "impossible_percentage", "error", where, text,
                    Msg("no whole number of %(of)s gives %(printed)s%%: %(neighbours)s", of=of, printed=printed.value,
                        neighbours=_neighbour_counts(base, printed)))]


def _unstated_base(rep: _Report, name: str, b: Breakdown) -> list[Finding]:
    """Classes of one breakdown share one base: when it is not stated, is there one whole base that
    gives every printed share with a count? (Each can be possible alone and impossible together.)"""
    rows = [(c, parse_percent(c.share_text)) for c in b.cats if c.count is not None and c.share_text and not _APPROX.search(c.text or c.share_text)]
    rows = [(c, p) for c, p in rows if p is not None]
    if not rows:
        return []
    at_least = max(1, sum(c.count for c in b.cats if c.count is not None))
    ranges = [bases_for(c.count, p, at_least) for c, p in rows]
    bounded = [(r, c, p) for r, (c, p) in zip(ranges, rows) if r is not None]
    if not bounded:
        return []
    narrow = min(bounded, key=lambda t: len(t[0]))[0]
    if any(all(modes_reproducing(c.count, n, p) for c, p in rows) for n in narrow):
        return []
    shown = "; ".join(f"{c.code or c.label} {c.count} at {c.share_text}: {_neighbour_bases(c.count, p)}" for c, p in rows)
    alone = [c for r, c, p in bounded if not any(modes_reproducing(c.count, n, p) for n in r)]
    what = (Msg("the base is not stated and no whole base gives the printed share of %(classes)s (%(shown)s)",
                classes=", ".join(c.code or c.label for c in alone), shown=shown) if alone
            else Msg("the base is not stated and no whole base gives every printed share together (%(shown)s)", shown=shown))
    return [Finding(rep.c.id, "impossible_percentage", "error", name, " / ".join(c.share_text for c, _ in rows), what)]


def _forced_to_100(report_id: str, findings: list[Finding], shares, base: int, partial: bool) -> list[Finding]:
    """Shares that total exactly 100 only because one was moved by a unit: 'forced to 100' (a plug).
    Several moved shares are not one plug: the others are wrong, and double rounding is named
    when it explains them (4.5455 → 4.55 → 4.6)."""
    if partial or not shares or any(c.count is None for c, _, _ in shares) or base == 0:
        return findings
    if sum(p.value for _, p, _ in shares) != 100:
        return findings
    off = [(c, p, w) for c, p, w in shares if rounded(Fraction(100 * c.count, base), p.places, "half-up") != p.value]
    if not off or any(abs(rounded(Fraction(100 * c.count, base), p.places, "half-up") - p.value) > _unit(p.places) for c, p, _ in off):
        return findings
    moved = {w for _, _, w in off}
    kept = [f for f in findings if not (f.where in moved and f.kind in ("share_mismatch", "rounding_mode", "impossible_percentage"))]
    for c, p, w in off:
        exact = Fraction(100 * c.count, base)
        half_up = rounded(exact, p.places, "half-up")
        if len(off) == 1:
            kept.append(Finding(report_id, "forced_to_100", KINDS["forced_to_100"][0], w, c.share_text,
                                Msg("“%(printed)s” where %(fraction)s rounds to %(half_up)s%%: moved by one unit so the shares total exactly 100%%",
                                    printed=c.share_text, fraction=f"{c.count}/{base}", half_up=half_up)))
            continue
        twice = rounded(Fraction(rounded(exact, p.places + 1, "half-up")), p.places, "half-up")
        args = dict(fraction=f"{c.count}/{base}", exact=_pct(exact), half_up=half_up, printed=c.share_text, moved=len(off))
        if twice == p.value:
            message = Msg("%(fraction)s = %(exact)s%% prints %(half_up)s, not “%(printed)s”: %(moved)s shares were moved to total exactly "
                          "100%%, more than one plug; rounding twice gives it (%(twice)s)",
                          twice=f"{_pct(exact)} → {rounded(exact, p.places + 1, 'half-up')} → {twice}", **args)
        else:
            message = Msg("%(fraction)s = %(exact)s%% prints %(half_up)s, not “%(printed)s”: %(moved)s shares were moved to total exactly "
                          "100%%, more than one plug", **args)
        kept.append(Finding(report_id, "share_mismatch", "error", w, c.share_text, message))
    return kept


def _trailing_zeros(report_id: str, shares, base: int) -> list[Finding]:
    if len(shares) < 2 or base == 0:
        return []
    most = max(p.places for _, p, _ in shares)
    out = []
    for c, p, where in shares:
        if p.places < most and c.count is not None:
            exact = Fraction(100 * c.count, base)
            at_most = rounded(exact, most, "half-up")
            if at_most == p.value and exact != Fraction(p.value):  # 24.5968 → 24.60 printed 24.6; 77/140 = 55 exactly is simply 55%
                out.append(Finding(report_id, "dropped_trailing_zero", "note", where, c.share_text,
                                   Msg("“%(printed)s” is %(value)s%% with its trailing zero dropped (others have %(places)s decimals)",
                                       printed=c.share_text, value=at_most, places=most)))
    return out


def _share_base(rep: _Report, name: str, fig: Figure) -> tuple[str, int] | str | None:
    """The base of a share printed in a figure's own sentence: a number inside 占…的 ("占代表建议
    总数105件的95.24%"), a total named by meaning ("占立案总数的"), or None."""
    text = simplify(fig.text)
    stated = _SHARE_OF.search(text)
    if stated:
        return (Msg(N_("the base printed beside it")), int(stated.group(2)))
    phrase = re.search(r"占([^%]{0,12}?)(总数|总量)", text)
    if phrase:
        for meaning, words in _BASE_WORDS:
            if re.search(words, phrase.group(0)):
                return rep.find(meaning, name) or "unstated"
    return None


def _figures(rep: _Report) -> list[Finding]:
    c = rep.c
    out: list[Finding] = []
    cats = {cat.code: cat for cat in (c.results.cats if c.results else ())}
    links = derive_links(c.figures)
    counted = {}  # counts printed with their share, "满意70件,占86.4%"
    for name, fig in c.figures.items():
        where = f"figures.{name}"
        printed = parse_percent(fig.text)
        if printed is None and has_percent_sign(fig.text):
            out.append(Finding(c.id, "missing_number", "warning", where, fig.text,
                               Msg("“%(text)s” has a percent sign but no number: missing, not 0", text=fig.text)))
            continue
        combined = _combined_codes(fig.text, cats)
        if fig.derived is not None:
            out += _derived(rep, name, fig, printed, cats, fig.derived.of, fig.derived.over)
        elif combined and c.results and c.results.base:
            out += _derived(rep, name, fig, printed, cats, combined, "base")
        elif printed is not None and fig.value is not None and _count_with_share(fig.value, fig.text):
            counted[name] = fig
        elif is_rate(rep.meaning[name]):
            out += _rate(rep, name, fig, printed, cats, links)
        elif printed is not None:
            base = _share_base(rep, name, fig)
            if isinstance(base, tuple):
                out += _feasible(c.id, where, fig.text, base[1], printed, Msg("%(value)s (%(what)s)", value=base[1], what=rep.words(base[0])))
    return out + _counted(rep, counted)


def _rate(rep: _Report, name, fig, printed, cats, links) -> list[Finding]:
    """A rate linked to its parts by meaning: exact when the parts are printed, integer feasibility
    over the denominator when only it is."""
    if name in links:
        nums, den = links[name]
        return _derived(rep, name, fig, printed, cats, nums, den)
    of, over = rate_parts(rep.meaning[name])
    den = next((d for d in (rep.find(m, name) for m in over) if d), None)
    if den is None:
        return []
    nums = [rep.find(m, name) for m in of]
    if nums and all(nums):
        num = sum(v for _, v in nums)
        return _check_rate(rep.c.id, name, fig, printed, num, den[1], _plus([rep.words(n) for n, _ in nums]), rep.words(den[0]), cats, of)
    if printed is None:
        return []
    return _feasible(rep.c.id, f"figures.{name}", fig.text, den[1], printed, Msg("%(value)s (%(what)s)", value=den[1], what=rep.words(den[0])))


def _counted(rep: _Report, counted: dict[str, Figure]) -> list[Finding]:
    """Counts printed with a share: grouped when they add up to a printed total (one breakdown over
    it), else over the base the sentence names, else over any stated total, else feasibility."""
    c, out = rep.c, []
    if not counted:
        return out
    integral = dict(rep.counts)
    if c.results and c.results.base:
        integral["results.base"] = c.results.base
    grouped: set[str] = set()
    for total_name, total in sorted(integral.items(), key=lambda kv: -kv[1]):
        parts = {k: f for k, f in counted.items() if k != total_name and k not in grouped and int(f.value) < total}
        if len(parts) > 1 and sum(int(f.value) for f in parts.values()) == total:
            # Counts that add up to a printed total are one breakdown over it: audited as such, a
            # share nudged so the group totals 100% shows up as "forced to 100".
            group = Breakdown(base=total, cats=tuple(Category(code=k, count=int(f.value), share_text=f.text, text=f.text) for k, f in parts.items()))
            label = f"figures over {total_name}"
            out += [Finding(x.report_id, x.kind, x.severity, x.where.replace(f"{label}: ", "figures."), x.printed, x.message)
                    for x in _breakdown(rep, label, group) if x.kind != "base_mismatch"]
            grouped |= set(parts)
    totals = rep.totals()
    for name, fig in counted.items():
        if name in grouped:
            continue
        count, printed, where = int(fig.value), parse_percent(fig.text), f"figures.{name}"
        base = _share_base(rep, name, fig)
        if isinstance(base, tuple):
            out += _count_over_base(c.id, where, count, base[1], printed, fig.text, fig.text, totals)
            continue
        if any(modes_reproducing(count, v, printed) for k, v in integral.items() if k != name and v >= count):
            continue
        r = bases_for(count, printed, max(count, 1))
        if _over_100(printed) and not _APPROX.search(fig.text):
            out.append(Finding(c.id, "impossible_percentage", "error", where, fig.text,
                               Msg("%(count)s as %(printed)s%% of a total is impossible: a share is never over 100%% (the smallest total "
                                   "%(count)s can be part of gives %(neighbours)s)", count=count, printed=printed.value,
                                   neighbours=_shows(count, count, printed.places))))
        elif r is not None and not _APPROX.search(fig.text) and not any(modes_reproducing(count, n, printed) for n in r):
            out.append(Finding(c.id, "impossible_percentage", "error", where, fig.text,
                               Msg("no whole number has %(count)s as %(printed)s%% of it: %(neighbours)s", count=count, printed=printed.value,
                                   neighbours=_neighbour_bases(count, printed))))
        else:
            out.append(Finding(c.id, "share_base_unknown", "note", where, fig.text,
                               Msg("%(count)s is %(printed)s%% of no total the report prints: its base is not stated", count=count,
                                   printed=printed.value)))
    return out


def _count_with_share(value: Decimal, text: str) -> bool:
    """Whether ``text`` prints ``value`` as a count (件/个/名/人/条) together with a share (占…%), and
    not as the base of that share ("占代表建议总数105件的95.24%")."""
    if value != value.to_integral() or "占" not in text and "佔" not in text:
        return False
    count = re.search(rf"(?<![\d.]){int(value)}\s*(件|个|個|名|人|条|條|项|項|份|家)", text)
    return count is not None and not re.search(rf"占[^%]{{0,16}}(?<![\d.]){int(value)}\s*\S?\s*的", simplify(text))


def _combined_codes(text: str, cats: dict) -> tuple[str, ...]:
    """Result codes a combined share names ("A、B类占93.7%"), as the breakdown's codes; ``()`` if none."""
    found = COMBINED_CODES.search(simplify(text or ""))
    if not found or parse_percent(text) is None:
        return ()
    by_letter = {code.split()[0]: code for code in cats}
    codes = tuple(by_letter.get(g) for g in found.groups() if g)
    return codes if all(codes) and len(codes) > 1 else ()


def _derived(rep: _Report, name: str, fig, printed, cats, of, over) -> list[Finding]:
    c = rep.c
    parts = []
    for part in of:
        if part in c.figures and c.figures[part].value is not None:
            parts.append(int(c.figures[part].value))
        elif part in cats and cats[part].count is not None:
            parts.append(cats[part].count)
        else:
            return []
    if over == "base":
        total = c.results.base if c.results else None
    else:
        total = int(c.figures[over].value) if over in c.figures and c.figures[over].value is not None else None
    if not total:
        return []
    return _check_rate(c.id, name, fig, printed, sum(parts), total, _plus([rep.words(p) for p in of]), rep.words(over), cats, of)


def _check_rate(report_id, name, fig, printed, num, over, num_label, over_label, cats, of) -> list[Finding]:
    where = f"figures.{name}"
    if printed is None:
        if fig.value is None:
            return []
        value = Decimal(str(fig.value))
        printed = PrintedNumber(value, max(0, -value.normalize().as_tuple().exponent))
    exact = Fraction(100 * num, over)
    violation = _approx_violation(fig.text, exact, printed)
    if violation:
        return [Finding(report_id, "approximate_wording", "error", where, fig.text, violation)]
    if _APPROX.search(fig.text):
        return []
    modes = modes_reproducing(num, over, printed)
    if "half-up" in modes:
        return []
    if modes:
        return [Finding(report_id, "rounding_mode", "note", where, fig.text,
                        Msg("%(fraction)s = %(exact)s%% gives %(printed)s%% by %(modes)s, not half-up", fraction=f"{num}/{over}",
                            exact=_pct(exact), printed=printed.value, modes=_modes(modes)))]
    shares = [parse_percent(cats[p].share_text) for p in of if p in cats and cats[p].share_text]
    summed = len(shares) == len(of) > 1 and all(shares) and sum(s.value for s in shares) == printed.value
    if len(of) > 1 and all(p in cats for p in of):
        args = dict(classes=" + ".join(of), fraction=f"{num}/{over}", exact=_pct(exact), half_up=rounded(exact, printed.places, "half-up"),
                    printed=printed.value)
        if summed:
            message = Msg("%(classes)s together are %(fraction)s = %(exact)s%% → %(half_up)s, not %(printed)s%%; it is the sum of the printed "
                          "shares (%(sum)s = %(printed)s), which explains the mistake but does not make it right",
                          sum=" + ".join(str(s.value) for s in shares), **args)
        else:
            message = Msg("%(classes)s together are %(fraction)s = %(exact)s%% → %(half_up)s, not %(printed)s%%", **args)
        return [Finding(report_id, "sum_of_rounded_shares", "error", where, fig.text, message)]
    return [Finding(report_id, "derived_mismatch", "error", where, fig.text,
                    Msg("%(num)s over %(over)s is %(fraction)s = %(exact)s%%, which no rounding prints as %(printed)s%% (half-up: %(half_up)s)",
                        num=num_label, over=over_label, fraction=f"{num}/{over}", exact=_pct(exact), printed=printed.value,
                        half_up=rounded(exact, printed.places, "half-up")))]


#: Meanings a report may print several values of in one scope: each is one of many by nature.
SEVERAL_VALUES = frozenset({"increase", "increase_rate", "previous_share", "lead_items", "co_items", "committee_count"})
_APPROX_NUMBER = r"(约|大约|近|将近|接近|超过|逾|不到|不足|达到?)?\s*{n}\s*(?:%|件|个|家|名|位|人次|人|项|份|条)?\s*(以上|以下|左右|多|余)?"


def _approximate(fig: Figure) -> bool:
    """Whether a figure's number is printed as a bound (约, 超过…以上): not a value to contradict."""
    return _bound(fig.text, fig.value)


@lru_cache(maxsize=65536)
def _bound(text: str, value: Decimal) -> bool:
    number = f"{value.normalize():f}"
    found = re.search(_APPROX_NUMBER.format(n=re.escape(number)), simplify(text))
    return bool(found and ((found.group(1) or "").startswith(("约", "大约", "近", "将近", "接近", "超过", "逾", "不到", "不足")) or found.group(2)))


def _same_rate(a: Decimal, b: Decimal) -> bool:
    """Two printed percentages that can be one value at different precisions (95.58 and 95.6)."""
    places = min(max(0, -a.normalize().as_tuple().exponent), max(0, -b.normalize().as_tuple().exponent))
    coarse, fine = (a, b) if max(0, -a.normalize().as_tuple().exponent) == places else (b, a)
    return any(rounded(Fraction(fine), places, mode) == coarse for mode in MODES)


def _parts(rep: _Report, names: list[str]) -> bool:
    """Whether counts of one meaning are a total and its parts, not two values of it: the larger is
    the sum of the others ("议案14件", "1件", "13件"), or a count printed as the rest (其余, 其他, 另有)
    makes up the difference ("议案14件" = "1件议案交由委员会审议" + "其余13件转为建议"). Any other count
    that happens to equal the difference does not."""
    values = sorted({rep.c.figures[n].value for n in names})
    if len(values) > 2 and values[-1] == sum(values[:-1]):
        return True
    if len(values) != 2:
        return False
    rest = {v for n, v in rep.ints.items() if n not in names and re.search(r"其余|其他|剩余|另有|另外", simplify(rep.c.figures[n].text))}
    return values[1] - values[0] in rest


def _scoped(rep: _Report) -> dict[tuple, dict[str, list[str]]]:
    """Figures grouped by scope (year, scope words, and the body when the report's figures name
    several), then by meaning: the names, in report order. Bounds (约, 以上) are left out."""
    figures = rep.c.figures
    scopes = {n: scope_of(n, f, rep.meaning[n]) for n, f in figures.items() if f.value is not None}
    bodies = {s[-1] for s in scopes.values() if s[-1] and "+" not in s[-1]}
    out: dict[tuple, dict[str, list[str]]] = {}
    for name in rep.names:
        meaning, fig = rep.meaning[name], figures[name]
        if not meaning or fig.value is None or not fig.text or _approximate(fig):
            continue
        scope = scopes[name][:-1] if len(bodies) <= 1 else scopes[name]
        out.setdefault(tuple(scope), {}).setdefault(meaning, []).append(name)
    return out


def _partitions(rep: _Report, scoped: dict) -> list[Finding]:
    """The printed parts of a total (:data:`~proposal_stats.published.vocabulary.PARTITIONS`), within
    one scope: more than the total is an error whatever is not printed; every part printed, the sum
    must be the total. A meaning printed with several values in the scope is left to
    ``conflicting_figures``."""
    out = []
    for by_meaning in scoped.values():

        def one(meaning):
            names = by_meaning.get(meaning, [])
            values = {rep.c.figures[n].value for n in names}
            return (names[0], int(values.pop())) if len(values) == 1 and names[0] in rep.ints else None

        for p in PARTITIONS:
            wholes = [w for w in (one(m) for m in p.whole) if w]
            parts = [(m, *one(m)) for m in p.parts if one(m)]
            if not wholes or not parts or any(by_meaning.get(m) and not one(m) for m in p.parts):
                continue
            total = sum(v for _, _, v in parts)
            # of the alternatives (to_government, else assigned, else filed), the first the parts fit in (the
            # rates' rule, vocabulary.derive_links): 248 replied beside 220 to the government and 248 filed
            whole = next((w for w in wholes if w[1] >= total), wholes[0])
            # one part alone (replied) is a bound: what is not yet replied is the part no report names
            if total <= whole[1] and (len(parts) < len(p.parts) or total == whole[1] or len(p.parts) == 1):
                continue
            args = dict(listed=_plus([Msg("%(name)s %(value)s", name=meaning_words(m), value=v) for m, _, v in parts]), total=total,
                        whole=meaning_words(rep.meaning[whole[0]]), value=whole[1],
                        text=rep.c.figures[whole[0]].text)
            if total > whole[1]:
                message = Msg("%(listed)s = %(total)s, more than %(whole)s %(value)s (“%(text)s”): the parts of a total cannot exceed it", **args)
            else:
                message = Msg("%(listed)s = %(total)s, not %(whole)s %(value)s (“%(text)s”): every part is printed, so they add up to it", **args)
            out.append(Finding(rep.c.id, "parts_mismatch", "error", f"figures.{parts[-1][1]}",
                               " + ".join(rep.c.figures[n].text for _, n, _ in parts), message))
    return out


def _conflicts(rep: _Report, scoped: dict) -> list[Finding]:
    """Figures of one meaning and one scope (:func:`_scoped`) printed with different values: at most
    one of them is right. A figure that names no body is of the report's one body when its figures
    name at most one."""
    figures = rep.c.figures
    out = []
    for scope in scoped.values():
        for meaning, names in scope.items():
            if meaning in SEVERAL_VALUES:
                continue
            first = figures[names[0]].value
            rate = is_rate(meaning)
            others = [n for n in names[1:] if not (_same_rate(first, figures[n].value) if rate else figures[n].value == first)]
            if not others or not rate and _parts(rep, names):
                continue
            shown = [f"{figures[n].value.normalize():f} (“{figures[n].text}”)" for n in [names[0], *others]]
            out.append(Finding(rep.c.id, "conflicting_figures", "error", f"figures.{others[0]}", figures[others[0]].text,
                               Msg("%(meaning)s is printed as %(shown)s, and no year, term, body, round or subset in the words tells them apart: "
                                   "at most one is right", meaning=meaning_words(meaning), shown=shown)))
    return out


def audit(c: Claims) -> list[Finding]:
    """Every arithmetic finding for one report's printed figures.

    Args:
        c: the report's claims (:class:`~proposal_stats.claims_format.Claims`).

    Returns:
        Findings in the order: figures, then each breakdown (results, topics, the others). An empty
        list means the printed figures are consistent with each other.
    """
    rep = _Report(c)
    scoped = _scoped(rep)
    out = _figures(rep) + _conflicts(rep, scoped) + _partitions(rep, scoped)
    for name, b in rep.breakdowns:
        out += _breakdown(rep, name, b)
    return out


def comparable_resolution_share(c: Claims) -> tuple[Decimal | None, str]:
    """The share of proposals printed as resolved, and whether it compares across places.

    Returns:
        ``(share in percent or None, note)``. The share sums the classes whose normalised statuses are
        only ``resolved``; it is ``None`` (not comparable) when the first class also covers
        ``in_progress`` or ``partly_resolved`` ("solved or being solved"), when no class is purely
        resolved, or when there is no complete breakdown.
    """
    if not c.results or not c.results.base or not c.scheme or c.results.partial:
        return None, Msg("no complete result breakdown")
    first = c.scheme[0]
    if not first.statuses:
        return None, Msg("the report does not print what class %(code)s means", code=first.code)
    mixed = set(first.statuses) & {"in_progress", "partly_resolved"}
    if mixed:
        return None, Msg("class %(code)s “%(label)s” also covers %(statuses)s: not comparable", code=first.code, label=first.label,
                         statuses=[Msg(STATUS_WORDS[st]) for st in sorted(mixed)])
    resolved = {s.code for s in c.scheme if s.statuses and set(s.statuses) <= {"resolved"}}
    counts = [cat.count for cat in c.results.cats if cat.code in resolved]
    if not resolved:
        return None, Msg("no class is printed as purely resolved")
    if any(n is None for n in counts):
        return None, Msg("the resolved class has no printed count")
    return (Decimal(100 * sum(counts)) / Decimal(c.results.base)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), ""


def max_severity(findings: list[Finding]) -> str:
    """The worst severity among ``findings``: "error", "warning", "note", or "none" when empty."""
    order = {"error": 0, "warning": 1, "note": 2}
    return min((f.severity for f in findings), key=order.get, default="none")


__all__ = ["Finding", "KINDS", "audit", "bases_for", "comparable_resolution_share", "max_severity", "modes_reproducing", "possible_with_base"]
