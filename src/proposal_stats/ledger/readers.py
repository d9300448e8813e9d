"""Reading a ledger file, whatever its format, into a table of text cells with their line numbers.

What a file is comes from its bytes, not its name (:func:`~proposal_stats.ledger.workbooks.sniff`):
CSV and TSV text, a workbook (XLSX, XLSB, old XLS, ODS: :mod:`proposal_stats.ledger.workbooks`), or
Parquet. A text file's encoding is detected (:func:`detect_encoding`): a byte-order mark, else
UTF-8 when the bytes are UTF-8, else GB18030 or Big5 as charset-normalizer judges the decoded text
(both decode almost any byte string, so decoding without error is no proof); text that reads as
neither is refused rather than read garbled. Every cell is kept as text; nothing is converted here.

Two CSV paths give the same table: Arrow's multi-threaded parser for a plain file (header on line
1, every row as wide as the header, no quoted line break), which is what makes a
million-row ledger quick; otherwise Python's ``csv`` module, record by record, which keeps each
row's true line number and reports rows of the wrong width. Columns that repeat a few values
(dates, units, categories) come back as pandas categoricals on every path.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .normalise import by_unique, simplified
from .workbooks import EPOCH_1900, Sheet, WorkbookError, read_sheet, sheet_names, sniff

#: Bytes a cell that Excel would take for a formula can start with (OWASP CSV injection: = + - @ tab CR).
FORMULA_BYTES = (b"=", b"+", b"-", b"@", b"\t", b"\r")

#: Header rows searched for the header in a spreadsheet or CSV (title rows often come first).
HEADER_SEARCH_ROWS = 15


class LedgerReadError(ValueError):
    """The file cannot be read as a table at all; ``str(err)`` names the file and the reason."""


@dataclass(frozen=True)
class RawTable:
    """A ledger as read: text cells, and where each row is in the file.

    Attributes:
        header: column names as printed in the file (two-row headers joined with "/").
        cells: one row per data row, one ``str`` column per header position (named "0", "1", …),
            blank = ``""``.
        lines: for each data row, the line (CSV/TSV) or spreadsheet row (XLSX) a user sees, 1-based.
        short_rows: rows that had fewer or more cells than the header (index → (cell count, the
            row's cells as written, joined by the separator)).
        encoding: the text encoding used, or the format ("xlsx, sheet NAME", "parquet").
        header_line: the line or row of the (last) header row.
        maybe_formulas: False when no cell can start with a formula character (checked on the raw bytes).
        hidden_rows: positions in ``cells`` of rows a workbook hides (hidden or filtered out).
        hidden_columns: header names of columns a workbook hides.
        epoch: the date system bare serial numbers count from (a workbook's own; 1899-12-30 otherwise).
        broken_quotes: rows whose line opens a quote that swallowed the lines below it (never
            closed, or closed amid a cell), read as written instead: position in ``cells`` → the line.
        other_sheets: ``(sheet, rows)`` of a workbook's other visible sheets laid out like the one
            read (the same known header), when no sheet was named: not read.
    """

    header: list[str]
    cells: pd.DataFrame
    lines: pd.Series
    short_rows: dict[int, tuple[int, str]]
    encoding: str
    header_line: int
    maybe_formulas: bool = True
    hidden_rows: tuple[int, ...] = ()
    hidden_columns: tuple[str, ...] = ()
    epoch: pd.Timestamp = EPOCH_1900
    broken_quotes: dict[int, str] = field(default_factory=dict)
    other_sheets: tuple[tuple[str, int], ...] = ()


# A note in brackets after a header (是否面商（是/否）, 案由【标题】, 日期〔年月日〕, 类别［A/B/C］,
# 满意度《评价》), or before it (【必填】提案号), and the asterisk a template marks a required column
# with (*提案号, 提案号＊): full-width forms are half-width by then (NFKC).
_BRACKETS = r"\(.*?\)|\[.*?\]|\{.*?\}|<.*?>|【.*?】|〔.*?〕|《.*?》|〈.*?〉|〖.*?〗|「.*?」|『.*?』"
_NOTE = re.compile(rf"^(?:{_BRACKETS}|\*)+|(?:{_BRACKETS}|\*)+$")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


@functools.lru_cache(maxsize=4096)
def header_form(text: str) -> str:
    """A header cell or alias as compared, its notes kept: NFKC, case-folded, traditional
    characters made simplified (主辦單位 is 主办单位), without spaces, invisible characters or a
    trailing colon or full stop (``Proposal No.`` is ``proposalno``)."""
    text = simplified(unicodedata.normalize("NFKC", str(text)).translate(_INVISIBLE).casefold())
    return "".join(text.split()).rstrip(":.。")


@functools.lru_cache(maxsize=4096)
def header_key(text: str) -> str:
    """How header cells and aliases are compared: :func:`header_form` without a note in brackets
    of any kind after or before it (是否面商（是/否）, 案由【標題】, 【必填】提案号: 是否面商, 案由,
    提案号), or a required-column asterisk (*提案号)."""
    text = header_form(text)
    return _NOTE.sub("", text).rstrip(":") or text


@functools.cache
def prefer_jemalloc() -> str:
    """Make jemalloc Arrow's memory pool, where pyarrow offers it and nobody chose another pool;
    return the pool's name.

    pandas keeps text in Arrow arrays, and a million-row ledger allocates and frees about 2 GB of
    them while it is read. With pyarrow's default pool, mimalloc, freed pages go back to the system
    and are faulted in again: on the project's 2-core virtual machine, reading the benchmark's
    million-row ledger took 5.1 s (median of 5) against 3.5 s with jemalloc, whose freed pages are
    reused (``benchmarks/bench_ledger.py``). A pool named in ``ARROW_DEFAULT_MEMORY_POOL``, or any
    pool but mimalloc set by ``pyarrow.set_memory_pool`` before this, is kept; pyarrow builds
    without jemalloc (Windows) keep theirs. Called once, before a ledger is read.
    """
    import os

    import pyarrow as pa

    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL") or pa.default_memory_pool().backend_name != "mimalloc":
        return pa.default_memory_pool().backend_name
    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except NotImplementedError:  # a pyarrow built without jemalloc
        pass
    return pa.default_memory_pool().backend_name


def read_table(path: Path, known_header, sheet: str | None = None) -> RawTable:
    """Read ``path`` into a :class:`RawTable`, by what its bytes hold (whatever its name).

    Args:
        path: a CSV/TSV text file, a workbook (XLSX/XLSM, XLSB, XLS, ODS) or a Parquet file.
        known_header: ``callable(str) -> bool``, true for a cell that names a known column; used
            to find the header row and to join two-row headers.
        sheet: workbook sheet name (default: the sheet the workbook opens on).

    Raises:
        LedgerReadError: missing, empty, undecodable, garbled, not a table, or a kind of file that
            is no ledger (PDF, Word, an HTML page); the message says what the file is.
    """
    prefer_jemalloc()
    if not path.exists():
        raise LedgerReadError(f"{path}: ledger file not found")
    if path.is_dir():
        raise LedgerReadError(f"{path}: is a folder, not a ledger file; name the ledger file inside it")
    if not path.is_file():  # a named pipe would block the reader, a device would never end
        raise LedgerReadError(f"{path}: not a regular file (a device or a named pipe), so not a ledger file")
    if path.stat().st_size == 0:
        raise LedgerReadError(f"{path}: the file is empty")
    try:
        kind = sniff(path)
        if kind == "parquet":
            return _parquet(path)
        if kind != "text":
            found = read_sheet(path, kind, sheet)
            try:
                table = _tabulate(path, found.rows, None, known_header, f"{kind}, sheet {found.title}", spreadsheet=found)
                return table if sheet is not None else replace(table, other_sheets=_sheets_like(path, kind, found.title, table.header, known_header))
            except LedgerReadError as exc:
                raise LedgerReadError(f"{exc}{_other_sheets(path, kind, found.title, known_header) if sheet is None else ''}") from None
    except WorkbookError as exc:
        raise LedgerReadError(str(exc)) from None
    data = path.read_bytes()
    if not data or data.isspace():  # (isspace stops at the first other byte; strip would copy)
        raise LedgerReadError(f"{path}: the file is empty")
    encoding = detect_encoding(path, data)
    if encoding not in ("utf-8", "gb18030"):  # Arrow and the line scans work on UTF-8 or GB18030 bytes
        data = data.decode(_CODECS[encoding]).encode("utf-8")
    bytes_are = "gb18030" if encoding == "gb18030" else "utf-8"
    delimiter = _pick_delimiter(path, data, bytes_are, known_header)
    fast = _fast_csv(path, data, delimiter, known_header, bytes_are)
    if fast is not None:
        fast = fast if fast.encoding == encoding else replace(fast, encoding=encoding)
        return _excel_text_cells(fast) if _has_excel_text(data) else fast
    text = data.decode("gb18030" if encoding == "gb18030" else "utf-8-sig")
    physical = io.StringIO(text, newline="").readlines()  # lines as an editor counts them (\n, \r\n or \r)
    literal: set[int] = set()
    while True:  # a quote that swallows the lines below: its line read as written, then the rest again
        rows, lines, ends = _csv_rows(path, physical, delimiter, literal)
        width = len(_find_header(rows, known_header)[1]) if rows else 0
        swallowing = _swallowing_quotes(physical, rows, lines, ends, delimiter, width) - literal
        if not swallowing:
            break
        literal |= swallowing
    table = _tabulate(path, rows, lines, known_header, encoding, delimiter, literal=literal)
    return _excel_text_cells(table) if _has_excel_text(data) else table


#: ``="007"``: how exports keep leading zeros in a CSV, a formula whose value is the text inside.
_EXCEL_TEXT = re.compile(r'^\s*="((?:[^"]|"")*)"\s*$')


def _has_excel_text(data: bytes) -> bool:
    """Whether ``="`` occurs in ``data``: a one-byte scan first (``bytes.__contains__`` with a
    two-byte needle is ~50 times slower on a 200 MB file), then numpy at each ``=``."""
    if b"=" not in data:
        return False
    at = np.flatnonzero(np.frombuffer(data, dtype=np.uint8)[:-1] == ord("="))
    return bool((np.frombuffer(data, dtype=np.uint8)[at + 1] == ord('"')).any())


def _excel_text_cells(table: RawTable) -> RawTable:
    """Cells written ``="007"`` read as Excel shows them (``007``): a string formula's value (a
    quote inside written twice), not a formula to run or to flag. Only cells of that exact form."""
    def unwrap(values: pd.Series) -> pd.Series:
        found = values.str.extract(_EXCEL_TEXT, expand=False)
        return found.str.replace('""', '"', regex=False).where(found.notna(), values).astype("str")

    cells = table.cells.copy()
    for name in cells.columns:
        col = cells[name]
        if _any_excel_text(col):
            cells[name] = by_unique(col, unwrap)
    return replace(table, cells=cells)


def _any_excel_text(col: pd.Series) -> bool:
    """Whether some cell of ``col`` begins (after blanks) with ``="``: distinct values only."""
    values = pd.Series(col.cat.categories if isinstance(col.dtype, pd.CategoricalDtype) else col.unique(), dtype="str")
    return bool(values.str.lstrip().str.startswith('="').fillna(False).any())


#: Separators a text ledger may use: comma, tab (Excel's "Unicode text"), semicolon (Excel's CSV
#: where the decimal mark is a comma) and the vertical bar some database exports write.
DELIMITERS = (",", "\t", ";", "|")


def _pick_delimiter(path: Path, data: bytes, codec: str, known_header) -> str:
    """The separator with which the top lines hold the best header row (the most cells naming
    known columns); of equals, tab for a ``.tsv`` file, else the one the top lines hold most
    often (a title row above the header may hold none)."""
    top = data[: 1 << 16].split(b"\n", HEADER_SEARCH_ROWS + 1)[: HEADER_SEARCH_ROWS + 1]
    text = b"\n".join(top).decode(codec if codec != "utf-8" else "utf-8-sig", "replace")
    tsv = path.suffix.lower() in (".tsv", ".tab")
    _allow_long_cells()

    def score(sep: str) -> tuple[int, int, int]:
        try:
            rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=sep) if any(c.strip() for c in r)]
        except csv.Error:
            rows = []
        hits = sum(bool(known_header(c)) for c in _find_header(rows, known_header)[1]) if rows else 0
        return hits, tsv and sep == "\t", text.count(sep)

    return max(DELIMITERS, key=score)


