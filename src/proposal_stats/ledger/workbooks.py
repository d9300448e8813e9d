"""Reading a spreadsheet — XLSX/XLSM, XLSB, old binary XLS, ODS — into rows of text cells.

What a file is comes from its bytes, not its name (an XLSX saved as ``.xls`` is read as XLSX):
:func:`sniff`. Cell values come from calamine (``python-calamine``, the Rust reader pandas uses),
which reads every one of these formats, Strict Open XML included, reads only the cells that hold
a value (a formatted empty cell at row 1,048,576 costs nothing), and gives the workbook's merged
ranges. What calamine does not give is read from the file itself: for XLSX the sheet's XML (hidden
and filtered rows, hidden columns, formulas never calculated, number formats such as ``000`` that
show 7 as ``007``) and the workbook's date system (1904 for Excel for Mac); for XLS the same
through xlrd. Dates Excel formats as dates come back as dates whatever the date system; the
epoch is kept (:attr:`Sheet.epoch`) so that a bare serial number is read from the right one.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd

#: Excel's two date systems: days since 1899-12-30 (Windows) or since 1904-01-01 (Excel for Mac).
EPOCH_1900 = pd.Timestamp("1899-12-30")
EPOCH_1904 = pd.Timestamp("1904-01-01")

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class WorkbookError(ValueError):
    """The file is a workbook (or looks like one) that cannot be read; the message says what it is."""


@dataclass
class Sheet:
    """One sheet as text cells.

    Attributes:
        rows: text cells by sheet row; ``rows[i]`` is spreadsheet row ``i + 1`` (rows above the
            first value included, blank), up to the last row holding a value. A merged range's
            value is in every cell it covers.
        title: the sheet's name; ``kind``: ``xlsx``, ``xlsb``, ``xls`` or ``ods``.
        hidden_rows: spreadsheet rows (1-based) hidden or filtered out; ``hidden_columns``:
            hidden columns (0-based).
        merged: merged ranges as ``(first_row, first_col, last_row, last_col)``, 0-based, inclusive.
        epoch: the workbook's date system, for bare serial numbers.
    """

    rows: list[list[str]]
    title: str
    kind: str
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    epoch: pd.Timestamp = EPOCH_1900


def sniff(path: Path) -> str:
    """What the file holds, from its first bytes (and, for a ZIP, its parts): ``xlsx``, ``xlsb``,
    ``ods``, ``xls``, ``parquet`` or ``text`` (CSV/TSV, decided later).

    Raises:
        WorkbookError: a kind of file that is no ledger (PDF, Word, an HTML page, SpreadsheetML
            2003), named with what to do.
    """
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    if head.startswith(OLE2):
        return "xls"  # or a Word .doc or an encrypted workbook: calamine says which when it fails
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"%PDF"):
        raise WorkbookError(f"{path}: a PDF document, not a table; export the ledger from its source as XLSX or CSV")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or (text.startswith(b"<") and b"<table" in text):
        raise WorkbookError(f"{path}: an HTML page (web systems often export tables this way, under an .xls name), not a workbook; "
                            "open it in Excel or WPS and save it as .xlsx, then read that")
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise WorkbookError(f"{path}: an \"XML Spreadsheet 2003\" file, not a workbook this reader knows; open it in Excel and save it as .xlsx")
    return "text"


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            mimetype = z.read("mimetype")[:100] if "mimetype" in names else b""
    except zipfile.BadZipFile:
        raise WorkbookError(f"{path}: not a readable XLSX workbook (a damaged ZIP file)") from None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if b"opendocument.spreadsheet" in mimetype:
        return "ods"
    if "word/document.xml" in names or b"opendocument.text" in mimetype:
        raise WorkbookError(f"{path}: a word-processor document, not a workbook; copy its table into a spreadsheet and save it as .xlsx")
    raise WorkbookError(f"{path}: a ZIP archive that holds no workbook")


def _visible(meta) -> bool:
    return str(meta.visible).endswith("Visible") and not str(meta.visible).endswith("Hidden")


def sheet_names(path: Path, visible: bool = False) -> list[str]:
    """The workbook's sheet names in order (only the visible ones with ``visible``).

    Called on a workbook :func:`read_sheet` has read; calamine's own exception passes through for
    one it cannot open (:func:`read_sheet` turns that into a :class:`WorkbookError` first).
    """
    import python_calamine as pc

    with open(path, "rb") as fh:
        return [m.name for m in pc.CalamineWorkbook.from_filelike(fh).sheets_metadata if not visible or _visible(m)]


def read_sheet(path: Path, kind: str, sheet: str | None = None) -> Sheet:
    """The named sheet, or the sheet the workbook opens on (else the first visible one; a hidden
    sheet is never read unless named), as text cells with its hidden rows and columns.

    Raises:
        WorkbookError: not readable as a workbook, no such sheet, no visible sheet.
    """
    import python_calamine as pc

    try:
        with open(path, "rb") as fh:  # from a file object calamine goes by the content, not the name
            book = pc.CalamineWorkbook.from_filelike(fh)
    except Exception as exc:  # calamine raises its own kinds, and more for damaged files
        what = "a password-protected workbook, an old Word document or a damaged file" if kind == "xls" else f"a damaged {kind.upper()} file"
        raise WorkbookError(f"{path}: not a readable {kind.upper()} workbook ({what}: {type(exc).__name__}: {exc})") from None
    names = book.sheet_names
    visible = [m.name for m in book.sheets_metadata if _visible(m)]
    if sheet is not None and sheet not in names:
        raise WorkbookError(f"{path}: no sheet named {sheet!r} (sheets: {', '.join(names)})")
    meta = _XlsxParts(path) if kind == "xlsx" else None
    if sheet is None:
        active = meta.active_sheet(names) if meta else None
        sheet = active if active in visible else (visible[0] if visible else None)
        if sheet is None:
            raise WorkbookError(f"{path}: the workbook has no visible sheet (name one with ledger_sheet: or --sheet; sheets: {', '.join(names)})")
    ws = book.get_sheet_by_name(sheet)
    try:
        values = ws.to_python(skip_empty_area=False)
        merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (ws.merged_cell_ranges or [])]
    except Exception as exc:
        raise WorkbookError(f"{path}: sheet {sheet!r} cannot be read ({type(exc).__name__}: {exc})") from None
    out = Sheet(rows=[], title=sheet, kind=kind, merged=merged)
    overrides: dict[tuple[int, int], str] = {}
    if meta is not None:
        out.epoch = meta.epoch()
        out.hidden_rows, out.hidden_columns, overrides = meta.sheet_layout(sheet)
    elif kind == "xls":
        out.epoch, out.hidden_rows, out.hidden_columns = _xls_layout(path, sheet)
    elif kind == "ods":
        out.hidden_rows, out.hidden_columns, spans = _ods_layout(path, sheet)
        out.merged = merged + spans
    out.rows = _text_rows(values, out.merged, overrides)
    return out


def _text_rows(values: list[list], merged: list[tuple[int, int, int, int]], overrides: dict[tuple[int, int], str]) -> list[list[str]]:
    """Cells as text (dates ISO, whole numbers without ``.0``); each merged range's value copied
    into the cells it covers; ``overrides`` (row, col) → text put over what calamine gave;
    trailing blank rows dropped."""
    rows = [[v if type(v) is str else cell_text(v) for v in row] for row in values]  # most cells are text already
    for (r, c), text in overrides.items():
        if r < len(rows) and c < len(rows[r]):
            rows[r][c] = text
    for r0, c0, r1, c1 in merged:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                row[c] = value
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    return rows


def cell_text(value) -> str:
    """A spreadsheet cell as text: dates ISO (a time only when there is one), whole numbers
    without '.0', booleans as ``true``/``false``."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---- XLSX: what the XML says beyond the values ----------------------------------------------------

