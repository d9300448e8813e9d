"""Turning ledger text into values: dates, result categories, satisfaction, face-to-face, units.

Every function is vectorised (a Series of text in, a Series out) and returns missing (NaT / NA /
``""``) where a non-blank cell cannot be read, so the caller can report it as ``unparseable_value``
instead of guessing. NFKC normalisation (full-width → half-width) is applied only where it cannot
change meaning: codes, numbers, dates, category letters — never to titles or unit names.
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata

import numpy as np
import pandas as pd

from ..messages import Msg

#: Excel stores dates as days since 1899-12-30 (the 1900 leap-year bug included).
EXCEL_EPOCH = pd.Timestamp("1899-12-30")

# A date, then perhaps a time of day (with seconds, fractions, a time zone): the date is taken as written.
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
                  r"(?:(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# Excel serials from 20000 (1954-10-03) to 80000 (2119-01-10): a bare 4-digit number such as 2022
# is a year, not a date, and is refused. A fraction is the time of day (44700.75 is 18:00 on
# 2022-05-19): the date is its whole part.
_SERIAL = re.compile(r"^[2-7]\d{4}(?:\.\d*)?$|^80000(?:\.0*)?$")

#: Printed forms of the letters A-D: 甲乙丙丁 and 一二三四 (一类 = A), as reports print them.
_CATEGORY_WORDS = {"甲": "A", "乙": "B", "丙": "C", "丁": "D", "一": "A", "二": "B", "三": "C", "四": "D"}
_CATEGORY_NOISE = re.compile(r"^(?:第)?(.+?)(?:类别|类提案|类建议|类)?$", re.DOTALL)  # a cell may hold a line break

SATISFACTION_WORDS = {
    "满意": "satisfied",
    "非常满意": "satisfied",
    "基本满意": "basically_satisfied",
    "比较满意": "basically_satisfied",
    "不满意": "dissatisfied",
    "未反馈": "no_response",
    "未回复": "no_response",
    "未返回": "no_response",
    "无反馈": "no_response",
    "satisfied": "satisfied",
    "basically satisfied": "basically_satisfied",
    "basically_satisfied": "basically_satisfied",
    "dissatisfied": "dissatisfied",
    "not satisfied": "dissatisfied",
    "no response": "no_response",
    "no_response": "no_response",
}

#: 面商 and the other ways of consulting: only a face-to-face meeting counts (domain.md §1.6).
F2F_WORDS = {
    "是": True, "√": True, "✓": True, "✔": True, "面商": True, "当面": True, "见面": True, "上门": True,
    "yes": True, "y": True, "true": True, "1": True, "face to face": True, "face-to-face": True,
    "已面商": True, "未面商": False, "电话沟通": False, "电话联系": False,
    "否": False, "×": False, "✗": False, "✘": False, "电话": False, "书面": False, "函复": False,
    "邮件": False, "网络": False, "no": False, "n": False, "false": False, "0": False,
    "phone": False, "written": False,
}

UNIT_ROLE_WORDS = {
    "主办": "lead", "牵头": "lead", "主办单位": "lead", "lead": "lead",
    "协办": "co_handler", "会办": "co_handler", "协办单位": "co_handler", "co_handler": "co_handler", "co-handler": "co_handler",
    "分办": "separate", "separate": "separate",
    "独办": "sole", "单独办理": "sole", "sole": "sole",
}

_SPLIT_UNITS = re.compile(r"[、，,；;\n\r]+")


@functools.cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional characters made simplified (OpenCC ``t2s``: 主辦單位 → 主办单位, 滿意 → 满意), for
    matching headers and words of a vocabulary only; titles and unit names are kept as written."""
    return _t2s().convert(text) if not text.isascii() else text


def by_unique(text: pd.Series, parse) -> pd.Series:
    """Apply ``parse`` (Series of ``str`` → Series) to the distinct values only and spread the result back.

    Ledger columns repeat a few values (dates, categories, units) over many rows; parsing each
    distinct value once keeps a million-row ledger fast. A categorical column (as the reader gives
    repetitive columns) is parsed through its categories, and a text result stays categorical, so
    later filtering copies codes rather than strings; other results (dates, booleans) come back
    as plain arrays. Missing cells are parsed as blank text.
    """
    if isinstance(text.dtype, pd.CategoricalDtype):
        codes, uniques = text.cat.codes.to_numpy(), text.cat.categories
    else:
        head = text.iloc[:2000]
        if len(text) > 4000 and head.nunique() > len(head) // 2:  # mostly distinct (ids, titles): no sharing to gain
            return parse(text)
        codes, uniques = pd.factorize(text, sort=False)
        if len(uniques) == len(text):
            return parse(text)
    # Code -1 (a missing cell) picks the last entry, a blank.
    parsed = parse(pd.Series([*uniques, ""], dtype="str"))
    if isinstance(text.dtype, pd.CategoricalDtype) and (parsed.dtype == "str" or parsed.dtype == object):
        # Stay categorical: the distinct results become the categories (a missing result, -1, stays missing).
        result_codes, result_values = pd.factorize(parsed, sort=False)
        categories = pd.Index(result_values, dtype="str" if parsed.dtype == "str" else object)
        return pd.Series(pd.Categorical.from_codes(result_codes.take(codes), categories), index=text.index)
    return pd.Series(parsed.array.take(codes), index=text.index)