def _other_sheets_read(path: Path, kind: str, names: list[str], known_header):
    """``(name, rows, header position, header)`` of each sheet in ``names`` that can be read and
    holds a value."""
    for name in names:
        try:
            rows = read_sheet(path, kind, name).rows
        except WorkbookError:
            continue
        if rows:
            yield (name, rows, *_find_header(rows, known_header))


def _sheets_like(path: Path, kind: str, read: str, header: list[str], known_header) -> tuple[tuple[str, int], ...]:
    """The workbook's other visible sheets laid out like the one read — a header naming the same
    known columns — with the rows below their header holding a value: a ledger split over sheets
    (第一批, 第二批), of which only one is read unless the user names it."""
    ours = {header_key(h) for h in header if h and known_header(h)}
    if len(ours) < 2:
        return ()
    names = [name for name in sheet_names(path, visible=True) if name != read]
    return tuple((name, sum(any(c.strip() for c in row) for row in rows[at + 1:]))
                 for name, rows, at, theirs in _other_sheets_read(path, kind, names, known_header)
                 if {header_key(h) for h in theirs if h and known_header(h)} == ours)


def _other_sheets(path: Path, kind: str, read: str, known_header) -> str:
    """For a workbook whose opening sheet holds no ledger: which other sheets do, to name one."""
    names = [name for name in sheet_names(path) if name != read]
    with_header = [name for name, _, _, theirs in _other_sheets_read(path, kind, names, known_header)
                   if sum(bool(known_header(c)) for c in theirs) >= 2]
    if with_header:
        return (f". The workbook opens on sheet '{read}'; the ledger looks to be on sheet '{with_header[0]}': "
                f"name it with --sheet {with_header[0]} (validate) or ledger_sheet: {with_header[0]} (params)")
    return f". Sheet '{read}' was read (the one the workbook opens on); other sheets: {', '.join(names) or 'none'}"


