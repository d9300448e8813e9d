"""The arithmetic audit of a published report: every printed figure checked against the others.

Each :class:`Finding` has a ``kind`` (see :data:`KINDS`), a severity — **error** (a figure that is
wrong: no reading of the printed numbers produces it), **warning** (probably wrong or misleading),
**note** (a harmless printing habit, such as truncating instead of rounding) — and a sentence quoting
the printed text. Shares are recomputed exactly (fractions) at the precision they were printed with,
under three rounding modes: half-up (the convention), half-even and truncation.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

from ..claims_format import Breakdown, Category, Claims
from .printed import PrintedNumber, parse_percent

MODES = {"half-up": ROUND_HALF_UP, "half-even": ROUND_HALF_EVEN, "truncation": ROUND_DOWN}

#: kind → (severity, what it means). Documented in README, "Published-report audit".
KINDS: dict[str, tuple[str, str]] = {
    "sum_mismatch": ("error", "the class counts do not add up to the base"),
    "base_mismatch": ("warning", "the breakdown's base equals none of the totals the report states"),
    "share_mismatch": ("error", "no rounding of count / base gives the printed share"),
    "impossible_percentage": ("error", "no whole number of proposals gives the printed percentage of the base"),
    "share_other_base": ("warning", "the printed share is computed over another stated total, not the base"),
    "rounding_mode": ("note", "the share is truncated or rounded half-even rather than half-up (harmless)"),
    "dropped_trailing_zero": ("note", "printed with fewer decimals than its neighbours, e.g. 24.6% for 24.60% (harmless)"),
    "forced_to_100": ("warning", "a share was adjusted so the shares total exactly 100%"),
    "shares_total": ("error", "the shares total differs from 100% by more than their rounding allows"),
    "derived_mismatch": ("error", "a printed rate does not match the printed figures it is made of"),
    "sum_of_rounded_shares": ("warning", "a combined share (A+B) is the sum of rounded shares, not the share of the summed counts"),
    "approximate_wording": ("error", "a share worded 约/以上/超过/近… is outside the bound its wording states"),
    "missing_number": ("warning", "a blank where a number was stripped from the printed text (e.g. 率为%)"),
    "share_base_unknown": ("note", "a count printed with a share (占…%) of a total the report does not print"),
}

#: Figure names that state a total a breakdown's base may equal.
TOTAL_NAMES = (
    "total_proposals", "total_suggestions", "submitted", "received", "filed", "to_government", "assigned_to_government", "replied",
    "suggestions", "proposals", "items", "total", "lead_items", "all_replied",
)
_APPROX = re.compile(r"(约|大约|近|将近|接近|以上|超过|逾|不到|不足|多)")


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


def possible_with_base(base: int, printed: PrintedNumber) -> bool:
    """Whether any whole number k of ``base`` gives the printed percentage under some mode."""
    if base <= 0:
        return False
    centre = int(printed.value * base / 100)
    return any(0 <= k <= base and modes_reproducing(k, base, printed) for k in range(centre - 2, centre + 3))


def _unit(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def _approx_violation(text: str, exact: Fraction, printed: PrintedNumber) -> str | None:
    """The bound an approximate wording states, if the exact share breaks it; else None."""
    word = _APPROX.search(text or "")
    if not word:
        return None
    actual = Decimal(exact.numerator) / Decimal(exact.denominator)
    p, unit = printed.value, _unit(printed.places)
    w = word.group(1)
    if w in ("以上",):
        ok, bound = actual >= p, f"at least {p}%"
    elif w in ("超过", "逾", "多"):
        ok, bound = actual > p, f"more than {p}%"
    elif w in ("不到", "不足"):
        ok, bound = actual < p, f"less than {p}%"
    elif w in ("近", "将近", "接近"):
        ok, bound = p - unit <= actual <= p, f"just under {p}% (within {unit})"
    else:  # 约, 大约: about, i.e. within one unit of the last printed digit
        ok, bound = abs(actual - p) <= unit, f"within {unit} of {p}%"
    return None if ok else f"“{w}” states {bound}, but the figures give {actual:.2f}%"


def _breakdown(report_id: str, name: str, b: Breakdown, totals: dict[str, int]) -> list[Finding]:
    out: list[Finding] = []

    def find(kind, where, printed, message, severity=None):
        out.append(Finding(report_id, kind, severity or KINDS[kind][0], where, printed, message))

    counts = [c.count for c in b.cats]
    if b.base is None:
        return out
    base = b.base
    if all(c is not None for c in counts):
        total = sum(counts)
        if total != base and (not b.partial or total > base):
            listed = " + ".join(str(c) for c in counts)
            find("sum_mismatch", name, f"base {base}", f"the classes add up to {listed} = {total}, not the base {base}")
    if name == "results" and totals and base not in totals.values():
        stated = ", ".join(f"{k} {v}" for k, v in totals.items())
        find("base_mismatch", name, f"base {base}", f"the breakdown's base {base} equals none of the stated totals ({stated})")

    shares = []
    for c in b.cats:
        label = c.code or c.label
        where = f"{name}: {label}"
        if not c.share_text:
            continue
        printed = parse_percent(c.share_text)
        if printed is None:
            if "%" in c.share_text or "％" in c.share_text:
                find("missing_number", where, c.share_text, f"“{c.share_text}” has a percent sign but no number: missing, not 0")
            continue
        shares.append((c, printed, where))
        if c.count is None:
            if not possible_with_base(base, printed):
                find("impossible_percentage", where, c.share_text, f"no whole number of the {base} gives {printed.value}%")
            continue
        exact = Fraction(100 * c.count, base) if base else None
        violation = _approx_violation(c.text or c.share_text, exact, printed) if exact is not None else None
        if violation:
            find("approximate_wording", where, c.text or c.share_text, violation)
            continue
        if _APPROX.search(c.text or c.share_text or ""):
            continue  # approximate wording within its bound: no exactness to check
        modes = modes_reproducing(c.count, base, printed)
        if "half-up" in modes:
            continue
        if modes:
            find("rounding_mode", where, c.share_text,
                 f"{c.count}/{base} = {_pct(exact)}% gives “{c.share_text}” by {' or '.join(modes)}, not half-up ({rounded(exact, printed.places, 'half-up')})")
            continue
        c_modes = {k: modes_reproducing(c.count, v, printed) for k, v in totals.items() if v != base}
        other = [k for k, m in c_modes.items() if m]
        if other:
            find("share_other_base", where, c.share_text,
                 f"“{c.share_text}” is {c.count}/{totals[other[0]]} ({other[0]}), not {c.count}/{base} = {_pct(exact)}%")
        elif not possible_with_base(base, printed):
            find("impossible_percentage", where, c.share_text,
                 f"no whole number of the {base} gives {printed.value}% (the {c.count} printed give {_pct(exact)}%)")
        else:
            find("share_mismatch", where, c.share_text,
                 f"{c.count}/{base} = {_pct(exact)}%, which no rounding prints as “{c.share_text}”")

    out = _forced_to_100(out, shares, base, b.partial)
    out += _trailing_zeros(report_id, shares, base)
    if shares and not b.partial and len(shares) == len(b.cats) and all(c.count is not None for c in b.cats) and sum(counts) == base:
        printed_total = sum(p.value for _, p, _ in shares)
        allowed = sum(_unit(p.places) for _, p, _ in shares)
        if abs(printed_total - 100) > allowed:
            find("shares_total", name, " + ".join(c.share_text for c, _, _ in shares),
                 f"the printed shares total {printed_total}%, more than their rounding allows ({allowed}) away from 100%")
    return out


def _pct(exact: Fraction) -> str:
    return f"{Decimal(exact.numerator) / Decimal(exact.denominator):.4f}".rstrip("0").rstrip(".")


def _forced_to_100(findings: list[Finding], shares, base: int, partial: bool) -> list[Finding]:
    """Shares that total exactly 100 only because one was moved by a unit: 'forced to 100'."""
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
        half_up = rounded(Fraction(100 * c.count, base), p.places, "half-up")
        kept.append(Finding(findings[0].report_id if findings else "", "forced_to_100", KINDS["forced_to_100"][0], w, c.share_text,
                            f"“{c.share_text}” where {c.count}/{base} rounds to {half_up}%: moved by one unit so the shares total exactly 100%"))
    return kept


def _trailing_zeros(report_id: str, shares, base: int) -> list[Finding]:
    if len(shares) < 2 or base == 0:
        return []
    most = max(p.places for _, p, _ in shares)
    out = []
    for c, p, where in shares:
        if p.places < most and c.count is not None:
            at_most = rounded(Fraction(100 * c.count, base), most, "half-up")
            if at_most == p.value:  # e.g. 24.60 printed as 24.6
                out.append(Finding(report_id, "dropped_trailing_zero", "note", where, c.share_text,
                                   f"“{c.share_text}” is {at_most}% with its trailing zero dropped (others have {most} decimals)"))
    return out


def _figures(c: Claims, totals: dict[str, int]) -> list[Finding]:
    out: list[Finding] = []
    cats = {cat.code: cat for cat in (c.results.cats if c.results else ())}
    counted = {}  # counts printed with their share, "满意70件,占86.4%"
    for name, fig in c.figures.items():
        where = f"figures.{name}"
        printed = parse_percent(fig.text)
        if printed is None and ("%" in fig.text or "％" in fig.text):
            out.append(Finding(c.id, "missing_number", "warning", where, fig.text, f"“{fig.text}” has a percent sign but no number: missing, not 0"))
            continue
        if fig.derived is not None:
            out += _derived(c, name, fig, printed, cats)
        elif printed is not None and fig.value is not None and _count_with_share(fig.value, fig.text):
            counted[name] = fig
    if not counted:
        return out
    integral = {k: int(v.value) for k, v in c.figures.items() if v.value is not None and v.value == v.value.to_integral()}
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
            out += [
                Finding(x.report_id, x.kind, x.severity, x.where.replace(f"{label}: ", "figures."), x.printed, x.message)
                for x in _breakdown(c.id, label, group, {})
            ]
            grouped |= set(parts)
    for name, fig in counted.items():
        if name in grouped:
            continue
        count, printed = int(fig.value), parse_percent(fig.text)
        if not any(modes_reproducing(count, v, printed) for k, v in integral.items() if k != name and v >= count):
            out.append(Finding(c.id, "share_base_unknown", "note", f"figures.{name}", fig.text,
                               f"{count} is {printed.value}% of no total the report prints: its base is not stated"))
    return out


def _count_with_share(value: Decimal, text: str) -> bool:
    """Whether ``text`` prints ``value`` as a count (件/个/名/人/条) together with a share (占…%)."""
    return value == value.to_integral() and "占" in text and re.search(rf"(?<![\d.]){int(value)}\s*(件|个|名|人|条|项)", text) is not None


def _derived(c: Claims, name: str, fig, printed, cats) -> list[Finding]:
    where = f"figures.{name}"
    d = fig.derived
    parts = []
    for part in d.of:
        if part in c.figures and c.figures[part].value is not None:
            parts.append(int(c.figures[part].value))
        elif part in cats and cats[part].count is not None:
            parts.append(cats[part].count)
        else:
            return []
    if d.over == "base":
        over = c.results.base if c.results else None
    else:
        over = int(c.figures[d.over].value) if d.over in c.figures and c.figures[d.over].value is not None else None
    if not over:
        return []
    if printed is None:
        if fig.value is None:
            return []
        value = Decimal(str(fig.value))
        printed = PrintedNumber(value, max(0, -value.normalize().as_tuple().exponent))
    num = sum(parts)
    exact = Fraction(100 * num, over)
    violation = _approx_violation(fig.text, exact, printed)
    if violation:
        return [Finding(c.id, "approximate_wording", "error", where, fig.text, violation)]
    if _APPROX.search(fig.text):
        return []
    modes = modes_reproducing(num, over, printed)
    if "half-up" in modes:
        return []
    if modes:
        return [Finding(c.id, "rounding_mode", "note", where, fig.text, f"{num}/{over} = {_pct(exact)}% gives {printed.value}% by {' or '.join(modes)}, not half-up")]
    shares = [parse_percent(cats[p].share_text) for p in d.of if p in cats and cats[p].share_text]
    if len(shares) == len(d.of) > 1 and all(shares) and sum(s.value for s in shares) == printed.value:
        return [Finding(c.id, "sum_of_rounded_shares", "warning", where, fig.text,
                        f"{printed.value}% is the sum of the printed shares of {' + '.join(d.of)}; the share of the summed counts is {_pct(exact)}%")]
    return [Finding(c.id, "derived_mismatch", "error", where, fig.text,
                    f"{' + '.join(d.of)} over {d.over} is {num}/{over} = {_pct(exact)}%, not {printed.value}%")]


def audit(c: Claims) -> list[Finding]:
    """Every arithmetic finding for one report's printed figures.

    Args:
        c: the report's claims (:class:`~proposal_stats.claims_format.Claims`).

    Returns:
        Findings in the order: figures, result breakdown, topic breakdown. An empty list means the
        printed figures are consistent with each other.
    """
    totals = {
        name: int(fig.value)
        for name, fig in c.figures.items()
        if name in TOTAL_NAMES and fig.value is not None and fig.value == fig.value.to_integral()
    }
    out = _figures(c, totals)
    if c.results:
        out += _breakdown(c.id, "results", c.results, totals)
    if c.topics:
        out += _breakdown(c.id, "topics", c.topics, totals)
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
        return None, "no complete result breakdown"
    first = c.scheme[0]
    if not first.statuses:
        return None, f"the report does not print what class {first.code} means"
    mixed = set(first.statuses) & {"in_progress", "partly_resolved"}
    if mixed:
        return None, f"class {first.code} “{first.label}” also covers {' and '.join(sorted(mixed))}: not comparable"
    resolved = {s.code for s in c.scheme if s.statuses and set(s.statuses) <= {"resolved"}}
    counts = [cat.count for cat in c.results.cats if cat.code in resolved]
    if not resolved:
        return None, "no class is printed as purely resolved"
    if any(n is None for n in counts):
        return None, "the resolved class has no printed count"
    return (Decimal(100 * sum(counts)) / Decimal(c.results.base)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), ""


def max_severity(findings: list[Finding]) -> str:
    """The worst severity among ``findings``: "error", "warning", "note", or "none" when empty."""
    order = {"error": 0, "warning": 1, "note": 2}
    return min((f.severity for f in findings), key=order.get, default="none")


__all__ = ["Finding", "KINDS", "audit", "comparable_resolution_share", "max_severity", "modes_reproducing", "possible_with_base"]
