"""Which legacy encoding Chinese text is in — GB18030/GBK or Big5 — judged by what the decoded text says.

Decoding without error proves nothing: GB18030 decodes almost any byte string, Big5 most, and
each decodes the other's bytes (and Shift-JIS, and Windows-1252) into nonsense. So the verdict is
the decoded text's: Chinese as people write it is made of commonly used characters, mojibake of
rare ones (Shift-JIS ``予算`` read as GB18030 is ``梊嶼``), kana and symbols. Commonly used means
in the first level of GB 2312-80 (3,755 characters, 一级汉字, simplified) or of Big5 (5,401
characters, 常用國字, traditional) — both read from Python's own codecs, so no list is shipped.
charset-normalizer breaks ties and names the likely encoding of text that is neither.

Used by the ledger reader (:mod:`proposal_stats.ledger.readers`) and the published-report reader.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

#: Python codec per encoding name as reported (Big5 with the Hong Kong additions, a superset).
CODECS = {"gb18030": "gb18030", "big5": "big5hkscs"}

#: Non-ASCII characters that Chinese text holds besides ideographs: CJK punctuation (、。《》【】),
#: full-width forms (，：（）Ａ１), general punctuation (“”…—), and the usual symbols (√×℃№).
_NEUTRAL = re.compile(r"[\u3000-\u303f\uff00-\uffef\u2000-\u206f\u00a0-\u00bf\u00d7\u00f7\u2100-\u218f\u2190-\u21ff"
                      r"\u2200-\u22ff\u2460-\u24ff\u25a0-\u25ff\u2600-\u26ff\u2700-\u27bf\u3200-\u32ff]")


@functools.cache
def common_characters() -> frozenset[str]:
    """Commonly used Chinese characters: GB 2312-80 level 1 (rows 16–55, 3,755 simplified
    characters) and Big5 level 1 (0xA440–0xC67E, 5,401 traditional characters)."""
    chars: set[str] = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for hi in range(0xA4, 0xC7):
        for lo in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            try:
                chars.add(bytes([hi, lo]).decode("big5"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


@dataclass(frozen=True)
class Reading:
    """Bytes decoded with one encoding and how Chinese the result looks.

    Attributes:
        encoding: ``gb18030`` or ``big5``; ``text``: the sample decoded.
        odd: characters unlikely in Chinese text (rare ideographs, kana, Latin letters with
            accents, box drawing, private use…); ``total``: non-ASCII characters judged.
    """

    encoding: str
    text: str
    odd: int
    total: int

    @property
    def plausible(self) -> bool:
        """At most one odd character in ten (plus one, for a short text with one rare name)."""
        return self.odd <= 1 + self.total // 10

    def sample(self, width: int = 40) -> str:
        """The first line holding an odd character, as this reading shows it (cut to ``width``)."""
        for line in self.text.splitlines():
            if _odd().search(line):
                line = line.strip()
                return line if len(line) <= width else line[: width - 1] + "…"
        return ""


@functools.cache
def _odd() -> re.Pattern:
    """One character that is neither ASCII, nor a common ideograph, nor neutral punctuation."""
    common = "".join(sorted(common_characters()))
    return re.compile(f"[^\\x00-\\x7f{re.escape(common)}{_NEUTRAL.pattern[1:-1]}]")


def judge(data: bytes, encoding: str) -> Reading | None:
    """``data`` decoded as ``encoding`` (``gb18030`` or ``big5``) and judged; ``None`` when it
    does not decode. Only the non-ASCII characters are judged (one regex pass: quick on megabytes)."""
    try:
        text = data.decode(CODECS[encoding])
    except UnicodeDecodeError:
        return None
    total = len(text) - len(text.encode("ascii", "ignore"))
    return Reading(encoding, text, len(_odd().findall(text)) if total else 0, total)


def legacy_chinese(data: bytes) -> tuple[str | None, list[Reading]]:
    """The encoding of Chinese text that is not UTF-8: ``gb18030``, ``big5``, or ``None`` when it
    reads as neither; and the readings judged (for a message saying what it would read as).

    ``data``: the bytes, or a sample of them cut at a line break. The reading with fewer odd
    characters wins; a tie (both plausible) goes to charset-normalizer's verdict.
    """
    readings = [r for r in (judge(data, e) for e in CODECS) if r is not None]
    fine = [r for r in readings if r.plausible]
    if not fine:
        return None, readings
    fine.sort(key=lambda r: r.odd)
    if len(fine) == 2 and fine[0].odd == fine[1].odd:
        from charset_normalizer import from_bytes

        best = from_bytes(data, cp_isolation=list(CODECS)).best()
        if best is not None and best.encoding in CODECS:
            return best.encoding, readings
    return fine[0].encoding, readings


#: charset-normalizer's codec names in words.
_NAMES = {
    "cp932": "Shift-JIS (Japanese)", "shift_jis": "Shift-JIS (Japanese)", "shift_jis_2004": "Shift-JIS (Japanese)",
    "shift_jisx0213": "Shift-JIS (Japanese)", "euc_jp": "EUC-JP (Japanese)", "euc_jis_2004": "EUC-JP (Japanese)",
    "iso2022_jp": "ISO-2022-JP (Japanese)", "cp949": "EUC-KR (Korean)", "euc_kr": "EUC-KR (Korean)", "johab": "Johab (Korean)",
    "cp1252": "Windows-1252 (Western European)", "latin_1": "Latin-1 (Western European)", "cp1250": "Windows-1250 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)", "koi8_r": "KOI8-R (Cyrillic)", "mac_roman": "Mac Roman",
}


def likely_encoding(data: bytes) -> str | None:
    """What charset-normalizer takes ``data`` for, other than GB18030 and Big5, in words
    (``Shift-JIS (Japanese)``); ``None`` when it has no verdict."""
    from charset_normalizer import from_bytes

    for match in from_bytes(data):
        if match.encoding not in ("gb18030", "big5", "big5hkscs", "gbk", "gb2312", "hz", "utf_8"):
            return _NAMES.get(match.encoding, match.encoding.replace("_", "-").upper())
    return None