#: Encoding name (as reported) → Python codec.
_CODECS = {"utf-8": "utf-8-sig", "gb18030": "gb18030", "big5": "big5hkscs", "utf-16": "utf-16", "utf-32": "utf-32",
           "utf-16-le": "utf-16-le", "utf-16-be": "utf-16-be"}

#: Legacy-encoded bytes judged at most (from the start): more says nothing new, and costs.
_JUDGED_BYTES = 32 << 20
_SAVE_AS = "save the ledger again as UTF-8 CSV (Excel: CSV UTF-8) or XLSX"


def detect_encoding(path: Path, data: bytes) -> str:
    """The encoding of a text ledger: ``utf-8``, ``utf-16`` (``-le``/``-be`` without a byte-order
    mark), ``utf-32``, ``gb18030`` or ``big5``.

    A byte-order mark decides; else bytes that are valid UTF-8 are UTF-8 (GB18030 would accept
    them too, and garble them); else the decoded text decides between GB18030 and Big5
    (:func:`proposal_stats.textcodec.legacy_chinese`: commonly used characters, or mojibake —
    each decodes the other's bytes, and Shift-JIS, without error). UTF-16 without a mark is
    recognised by its zero bytes.

    Raises:
        LedgerReadError: a NUL byte (a binary or damaged file), UTF-8 lines mixed with lines in
            another encoding, bytes that do not decode, or text that reads as neither GB18030 nor
            Big5 (Shift-JIS, Windows-1252…); the message names the first offending line and byte,
            or the likely encoding and what the text would read as.
    """
    from ..textcodec import legacy_chinese, likely_encoding

    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = data[:4096]
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if max(odd, even) * 20 > len(head):  # digits, commas and line breaks in UTF-16 have a zero byte each, all on one side
        codec = "utf-16-le" if odd > even else "utf-16-be"
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = "\x00"
        if "\x00" not in text and _looks_like_text(text[:2000]):
            return codec
    nul = data.find(b"\x00")
    if nul >= 0:
        raise LedgerReadError(f"{path}: line {_line_at(data, nul)} holds a NUL byte (byte {nul} of the file), which no text ledger holds: "
                              f"the file is binary or damaged there; remove it, or {_SAVE_AS}")
    bad = _first_non_utf8(data)
    if bad < 0:
        return "utf-8"
    if len(data[:bad]) - len(data[:bad].decode("utf-8", "ignore").encode("ascii", "ignore")) >= 6:
        # Lines above are UTF-8 with Chinese in them: a legacy encoding would have garbled them.
        line = _line_at(data, bad)
        reads = _line_text(data, bad, "gb18030")
        raise LedgerReadError(f"{path}: line {line} (byte {bad}) is not UTF-8, although the lines above it are"
                              + (f"; it reads as GB18030/GBK: {reads}" if reads else "")
                              + f": the file mixes encodings (lines pasted from another file?); {_SAVE_AS}")
    sample = data if len(data) <= _JUDGED_BYTES else data[: data.rfind(b"\n", 0, _JUDGED_BYTES) + 1]
    encoding, readings = legacy_chinese(sample)
    utf8 = _utf8_line(data, _CODECS[encoding or "gb18030"])
    if utf8 is not None:
        line, text = utf8
        raise LedgerReadError(f"{path}: line {line} is UTF-8 ({text}), although the file is {(encoding or 'gb18030').upper()}: "
                              f"the file mixes encodings (lines pasted from another file?); {_SAVE_AS}")
    if encoding is None:
        likely = likely_encoding(data[: 1 << 20])
        seen = "; ".join(f"as {r.encoding.upper()} it reads {r.sample()!r}" for r in readings if r.sample())
        raise LedgerReadError(
            f"{path}: not text in a known encoding: " + (f"it looks like {likely}, which is not read" if likely else "neither UTF-8, GB18030/GBK nor Big5")
            + (f" ({seen})" if seen else "") + f"; {_SAVE_AS}")
    codec = _CODECS[encoding]
    try:
        (data if sample is not data else b"").decode(codec)  # the part beyond the judged sample
    except UnicodeDecodeError as exc:
        raise LedgerReadError(f"{path}: line {_line_at(data, exc.start)} (byte {exc.start}) is not {encoding.upper()}, although the lines above are; "
                              f"the file is damaged or mixes encodings; {_SAVE_AS}") from None
    return encoding


