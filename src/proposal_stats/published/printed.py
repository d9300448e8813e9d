"""Numbers as a published report prints them: a percentage's value and its printed precision.

Shared by the audit of published reports and the comparison of printed figures with a ledger's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# A number followed by a percent sign, allowing the printing quirks seen in real reports:
# a space before the sign ("77.8 %"), a doubled sign ("98%%"), full-width signs ("％").
# English and French copies print "99.9 percent" and "34,72%" (a decimal comma).
_PERCENT = re.compile(r"(\d+(?:\.\d+|,\d{1,2}(?=\s*%))?)\s*(?:[%％]|percent\b|per cent\b|pour cent\b)", re.IGNORECASE)


@dataclass(frozen=True)
class PrintedNumber:
    """A number as printed: its value and how many decimals it was printed with."""

    value: Decimal
    places: int


def parse_percent(text: str) -> PrintedNumber | None:
    """The last percentage printed in ``text``, or ``None`` if it prints none.

    ``"占比24.6%"`` → 24.6 at 1 place; ``"77.8 %"`` → 77.8; ``"98%%"`` → 98 at 0 places; ``"34,72%"``
    (a decimal comma) → 34.72; ``"99.9 percent"`` → 99.9.
    A blank where the number was stripped (``"率为%"``) gives ``None``: missing, never 0.
    """
    found = _PERCENT.findall(text or "")
    if not found:
        return None
    digits = found[-1].replace(",", ".")
    return PrintedNumber(Decimal(digits), len(digits.split(".")[1]) if "." in digits else 0)


def round_half_up(value: Fraction, places: int) -> Decimal:
    """Round an exact fraction (a percentage, e.g. ``Fraction(6100, 248)``) half-up to ``places`` decimals."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