def to_text(col: pd.Series) -> pd.Series:
    """A categorical (or any text) column as plain ``str``, missing cells kept missing.

    Spreads the categories with one vectorised take (Arrow's when pandas stores text in Arrow),
    far cheaper than ``astype("str")`` on a million-row categorical.
    """
    if not isinstance(col.dtype, pd.CategoricalDtype):
        return col.astype("str")
    categories = pd.Index(col.cat.categories).astype("str")
    return pd.Series(categories.array.take(col.cat.codes.to_numpy(), allow_fill=True), index=col.index)


def blank_for_missing(col: pd.Series) -> pd.Series:
    """Missing cells (a value the parser could not read, already reported) as ``""``; a categorical
    stays categorical."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        if "" not in col.cat.categories:
            col = col.cat.add_categories([""])
        return col.fillna("")
    return col.fillna("").astype("str")


def _nfkc(text: pd.Series) -> pd.Series:
    # NFKC leaves ASCII unchanged, and stripping changes nothing when the first and last characters
    # are printable ASCII: only the other values go through Python, one by one.
    text = text.astype("str")
    untouched = (text.str.isascii() & (text.str[0] > " ") & (text.str[-1] > " ")).to_numpy(dtype=bool, na_value=False)
    if untouched.all():
        return text
    out = text.to_numpy(dtype=object, copy=True)
    todo = ~untouched
    out[todo] = [v.strip() if v.isascii() else unicodedata.normalize("NFKC", v).strip() for v in out[todo]]
    return pd.Series(out, index=text.index, dtype="str")


def nfkc(text: pd.Series) -> pd.Series:
    """NFKC-normalised, stripped text (full-width digits and letters become ASCII)."""
    return by_unique(text, _nfkc)


def parse_dates(text: pd.Series, epoch: pd.Timestamp = EXCEL_EPOCH) -> pd.Series:
    """Dates from ISO, ``2022/3/15``, ``2022.3.15``, ``2022年3月15日`` (or 二〇二二年三月十五日),
    ``20220315`` or an Excel serial; a time of day after the date is passed over.

    Args:
        text: Series of text (blank = no date).

    Returns:
        ``datetime64[us]`` Series; NaT for blank cells and for text that is not a real date
        (``2022-02-30`` included: :func:`date_problem` says why). Serials are days after 1899-12-30,
        accepted from 20000 to 80000 (1954–2119), a fraction being the time of day (the date is
        the whole part); a bare year such as ``2022`` is not a date. ``epoch``: the workbook's date
        system (1904-01-01 for a workbook saved in Excel for Mac's 1904 system).
    """
    return by_unique(text, lambda u: _parse_dates(u, epoch))


def _parse_dates(text: pd.Series, epoch: pd.Timestamp = EXCEL_EPOCH) -> pd.Series:
    """Parse the distinct values (see the public function of the same name)."""
    t = nfkc(text)
    chinese = t.str.contains("年", regex=False).fillna(False).astype(bool)
    if chinese.any():
        t = t.where(~chinese, t[chinese].map(_from_chinese_numerals).astype("str"))
    out = pd.Series(pd.NaT, index=t.index, dtype="datetime64[us]")
    parts = t.str.extract(_YMD)
    compact = t.str.extract(_COMPACT)
    parts = parts.where(parts[0].notna(), compact)
    has = parts[0].notna()
    if has.any():
        ymd = parts[has].astype("int64")
        out[has] = pd.to_datetime(
            {"year": ymd[0], "month": ymd[1], "day": ymd[2]}, errors="coerce"
        ).astype("datetime64[us]")
    serial = t.str.fullmatch(_SERIAL) & ~has
    if serial.any():
        days = np.floor(t[serial].astype("float64"))  # the date of a date-time serial
        out[serial] = (epoch + pd.to_timedelta(days, unit="D")).astype("datetime64[us]")
    return out


def date_problem(value: str) -> Msg:
    """Why a cell that :func:`parse_dates` could not read is not a date, in one sentence: a day or
    month that does not exist (``2022-02-30``: February 2022 has 28 days), else the forms read."""
    t = unicodedata.normalize("NFKC", value).strip()
    m = _YMD.match(t) or _COMPACT.match(t)
    if m:
        year, month, day = (int(g) for g in m.groups())
        if not 1 <= month <= 12:
            return Msg("there is no month %(month)s (a date is year, month, day: 2022-03-15)", month=month)
        days = calendar.monthrange(year, month)[1] if year >= 1 else 31
        if not 1 <= day <= days:
            return Msg("the day does not exist: month %(month)s of %(year)s has %(days)s days", month=month, year=year, days=days)
    if m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", t):
        first, second, year = (int(g) for g in m.groups())
        if (first > 12) != (second > 12) and max(first, second) <= 31:  # this one is clear; the ledger's 5/1 would not be
            month, day = (second, first) if first > 12 else (first, second)
            return Msg("the year comes last: this date can only be %(iso)s (%(big)s cannot be a month), but 5/1/%(year)s in the same "
                       "column would be 5 January or 1 May; write the year first: %(iso)s", iso=f"{year:04d}-{month:02d}-{day:02d}",
                       big=max(first, second), year=year)
    if re.fullmatch(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}", t):
        return Msg("the year comes last, so day and month cannot be told apart (5/1/2022 is 5 January or 1 May); write the year first: 2022-05-01")
    if re.fullmatch(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*月?", t):
        return Msg("a month, not a day (write the day too: 2022-03-15)")
    if re.fullmatch(r"\d{4}\s*年?", t):
        return Msg("a year, not a date (write the day too: 2022-03-15)")
    if re.fullmatch(r"\d+(?:\.\d*)?", t):
        return Msg("a number outside Excel's date serials (20000 to 80000: 1954 to 2119), so not a date")
    return Msg("not a date (e.g. 2022-03-15, 2022/3/15, 2022年3月15日)")


#: Chinese numerals as official documents write dates (二〇二二年五月一日).
_CN_DIGITS = dict(zip("〇零一二三四五六七八九", "00123456789"))
_CN_DATE = re.compile(r"^([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})[日号]$")


def _cn_number(text: str) -> str:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 三十一 → 31 (month and day numbers)."""
    tens, _, ones = text.partition("十")
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else ""
    return str((int(_CN_DIGITS[tens]) if tens else 1) * 10 + (int(_CN_DIGITS[ones]) if ones else 0)) if len(tens) <= 1 and len(ones) <= 1 else ""


def _from_chinese_numerals(value: str) -> str:
    """二〇二二年五月一日 → 2022年5月1日; other text unchanged."""
    m = _CN_DATE.match(value)
    if not m:
        return value
    year = "".join(_CN_DIGITS[c] for c in m.group(1))
    month, day = _cn_number(m.group(2)), _cn_number(m.group(3))
    return f"{year}年{month}月{day}日" if month and day else value


def parse_categories(text: pd.Series, codes: list[str], labels: dict[str, str]) -> pd.Series:
    """Printed result categories to scheme codes: ``A``, ``a``, ``Ａ``, ``A类``, ``甲``/``甲类``,
    ``一类``, ``第一类``, the scheme's printed label, or any of these with a note in brackets after
    it (``A类（已解决）``).

    Args:
        text: Series of text.
        codes: the scheme's codes, e.g. ``["A", "B", "C"]``.
        labels: printed label → code, from the scheme.

    Returns:
        Series of codes; ``""`` for blank cells, NA where the text names no category of the scheme.
    """
    return by_unique(text, lambda u: _parse_categories(u, codes, labels))


_TRAILING_NOTE = re.compile(r"[（(【\[][^（(【\[]*[）)】\]]$")


def _parse_categories(text: pd.Series, codes: list[str], labels: dict[str, str]) -> pd.Series:
    """Parse the distinct values (see the public function of the same name)."""
    t = nfkc(text)
    label_map = {unicodedata.normalize("NFKC", k).strip(): v for k, v in labels.items()}
    upper = {c.upper(): c for c in codes}

    def one(value: str):
        if not value:
            return ""
        if value in label_map:
            return label_map[value]
        if value in codes:  # a scheme whose own codes are 甲/乙/丙 keeps them
            return value
        core = _CATEGORY_NOISE.match(value).group(1).strip()
        if core in codes:
            return core
        core = _CATEGORY_WORDS.get(core, core).upper()
        if core in upper:
            return upper[core]
        bare = _TRAILING_NOTE.sub("", value).strip()  # A类（已解决）, A（已解决）: the code, and its label as a note
        return one(bare) if bare and bare != value else pd.NA

    return t.map(one).astype("str")


def parse_vocabulary(text: pd.Series, words: dict, fold_case: bool = True) -> pd.Series:
    """Map text through a word table (NFKC, case-folded); ``""`` for blank, NA for unknown words."""
    return by_unique(text, lambda u: _parse_vocabulary(u, words, fold_case))


#: What a vocabulary cell (evaluation, face to face, role…) holds to mean "nothing recorded": blank.
VALUE_PLACEHOLDERS = frozenset({"/", "-", "—", "——", "–"})


def _parse_vocabulary(text: pd.Series, words: dict, fold_case: bool) -> pd.Series:
    t = nfkc(text).map(simplified, na_action="ignore").astype("str")
    key = t.str.casefold() if fold_case else t
    table = {unicodedata.normalize("NFKC", k).casefold(): v for k, v in words.items()}
    spaceless = {"".join(k.split()): v for k, v in table.items()}  # 满  意, 基本 满意: blanks typed inside a word

    def one(v: str):
        if v == "" or v in VALUE_PLACEHOLDERS:
            return ""
        return table.get(v, spaceless.get("".join(v.split())))

    return key.map(one).astype("object")


def f2f_from_words(mapped: pd.Series) -> pd.Series:
    """Face-to-face consultation as nullable boolean from ``parse_vocabulary(text, F2F_WORDS)``:
    是/√/面商 → True; 否/×/电话/书面 → False; blank or unknown → NA (the caller flags unknown words)."""
    return mapped.map({True: True, False: False}).astype("boolean")


def split_units(text: pd.Series) -> pd.Series:
    """Co-handling units split on ``、，,；;`` and line breaks, blanks dropped: a Series of lists."""
    codes, uniques = pd.factorize(text, sort=False)
    parsed = [[u for u in map(clean_unit, _SPLIT_UNITS.split(v)) if u] if v else [] for v in uniques]
    return pd.Series([parsed[c] for c in codes], index=text.index, dtype="object")


#: What ledgers write in a unit cell to mean "none": read as blank.
UNIT_PLACEHOLDERS = frozenset({"无", "暂无", "没有", "/", "／", "-", "－", "—", "——", "–", "none", "n/a", "na", "null", "空"})
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


#: Punctuation a unit name never begins or ends with: a stray full stop or separator typed after
#: it (县交通局。, 县交通局、) would otherwise make a second unit, or a lead cell naming "several" units.
_UNIT_END_PUNCTUATION = "。.，,、；;：:"


def clean_unit(name: str) -> str:
    """A unit name as one spelling, so that the ways one unit is typed count as one unit.

    Removed: invisible characters (zero-width spaces from copy-paste), surrounding blanks, stray
    punctuation at either end (县交通局。 is 县交通局). Made one: full- and half-width forms (NFKC:
    县ＸＸ中心 is 县XX中心), brackets in a Chinese name full-width (县住建局(人防办) is 县住建局（人防办）),
    no blank beside a bracket or beside a lone Chinese character (县 教育局 is 县教育局, 县住建局（人防办 ）
    is 县住建局（人防办）), other runs of blanks one space. A blank between two Chinese names (县文旅局
    县教育局) stays: that cell names two units, and the ``unit_names_joined`` rule says so.
    Placeholders such as 无 or / become ``""``.
    """
    words, lone = [], ""
    for word in unicodedata.normalize("NFKC", name.translate(_INVISIBLE)).split():
        word = lone + word  # a lone Chinese character (县 教育局) belongs to the word after it
        lone = word if len(word) == 1 and _HAN_CHAR.match(word) else ""
        if not lone:
            words.append(word)
    if lone:  # or, last in the cell, to the word before it
        words[-1:] = [words[-1] + lone] if words and _HAN_CHAR.match(words[-1][-1]) else [*words[-1:], lone]
    name = " ".join(words)
    if _HAN_CHAR.search(name):
        name = _BLANK_BY_BRACKET.sub(r"\1", name).replace("(", "（").replace(")", "）")
    name = name.strip(_UNIT_END_PUNCTUATION).strip()
    return "" if name.casefold() in UNIT_PLACEHOLDERS else name


_HAN_CHAR = re.compile("[\u3400-\u9fff\U00020000-\U0003134f]")
_BLANK_BY_BRACKET = re.compile(r"\s*([()（）])\s*")


def unit_alias_map(aliases: dict[str, list[str]]) -> dict[str, str]:
    """Variant name → canonical unit name, from the params file's ``unit_aliases``."""
    return {clean_unit(variant): clean_unit(canonical) for canonical, variants in aliases.items() for variant in variants}


def normalise_units(names: pd.Series, alias_map: dict[str, str]) -> pd.Series:
    """Unit names stripped and mapped through the alias table (unknown names kept as written)."""
    return by_unique(names, lambda u: u.map(lambda v: alias_map.get(clean_unit(v), clean_unit(v))).astype("str"))