def _line_at(data: bytes, offset: int) -> int:
    """The line (1-based, as a text editor counts) holding byte ``offset``."""
    return _line_breaks(data[:offset]) + 1 if offset else 1


def _line_text(data: bytes, offset: int, codec: str, width: int = 40) -> str:
    """The line holding byte ``offset`` decoded with ``codec`` (cut to ``width``), or ``""``."""
    start = max(data.rfind(b"\n", 0, offset), data.rfind(b"\r", 0, offset)) + 1
    end = min((i for i in (data.find(b"\n", offset), data.find(b"\r", offset)) if i >= 0), default=len(data))
    try:
        line = data[start:end].decode(codec).strip()
    except UnicodeDecodeError:
        return ""
    return line if len(line) <= width else line[: width - 1] + "…"


#: Three Chinese characters in a row as UTF-8 writes them (lead byte E3–E9, two continuation bytes).
_UTF8_CJK_RUN = re.compile(rb"(?:[\xe3-\xe9][\x80-\xbf]{2}){3}")


def _utf8_line(data: bytes, codec: str) -> tuple[int, str] | None:
    """In a legacy-encoded file, the first line that is UTF-8 Chinese (its line and text), if
    any: such bytes often decode as GB18030 too, into mojibake. A line counts when it is valid
    UTF-8, holds three Chinese characters in a row as UTF-8 writes them, and does not read as
    Chinese in the file's encoding (it does not decode, or into rare characters)."""
    from ..textcodec import judge

    for match in _UTF8_CJK_RUN.finditer(data):
        start = max(data.rfind(b"\n", 0, match.start()), data.rfind(b"\r", 0, match.start())) + 1
        end = min((i for i in (data.find(b"\n", match.end()), data.find(b"\r", match.end())) if i >= 0), default=len(data))
        raw = data[start:end]
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        as_legacy = judge(raw, "big5" if codec.startswith("big5") else "gb18030")
        if as_legacy is None or not as_legacy.plausible:  # as UTF-8 it reads; as the file's encoding not, or as mojibake
            return _line_at(data, start), _line_text(data, start, "utf-8")
    return None


def _looks_like_text(text: str) -> bool:
    """Mostly letters, digits, punctuation and spaces, with a separator, as a decoded table is
    (not a binary file that happened to decode)."""
    import unicodedata

    plain = sum(unicodedata.category(ch)[0] in "LNPSZ" or ch in "\r\n\t" for ch in text)
    return plain >= 0.95 * len(text) and any(sep in text for sep in ",\t\n")