_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_COL = re.compile(rb"<(?:\w+:)?col\b([^>]*?)/?>")
_ATTR = re.compile(rb"\b(\w+)=\"([^\"]*)\"")
# A cell holding a formula and no cached value (written by a program, never calculated in Excel).
_BARE_FORMULA = re.compile(rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)\s*(?:<(?:\w+:)?v>\s*</(?:\w+:)?v>\s*|<(?:\w+:)?v\s*/>\s*)?</(?:\w+:)?c>", re.S)
_NUMERIC_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*\bs=\"(\d+)\"[^>]*)>\s*<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_REF = re.compile(r"^([A-Z]+)(\d+)$")


def _attrs(raw: bytes) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in _ATTR.findall(raw)}


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class _XlsxParts:
    """The parts of an XLSX (transitional or Strict) read beside calamine: the workbook's date
    system and active sheet, and a sheet's hidden rows and columns, bare formulas and padded numbers."""

    def __init__(self, path: Path):
        self.path = path
        with zipfile.ZipFile(path) as z:
            self.workbook = ElementTree.fromstring(z.read("xl/workbook.xml"))
            rels = "xl/_rels/workbook.xml.rels"
            self.rels = ElementTree.fromstring(z.read(rels)) if rels in z.namelist() else None
            self.styles = z.read("xl/styles.xml") if "xl/styles.xml" in z.namelist() else b""

    def epoch(self) -> pd.Timestamp:
        for el in self.workbook.iter():
            if _local(el.tag) == "workbookPr":
                return EPOCH_1904 if el.get("date1904", "").lower() in ("1", "true") else EPOCH_1900
        return EPOCH_1900

    def active_sheet(self, names: list[str]) -> str | None:
        for el in self.workbook.iter():
            if _local(el.tag) == "workbookView":
                i = int(el.get("activeTab", "0") or 0)
                return names[i] if 0 <= i < len(names) else None
        return names[0] if names else None

    def _sheet_part(self, title: str) -> str | None:
        rid = None
        for el in self.workbook.iter():
            if _local(el.tag) == "sheet" and el.get("name") == title:
                rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
        if rid is None or self.rels is None:
            return None
        for el in self.rels:
            if el.get("Id") == rid:
                target = el.get("Target", "")
                return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        return None

    def _padded_styles(self) -> dict[int, int]:
        """Cell style index → digits, for number formats made only of zeros (``000``: 7 shows as 007)."""
        if b"numFmt" not in self.styles:
            return {}
        root = ElementTree.fromstring(self.styles)
        zeros = {el.get("numFmtId"): len(el.get("formatCode", "")) for el in root.iter()
                 if _local(el.tag) == "numFmt" and re.fullmatch(r"0{2,}", el.get("formatCode", "") or "")}
        if not zeros:
            return {}
        xfs = next((el for el in root.iter() if _local(el.tag) == "cellXfs"), None)
        return {i: zeros[xf.get("numFmtId")] for i, xf in enumerate(xfs or []) if xf.get("numFmtId") in zeros}

    def sheet_layout(self, title: str) -> tuple[set[int], set[int], dict[tuple[int, int], str]]:
        """Hidden rows (1-based), hidden columns (0-based), and cell texts calamine cannot give:
        ``=FORMULA`` for a formula never calculated (so that it is flagged, not read as blank), and
        zero-padded numbers. Keys of the last are (row, col), 0-based."""
        part = self._sheet_part(title)
        if part is None:
            return set(), set(), {}
        with zipfile.ZipFile(self.path) as z:
            try:
                xml = z.read(part)
            except KeyError:
                return set(), set(), {}
        hidden_rows, row = set(), 0
        if b"hidden=" in xml:
            for m in _ROW.finditer(xml):
                a = _attrs(m.group(1))
                row = int(a["r"]) if "r" in a else row + 1
                if a.get("hidden", "").lower() in ("1", "true"):
                    hidden_rows.add(row)
        hidden_columns = set()
        head = xml[: xml.find(b"sheetData")] if b"sheetData" in xml else b""
        for m in _COL.finditer(head):
            a = _attrs(m.group(1))
            if a.get("hidden", "").lower() in ("1", "true"):
                hidden_columns.update(range(int(a.get("min", 1)) - 1, int(a.get("max", a.get("min", 1)))))
        overrides: dict[tuple[int, int], str] = {}
        if b"<f" in xml or b":f" in xml:
            for m in _BARE_FORMULA.finditer(xml):
                ref = _REF.match(_attrs(m.group(1)).get("r", ""))
                if ref:
                    text = (m.group(2) or b"").decode("utf-8", "replace")
                    overrides[(int(ref.group(2)) - 1, _col_index(ref.group(1)))] = "=" + _unescape(text) if text else "=(shared formula)"
        padded = self._padded_styles()
        if padded:
            for m in _NUMERIC_CELL.finditer(xml):
                a = _attrs(m.group(1))
                digits = padded.get(int(m.group(2)))
                ref = _REF.match(a.get("r", ""))
                value = m.group(3).decode()
                if digits and ref and a.get("t", "n") == "n" and re.fullmatch(r"\d+(?:\.0+)?", value):
                    overrides[(int(ref.group(2)) - 1, _col_index(ref.group(1)))] = str(int(float(value))).zfill(digits)
        return hidden_rows, hidden_columns, overrides


