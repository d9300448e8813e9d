"""Numbers as a published report prints them: a percentage's value and its printed precision.

Shared by the audit of published reports, text extraction and the comparison of printed figures
with a ledger's, so that a number is read the same way wherever it is read: full-width forms
(``７１．３７％``, ``１００．０％``) are folded to ASCII first (Unicode NFKC, one character for one), and a
percentage printed in Chinese numerals (``百分之九十二点二``, ``一百％``) is converted by cn2an.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

#: Chinese numeral characters (digits, units, 点 for the decimal point).
CN_NUMERALS = "零〇一二三四五六七八九十百千万两兩点"

# A number followed by a percent sign, allowing the printing quirks seen in real reports:
# a space before the sign ("77.8 %"), a doubled sign ("98%%"); English and French copies print
# "99.9 percent" and "34,72%" (a decimal comma). Read after :func:`fold_width`.
_PERCENT = re.compile(
    rf"(?:百分之(?P<cn>[{CN_NUMERALS}]+)|(?P<cn_sign>[{CN_NUMERALS}]+)\s*%|(?P<digits>[0-9]+(?:\.[0-9]+|,[0-9]{{1,2}}(?=\s*%))?)\s*"
    r"(?:%|percent\b|per cent\b|pour cent\b))",
    re.IGNORECASE,
)


def _foldable(ch: str) -> bool:
    # full-width ASCII (U+FF01–FF5E), the ideographic space, and the small forms (﹪ ﹒ ﹐, U+FE50–FE6B)
    return "\uff01" <= ch <= "\uff5e" or ch == "\u3000" or "\ufe50" <= ch <= "\ufe6b"


def fold_width(text: str) -> str:
    """Full-width and small forms made ASCII (``７１．３７％`` → ``71.37%``, ``（）`` → ``()``, the
    ideographic space → a space), by Unicode NFKC, one character for one (positions are kept, so a
    substring of the folded text maps back to the same substring of the input)."""
    out = []
    for ch in text:
        if _foldable(ch):
            folded = unicodedata.normalize("NFKC", ch)
            out.append(folded if len(folded) == 1 else ch)
        else:
            out.append(ch)
    return "".join(out)


def chinese_number(text: str) -> Decimal | None:
    """A number written in Chinese numerals, with its printed decimals: ``九十二点二`` → 92.2,
    ``一百点零`` → 100.0, ``二百六十九`` → 269, ``两千两百五十二`` → 2252 (cn2an); ``None`` when the
    text is not a number (``百``, ``点``)."""
    import cn2an

    whole, _, decimals = text.replace("兩", "两").replace("〇", "零").partition("点")
    if whole[:1] in ("十", "百", "千", "万"):
        whole = ("" if whole[0] == "十" else "一") + whole  # 百分之百: one hundred
    try:
        value = Decimal(str(cn2an.cn2an(whole, "smart"))) if whole else Decimal(0)
        digits = [str(cn2an.cn2an(ch, "smart")) for ch in decimals]
    except Exception:  # noqa: BLE001 (cn2an raises ValueError and others for text that is no number)
        return None
    if not whole and not digits or any(len(d) != 1 for d in digits):
        return None  # "点" alone; "点十" is no decimal
    digits = "".join(digits)
    try:
        return Decimal(f"{int(value)}.{digits}") if digits else Decimal(int(value))
    except (InvalidOperation, ValueError):
        return None


@dataclass(frozen=True)
class PrintedNumber:
    """A number as printed: its value and how many decimals it was printed with."""

    value: Decimal
    places: int


def _printed(match: re.Match) -> PrintedNumber | None:
    words = match.group("cn") or match.group("cn_sign")
    if words:
        value = chinese_number(words)
        places = len(words.partition("点")[2])
        return None if value is None else PrintedNumber(value, places)
    digits = match.group("digits").replace(",", ".")
    return PrintedNumber(Decimal(digits), len(digits.split(".")[1]) if "." in digits else 0)


def parse_percent(text: str) -> PrintedNumber | None:
    """The last percentage printed in ``text``, or ``None`` if it prints none.

    ``"占比24.6%"`` → 24.6 at 1 place; ``"77.8 %"`` → 77.8; ``"98%%"`` → 98 at 0 places; ``"34,72%"``
    (a decimal comma) → 34.72; ``"99.9 percent"`` → 99.9; full-width ``"７１．３７％"`` → 71.37 at 2
    places; Chinese numerals ``"百分之九十二点二"`` → 92.2 at 1 place, ``"一百％"`` → 100.
    A blank where the number was stripped (``"率为%"``) gives ``None``: missing, never 0.
    """
    found = [p for p in (_printed(m) for m in _PERCENT.finditer(fold_width(text or ""))) if p is not None]
    return found[-1] if found else None


def has_percent_sign(text: str) -> bool:
    """Whether ``text`` has a percent sign or word (``%``, ``％``, ``﹪``, 百分之, percent), with or without a number."""
    return bool(re.search(r"%|百分之|percent|per cent|pour cent", fold_width(text or ""), re.IGNORECASE))


def round_half_up(value: Fraction, places: int) -> Decimal:
    """Round an exact fraction (a percentage, e.g. ``Fraction(6100, 248)``) half-up to ``places`` decimals."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


__all__ = ["CN_NUMERALS", "PrintedNumber", "chinese_number", "fold_width", "has_percent_sign", "parse_percent", "round_half_up"]