def _fast_csv(path: Path, data: bytes, delimiter: str, known_header, encoding: str = "utf-8") -> RawTable | None:
    """Arrow's multi-threaded CSV parser when the file is plain below its header: every row with as
    many cells as the header. The header may sit below title rows, or be two rows, as the careful
    path finds it. ``None`` otherwise (the careful path then reads the file and reports its rows).

    Arrow refuses a row with more or fewer cells than the header; with ``ignore_empty_lines`` off
    an empty line is a row of blanks (dropped below, as the careful path skips it). Each row starts
    one line after the previous one, plus the line breaks inside its quoted cells; the total is
    checked against the file's own line count, so line numbers are those a text editor shows.
    Columns that repeat a few values are read dictionary-encoded (pandas categoricals), so later
    stages work on distinct values only.
    """
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):  # (`in` alone for a file with none)
        return None  # a carriage return that does not end a line: Arrow and Python split lines differently
    head = data[: 1 << 20]
    top = head.split(b"\n", HEADER_SEARCH_ROWS + 2001)
    complete = top if len(head) == len(data) else top[:-1]  # the last piece may be cut mid-line
    for encoding, codec in ((encoding, "utf-8-sig" if encoding == "utf-8" else "gb18030"),):
        try:
            first = [line.decode(codec).rstrip("\r") for line in complete]
        except UnicodeDecodeError:
            continue
        # Each line parsed on its own: the header and any title rows above it must not hold a
        # quoted line break (an odd number of quotes), so that line k of the file is row k here.
        # Blank lines are passed over, as the careful path does.
        _allow_long_cells()
        try:
            parsed = [next(csv.reader([line], delimiter=delimiter), []) for line in first]
        except csv.Error:
            return None  # the careful path reports what is wrong
        filled = [i for i, cells in enumerate(parsed) if any(c.strip() for c in cells)][: HEADER_SEARCH_ROWS + 1]
        if not filled:
            return None
        at, header = _find_header([parsed[i] for i in filled], known_header)
        at = filled[at]  # the (last) header row's line, counted from 0
        # The row after the header too: it was looked at as a possible second header row.
        below = next((i for i in filled if i > at), at + 1)
        if sum(bool(known_header(h)) for h in header) < 2 or any(line.count('"') % 2 for line in first[: below + 1]):
            return None
        source = data if encoding == "utf-8" else _transcode(data)
        if source is None:
            continue
        names = [str(i) for i in range(len(header))]
        repeats = _repetitive_columns(complete[at + 1 :], delimiter.encode(), len(names))
        # Without quotes every line is one row, so rows of another width can be set aside by Arrow
        # and put back from their lines (reported as row_shape, as the careful path does).
        unquoted = b'"' not in data
        read = _arrow_csv(source, delimiter, names, repeats, skip=at + 1, skip_invalid=unquoted)
        if read is None:
            if encoding == "utf-8" and not _is_utf8(data):
                continue  # Arrow checks every cell: GB18030 text fails here
            return None
        cells, left_out = read
        n_lines = _line_breaks(data) - data.endswith((b"\n", b"\r")) - at  # the lines after the header
        rows = np.arange(len(cells)) + at + 2  # the first data row is on the line after the header
        short: dict[int, tuple[int, str]] = {}
        if left_out:  # the lines must account for exactly the rows Arrow kept and left out
            found = _line_kinds(data, delimiter, len(names), at)
            if found is None or int((found[1] == 0).sum()) != len(cells) or int((found[1] != 0).sum()) != left_out:
                return None
            lines = pd.Series(np.flatnonzero(found[1] == 0) + at + 2, dtype="int64")
        elif len(cells) == n_lines:
            lines = pd.Series(rows, dtype="int64")
        else:  # quoted cells holding line breaks: each row starts that many lines later
            inner = _inner_breaks(cells)
            if len(cells) + int(inner.sum()) != n_lines:
                return None  # Arrow and a text editor disagree on the lines: use the careful path
            lines = pd.Series(rows + np.cumsum(inner) - inner, dtype="int64")
            if _fast_swallowing(data, codec, delimiter, cells, lines, inner):
                return None  # a quote swallows lines: the careful path reads its line as written
        padding = _blank_rows(cells)
        if padding.any():  # lines holding only separators (Excel's ",,,,," rows) are not rows
            keep = ~padding
            cells, lines = cells[keep].reset_index(drop=True), lines[keep].reset_index(drop=True)
        if left_out:
            cells, lines, short = _put_back(found, codec, delimiter, len(names), at, cells, lines, _named_width(header))
        maybe_formulas = any(ch in data for ch in FORMULA_BYTES)
        return RawTable(header, cells, lines, short, encoding, at + 1, maybe_formulas)
    return None


def _fast_swallowing(data: bytes, codec: str, delimiter: str, cells: pd.DataFrame, lines: pd.Series, inner: np.ndarray) -> bool:
    """Whether a row Arrow read across several lines is a quote swallowing the lines below
    (:func:`_swallows`); only those rows are looked at, from their bytes."""
    several = np.flatnonzero(inner > 0)
    if not len(several):
        return False
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)  # line k (1-based) ends at ends[k - 1]
    starts = np.r_[0, ends + 1]
    for i in several:
        first, last = int(lines.iloc[i]), int(lines.iloc[i] + inner[i])
        raw = data[starts[first - 1] : (ends[last - 1] + 1 if last - 1 < len(ends) else len(data))]
        record = [str(v) for v in cells.iloc[i].tolist()]
        if _swallows(record, io.StringIO(raw.decode(codec), newline="").readlines(), delimiter, len(record)):
            return True
    return False