_ENTITY = re.compile(r"&(?:#(\d+)|#[xX]([0-9a-fA-F]+)|(lt|gt|quot|apos|amp));")
_NAMED = {"lt": "<", "gt": ">", "quot": '"', "apos": "'", "amp": "&"}


def _unescape(text: str) -> str:
    """XML text as it reads: the five named entities and character references (``&#21439;`` is
    县, ``&#x53BF;`` too), in one pass so that ``&amp;lt;`` stays ``&lt;``."""
    def one(m: re.Match) -> str:
        if m.group(3):
            return _NAMED[m.group(3)]
        code = int(m.group(1)) if m.group(1) else int(m.group(2), 16)
        return chr(code) if 0 < code <= 0x10FFFF else m.group(0)

    return _ENTITY.sub(one, text) if "&" in text else text


def _xls_layout(path: Path, title: str) -> tuple[pd.Timestamp, set[int], set[int]]:
    """An old binary workbook's date system, hidden rows (1-based) and hidden columns (0-based), by xlrd."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
        ws = book.sheet_by_name(title)
    except Exception:  # calamine read the values; without xlrd's view the layout is unknown, not fatal
        return EPOCH_1900, set(), set()
    rows = {r + 1 for r, info in ws.rowinfo_map.items() if info.hidden}
    cols = {c for c, info in ws.colinfo_map.items() if info.hidden}
    return (EPOCH_1904 if book.datemode == 1 else EPOCH_1900), rows, cols


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _ods_layout(path: Path, title: str) -> tuple[set[int], set[int], list[tuple[int, int, int, int]]]:
    """An ODS sheet's hidden rows (1-based; ``table:visibility`` collapse or filter), hidden
    columns (0-based) and merged ranges (``number-rows-spanned`` / ``number-columns-spanned``),
    which calamine does not give, from ``content.xml`` read as a stream."""
    hidden_rows: set[int] = set()
    hidden_cols: set[int] = set()
    spans: list[tuple[int, int, int, int]] = []
    t = _ODS_TABLE
    inside, row, col = False, 0, 0
    with zipfile.ZipFile(path) as z, z.open("content.xml") as fh:
        for event, el in ElementTree.iterparse(fh, events=("start", "end")):
            tag = el.tag
            if tag == f"{t}table":
                if event == "start":
                    inside = el.get(f"{t}name") == title
                elif inside:
                    break
                continue
            if not inside or event != "start":
                if event == "end" and tag in (f"{t}table-row", f"{t}table-cell", f"{t}covered-table-cell"):
                    el.clear()
                continue
            if tag == f"{t}table-column":
                n = int(el.get(f"{t}number-columns-repeated", "1"))
                if el.get(f"{t}visibility", "visible") != "visible":
                    hidden_cols.update(range(col, col + n))
                col += n
            elif tag == f"{t}table-row":
                n = int(el.get(f"{t}number-rows-repeated", "1"))
                if el.get(f"{t}visibility", "visible") != "visible" and n < 10_000:  # not the filler rows to the sheet's end
                    hidden_rows.update(range(row + 1, row + n + 1))
                row += n
                col = 0
            elif tag in (f"{t}table-cell", f"{t}covered-table-cell"):
                rows_spanned = int(el.get(f"{t}number-rows-spanned", "1"))
                cols_spanned = int(el.get(f"{t}number-columns-spanned", "1"))
                if rows_spanned > 1 or cols_spanned > 1:
                    spans.append((row - 1, col, row - 2 + rows_spanned, col + cols_spanned - 1))
                col += int(el.get(f"{t}number-columns-repeated", "1"))
    return hidden_rows, hidden_cols, spans