def _line_kinds(data: bytes, delimiter: str, width: int, at: int) -> tuple[list[bytes], np.ndarray] | None:
    """An unquoted file's lines after the header, and each one's kind: 0 a row Arrow kept (as many
    separators as the header, or empty), 1 a line with other cells (a row of another width),
    2 a line of only blanks and separators (skipped, as the careful path skips it). ``None`` when
    a lone carriage return makes lines ambiguous."""
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):  # (`in` alone for a file with none)
        return None
    body = data.split(b"\n")[at + 1 :]
    if body and body[-1] == b"":
        body.pop()  # the file's final line break
    sep = delimiter.encode()
    kinds = np.zeros(len(body), dtype=np.int8)
    for i, line in enumerate(body):
        if line.count(sep) != width - 1 and line not in (b"", b"\r"):
            kinds[i] = 1 if line.replace(sep, b"").strip() else 2
    return body, kinds


def _put_back(found: tuple[list[bytes], np.ndarray], codec: str, delimiter: str, width: int, at: int, cells: pd.DataFrame, lines: pd.Series,
              named: int | None = None):
    """Insert the rows of another width (``found``: :func:`_line_kinds`), cut or padded to the
    header's width as the careful path does (trailing blank cells are padding, not cells, and so
    are the cells a row lacks under the header's trailing blank cells, ``named``: :func:`_named_width`),
    at their lines; those still of another width are listed in ``short_rows``."""
    named = width if named is None else named
    body, kinds = found
    extra, extra_lines, shape = [], [], []
    for i in np.flatnonzero(kinds > 0):
        values = body[i].decode(codec).removesuffix("\r").split(delimiter)
        if not any(v.strip() for v in values):
            continue  # only blanks (Unicode spaces included): not a row
        while len(values) > width and not values[-1].strip():
            values.pop()
        shape.append((len(values), delimiter.join(values)) if not named <= len(values) <= width else None)
        extra.append((values + [""] * width)[:width])
        extra_lines.append(i + at + 2)
    added = pd.DataFrame(extra, columns=cells.columns, dtype="str")
    merged = {}
    for name, col in cells.items():
        new = added[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            col = col.cat.add_categories(pd.Index(new.unique()).difference(col.cat.categories))
            new = pd.Series(pd.Categorical(new, categories=col.cat.categories))
        merged[name] = pd.concat([col, new], ignore_index=True)
    all_lines = np.concatenate([lines.to_numpy(), np.asarray(extra_lines, dtype=np.int64)])
    order = np.argsort(all_lines, kind="stable")
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    short = {int(position[len(lines) + j]): s for j, s in enumerate(shape) if s is not None}
    table = pd.DataFrame(merged).iloc[order].reset_index(drop=True)
    return table, pd.Series(all_lines[order], dtype="int64"), short


def _line_breaks(text: bytes) -> int:
    """Line breaks as a text editor (and Python's csv module) counts them: \\n, \\r\\n or a lone \\r."""
    n = text.count(b"\n")
    return n + text.count(b"\r") - text.count(b"\r\n") if b"\r" in text else n


def _inner_breaks(cells: pd.DataFrame) -> np.ndarray:
    """Line breaks inside each row's cells (quoted cells may hold them), per row."""
    total = np.zeros(len(cells), dtype=np.int64)
    for _, col in cells.items():
        total += by_unique(col, lambda u: (u.str.count("\n") + u.str.count("\r") - u.str.count("\r\n")).astype("int64")).to_numpy()
    return total


def _transcode(data: bytes) -> bytes | None:
    """GB18030 bytes as UTF-8 (Arrow reads UTF-8 only); ``None`` if they are not GB18030."""
    try:
        return data.decode("gb18030").encode("utf-8")
    except UnicodeDecodeError:
        return None


def _repetitive_columns(sample: list[bytes], sep: bytes, width: int) -> set[int]:
    """Columns whose first rows repeat values (at most half distinct): worth reading as
    categoricals. Ids and free text are read as plain strings."""
    columns = list(zip(*(line.rstrip(b"\r").split(sep) for line in sample if line.count(sep) == width - 1)))
    return {i for i, col in enumerate(columns) if len(set(col)) <= max(1, len(col) // 2)}


def _arrow_csv(data: bytes, delimiter: str, names: list[str], repeats: set[int], skip: int, skip_invalid: bool = False) -> tuple[pd.DataFrame, int] | None:
    """The lines after the first ``skip`` as text columns, and how many rows of another width were
    left out (``skip_invalid``; otherwise such a row fails the read). ``None`` if Arrow cannot
    read the file as a table (a row of another width, invalid UTF-8)."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    left_out = []
    types = {n: (pa.dictionary(pa.int32(), pa.string()) if i in repeats else pa.string()) for i, n in enumerate(names)}
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(skip_rows=skip, column_names=names),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, quote_char='"', double_quote=True, newlines_in_values=True, ignore_empty_lines=False,
                invalid_row_handler=(lambda row: left_out.append(1) or "skip") if skip_invalid else None,
            ),
            convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=False, quoted_strings_can_be_null=False, null_values=[]),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    return table.combine_chunks().to_pandas(), len(left_out)  # one chunk per column: later takes are far faster


def _arrow_says_utf8(data: bytes) -> bool:
    """Whether ``data`` is all UTF-8, by Arrow's vectorised check over the bytes in place (no copy;
    several times faster than decoding them in Python, which then only finds where a fault is)."""
    import numpy as np
    import pyarrow as pa

    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    blob = pa.LargeBinaryArray.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        blob.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def _first_non_utf8(data: bytes) -> int:
    """The offset of the first byte that is not UTF-8, or -1 when all are (checked a block at a
    time: no copy of a large file as text)."""
    import codecs

    if _arrow_says_utf8(data):
        return -1
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), 1 << 22):
            decoder.decode(data[start : start + (1 << 22)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        try:  # where exactly: decoded again up to the block that failed (once, on this error path)
            data[: start + (1 << 22)].decode("utf-8")
        except UnicodeDecodeError as exc:
            return exc.start
        return len(data) - len(decoder.getstate()[0])  # a character cut off by the end of the file
    return -1


def _is_utf8(data: bytes) -> bool:
    """Whether the bytes are UTF-8."""
    return _first_non_utf8(data) < 0


def _compact(cells: pd.DataFrame) -> pd.DataFrame:
    """Text columns whose first rows repeat values (at most half distinct) as categoricals, as the
    fast CSV reader gives them: later stages then work on distinct values only."""
    out = {}
    for name, col in cells.items():
        head = col.iloc[:2000]
        out[name] = col.astype("category") if head.nunique() <= max(1, len(head) // 2) else col
    return pd.DataFrame(out, index=cells.index)


def _blank_rows(cells: pd.DataFrame) -> np.ndarray:
    """True for rows whose every cell is blank (only spaces or nothing)."""
    blank = np.ones(len(cells), dtype=bool)
    for name in cells.columns:
        blank &= _is_blank(cells[name])
        if not blank.any():
            break
    return blank


def _is_blank(col: pd.Series) -> np.ndarray:
    """Boolean array: the cell is empty or only whitespace (missing cells count as blank)."""
    return by_unique(col, lambda u: (u.str.strip() == "").astype(bool)).to_numpy(dtype=bool)


def _csv_rows(path: Path, physical: list[str], delimiter: str, literal: set[int] = frozenset()) -> tuple[list[list[str]], list[int], list[int]]:
    """Records with the lines each starts and ends on (a quoted cell may span lines; blank lines
    are skipped). ``physical``: the file's lines with their line ends; a line in ``literal``
    (1-based) is one record split on the separator as written, its quotes kept as characters."""
    _allow_long_cells()
    rows, starts, ends = [], [], []
    pos = 0  # index of the next physical line to read
    for stop in [*sorted(n - 1 for n in literal if n - 1 >= 0), len(physical)]:
        if stop < pos:
            continue
        reader = csv.reader(itertools.islice(physical, pos, stop), delimiter=delimiter)
        end = 0
        try:
            for cells in reader:
                start, end = end + 1, reader.line_num
                if cells and any(c.strip() for c in cells):
                    rows.append(cells)
                    starts.append(pos + start)
                    ends.append(pos + end)
        except csv.Error as exc:
            raise LedgerReadError(f"{path}: not a readable CSV file (line {pos + reader.line_num}: {exc})") from None
        if stop < len(physical):
            cells = physical[stop].rstrip("\r\n").split(delimiter)
            if any(c.strip() for c in cells):
                rows.append(cells)
                starts.append(stop + 1)
                ends.append(stop + 1)
        pos = stop + 1
    return rows, starts, ends


def _swallowing_quotes(physical: list[str], rows: list[list[str]], starts: list[int], ends: list[int], delimiter: str, width: int) -> set[int]:
    """The lines (of ``starts``) whose record swallows the lines below it (:func:`_swallows`)."""
    last = len(rows) - 1
    return {start for i, (cells, start, end) in enumerate(zip(rows, starts, ends))
            if (end > start or (i == last and '"' in physical[start - 1])) and _swallows(cells, physical[start - 1 : end], delimiter, width)}


def _swallows(cells: list[str], lines: list[str], delimiter: str, width: int) -> bool:
    """Whether a record read from ``lines`` (with their line ends) is a quote swallowing the lines
    below it: its quoting is broken (the file ends inside the quote, or the quote closes amid a
    cell), or a cell holds a line that reads as a row of its own (as many separators as the
    header has). A quoted cell holding a line break (a title on two lines) is none of these."""
    try:
        list(csv.reader(lines, delimiter=delimiter, strict=True))
    except csv.Error:
        return True
    return width >= 2 and any(line.count(delimiter) >= width - 1 for cell in cells if "\n" in cell or "\r" in cell
                              for line in cell.splitlines()[1:])


def _tabulate(path: Path, rows: list[list[str]], lines: list[int] | None, known_header, encoding: str, delimiter: str = ",",
              spreadsheet: Sheet | None = None, literal: set[int] = frozenset()) -> RawTable:
    """Header and body of a table given as rows of cells (``lines``: each row's line; ``None``
    for a spreadsheet, whose row numbers are the lines and whose hidden rows and columns, date
    system and merged header cells ``spreadsheet`` describes; ``literal``: lines read as written
    because a quote on them swallowed the lines below)."""
    if lines is None:  # spreadsheet: the row number is the line
        lines = list(range(1, len(rows) + 1))
        keep = [i for i, r in enumerate(rows) if any(str(c).strip() for c in r)]
        rows, lines = [rows[i] for i in keep], [lines[i] for i in keep]
    if not rows:
        raise LedgerReadError(f"{path}: the file has no rows")
    at, header = _find_header(rows, known_header)
    if sum(bool(known_header(h)) for h in header) < 2:
        seen = ", ".join(h for h in header if h)[:200] or "(none)"
        separator = "" if spreadsheet is not None else f"; cells split on {_SEPARATOR_NAMES.get(delimiter, repr(delimiter))}; tried commas, tabs, semicolons and vertical bars"
        raise LedgerReadError(
            f"{path}: no header row naming the ledger's columns in the first {HEADER_SEARCH_ROWS} rows "
            f"(the best candidate holds: {seen}{separator}); see README, Ledger format, or add column_aliases"
        )
    width, named = len(header), _named_width(header)
    body, body_lines, short = [], [], {}
    broken: dict[int, str] = {}
    for cells, line in zip(rows[at + 1 :], lines[at + 1 :]):
        if line in literal:
            broken[len(body)] = delimiter.join(cells)
        elif len(cells) != width:
            # Trailing empty cells are padding in spreadsheets, not a short row.
            trimmed = list(cells)
            while len(trimmed) > width and not str(trimmed[-1]).strip():
                trimmed.pop()
            if not named <= len(trimmed) <= width and spreadsheet is None:
                short[len(body)] = (len(trimmed), delimiter.join(map(str, trimmed)))
            cells = trimmed
        if len(cells) != width:
            cells = (list(cells) + [""] * width)[:width]
        body.append(cells)
        body_lines.append(line)
    columns = list(zip(*body)) if body else [()] * width
    cells = _compact(pd.DataFrame({str(i): pd.Series(col, dtype="str") for i, col in enumerate(columns)}, index=pd.RangeIndex(len(body))))
    table = RawTable(header, cells, pd.Series(body_lines, dtype="int64"), short, encoding, lines[at], broken_quotes=broken)
    if spreadsheet is None:
        return table
    return replace(
        table,
        hidden_rows=tuple(i for i, line in enumerate(body_lines) if line in spreadsheet.hidden_rows),
        hidden_columns=tuple(header[c] or f"column {c + 1}" for c in sorted(spreadsheet.hidden_columns) if c < width),
        epoch=spreadsheet.epoch,
    )


def _named_width(header: list[str]) -> int:
    """The header's cells up to its last non-blank one: a header padded with separators
    (``提案号,…,满意度,,``) does not make a row lacking those nameless cells a short row."""
    named = len(header)
    while named > 1 and not str(header[named - 1]).strip():
        named -= 1
    return named


_SEPARATOR_NAMES = {",": "commas (,)", "\t": "tabs", ";": "semicolons (;)", "|": "vertical bars (|)"}


def _allow_long_cells() -> None:
    # Python's csv refuses cells over 131,072 characters by default; a ledger's notes can be longer.
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))


def _find_header(rows: list[list[str]], known_header) -> tuple[int, list[str]]:
    """The header row (the first of the top rows naming ≥ 2 known columns) and its names.

    A two-row header is joined: a group cell above sub-headers ("办理情况" over "答复日期 | 类别")
    leaves the sub-headers, which name the columns. A group cell spans several columns — merged
    across them in a workbook (its value is then in each), or in a CSV followed by blank or
    repeated cells — and may itself be a column name (承办单位 over 主办单位 | 协办单位): it only
    groups. A cell merged down both rows (提案号) is the same in both.
    """
    best, best_hits = 0, -1
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        hits = sum(bool(known_header(c)) for c in row if str(c).strip())
        if hits > best_hits:
            best, best_hits = i, hits
        if hits >= 2:
            best = i
            break
    header = [str(c).strip() for c in rows[best]]
    if best + 1 < len(rows):  # a second header row under merged group cells?
        below = [str(c).strip() for c in rows[best + 1]]
        below += [""] * (len(header) - len(below))
        grouped = _group_cells(header, below)
        subs = [i for i, b in enumerate(below[: len(header)]) if b and known_header(b)]
        gains = sum(1 for i in subs if (not known_header(header[i]) or i in grouped) and below[i] != header[i])
        # A data row can hold header words too (主办, 面商): a sub-header sits only under a group
        # cell (blank, unknown, or spanning columns) or repeats the cell above it (a vertical merge).
        under_group = all(not known_header(header[i]) or header[i] == below[i] or i in grouped for i in subs)
        if gains >= 1 and under_group and len(subs) >= 2:
            joined = []
            for i, top in enumerate(header):
                sub = below[i]
                if i in grouped:
                    joined.append(sub or top)
                else:
                    joined.append(sub if sub and known_header(sub) else top or sub)
            return best + 1, joined
    return best, header


def _group_cells(top: list[str], below: list[str]) -> set[int]:
    """Columns under a group cell of ``top``: a cell followed by blank cells or by copies of
    itself (a merged range, as a workbook or a CSV export writes it), over at least two distinct
    sub-header cells in ``below``."""
    grouped: set[int] = set()
    i = 0
    while i < len(top):
        j = i + 1
        while top[i] and j < len(top) and top[j] in ("", top[i]):
            j += 1
        span = range(i, j)
        if j - i >= 2 and len({below[k] for k in span if below[k]} - {top[i]}) >= 2:
            grouped.update(span)
        i = j
    return grouped


def _parquet(path: Path) -> RawTable:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:
        raise LedgerReadError(f"{path}: not a readable Parquet file ({type(exc).__name__}: {exc})") from None
    header = [str(c) for c in frame.columns]
    cells = _compact(pd.DataFrame(
        {str(i): _as_text(frame[c]) for i, c in enumerate(frame.columns)}, index=pd.RangeIndex(len(frame))
    ))
    return RawTable(header, cells, pd.Series(range(1, len(frame) + 1), dtype="int64"), {}, "parquet", 0)


def _as_text(col: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(col):
        return col.dt.strftime("%Y-%m-%d").fillna("").astype("str")
    if pd.api.types.is_float_dtype(col):
        return col.map(lambda v: "" if pd.isna(v) else (str(int(v)) if float(v).is_integer() else str(v))).astype("str")
    return col.astype("str").where(col.notna(), "")
