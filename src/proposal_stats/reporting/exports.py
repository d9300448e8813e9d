"""Every table a report exports, as CSV and as one Excel workbook, safe to open in Excel.

One function per target: :func:`write_csv` (one table), :func:`write_workbook` (several tables, one
sheet each, after an "about" sheet), and :func:`write_tables` (both, for a report's output folder).
A table is a :class:`Table`: a DataFrame and what its columns hold, so every export applies the same
rules:

* **Formula injection neutralised** (OWASP, "CSV Injection"): a text cell that begins with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return would run as a formula in Excel. In a CSV it is
  written with a leading apostrophe (``'=1+2``), which Excel shows as text; in the workbook it is
  stored as a text cell (never a formula) with Excel's quote prefix, its value unchanged. Numbers,
  negative ones included, stay numbers: numeric columns are never touched, nor is a text cell that
  is just a number (``-3``, ``+7.5``).
* **One rounding rule** (:func:`proposal_stats.stats.metrics.round_half_up`, decimal, half-up):
  percent columns to 2 decimals, days to whole days, any other decimal column to 2 decimals; no
  binary noise (``70.60000000000001``) and no ``2.8e-17`` for a zero.
* **Percent columns say what they hold**: in a CSV their name ends in ``_pct`` and they hold
  percent numbers (``share_pct`` = 71.37); in the workbook they hold fractions with a percent format
  (0.7137, shown 71.37%), as Excel stores a percentage, and their header is the plain name
  (``share``, in Chinese 占比), never ``_pct`` or "(%)": a reader of the workbook (pandas, R) gets
  0.7137 under a header that does not claim percent numbers.
* **Dates are dates**: ``YYYY-MM-DD`` in a CSV, date cells in the workbook.
* CSV files are UTF-8 with a byte-order mark (Excel then reads Chinese correctly) and RFC 4180
  ``\\r\\n`` line ends, so a cell holding a line break or a lone carriage return is quoted and
  reads back as one cell (Python's ``csv``, pandas, Excel); ``"`` inside a cell is doubled.
  The workbook's header rows are frozen and filterable; its first sheet says what each sheet
  holds and where the figures come from. The same tables give a byte-identical workbook.

Header labels in the workbook come from a caller-supplied mapping or function (English column
names by default), so a report in Chinese gets Chinese headers; CSV headers stay the stable
machine names.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ..messages import Msg, message_column
from ..stats.metrics import as_percent, round_half_up
from .i18n import SOURCE_LANGUAGE, Translator
from .vocabulary import column, printed_class, problem_place, term

#: First characters that make a spreadsheet cell a formula (OWASP CSV Injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number (-5, +3.2, -1,234.5, -1e3, -5%) is a value to Excel, not a formula: the same
# definition as the ledger's spreadsheet_formula rule (ledger/model.py).
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)*|\.\d+)(?:[eE][+-]?\d+)?%?")
# Characters XML 1.0 (hence XLSX) cannot hold; shown as \xNN rather than lost.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: A report's table larger than this (rows × columns) is in its CSV only: the workbook's sheet says
#: so. openpyxl writes about 80,000 cells a second, so 200,000 proposals (3.6 million cells) would
#: take 50 s, while real ledgers (hundreds to a few thousand proposals) stay far below the limit.
WORKBOOK_MAX_CELLS = 500_000
#: Excel's limits: characters in a cell, rows in a sheet (the header is one), sheet-name length.
EXCEL_CELL_CHARS = 32_767
EXCEL_ROWS = 1_048_576
SHEET_NAME_CHARS = 31
PERCENT_SUFFIX = "_pct"
PERCENT_FORMAT = "0.00%"


def percent_format(places: int) -> str:
    """Excel's percent format showing ``places`` decimals (2: ``0.00%``; 1: ``0.0%``), so a cell
    shows the precision it was rounded to (0.063 as 6.3%, not 6.30%)."""
    return "0%" if places <= 0 else f"0.{'0' * places}%"
DATE_FORMAT = "yyyy-mm-dd"
#: The workbook's fixed timestamp (file entries and document properties): same tables, same bytes.
FIXED_TIME = dt.datetime(2000, 1, 1)


def needs_neutralising(text: str) -> bool:
    """True if a text cell would be taken as a formula by Excel: it begins with ``= + - @``, a tab or
    a carriage return, and is not simply a number (``-3``, ``-5%`` stay as they are) nor a lone
    ``-`` (a blank's placeholder)."""
    return bool(text) and text.startswith(FORMULA_STARTS) and text != "-" and not _PLAIN_NUMBER.fullmatch(text)


def neutralise(text: str) -> str:
    """The CSV form of a text cell: a leading apostrophe when :func:`needs_neutralising` (Excel then
    shows ``'=1+2`` as text and runs nothing); any other text unchanged."""
    return "'" + text if needs_neutralising(text) else text


@dataclass(frozen=True)
class Table:
    """One exported table.

    Attributes:
        name: file stem and sheet name (``unit_performance`` → ``unit_performance.csv`` and a sheet of
            that name); at most 31 characters (Excel's limit on sheet names).
        frame: the rows. Text columns are neutralised on export; numeric columns are kept as numbers.
        about: one sentence for the workbook's about sheet: what a row is, what the figures count.
        percent: columns holding percent values (already × 100: 71.37), exported rounded to
            ``places`` decimals, named ``<column>_pct`` in the CSV.
        proportion: columns holding proportions in [0, 1] (0.7137): exported as percent, exactly as
            ``percent`` columns (the × 100 is done in decimal arithmetic).
        days: columns holding days (possibly fractional, e.g. a median): exported as whole days.
        places: decimals of percent columns and of any other non-integer number column.
        as_written: columns that are the ledger's own, as written (a rejected row's cells): a
            workbook in another language keeps their header and cells as the file has them, even
            one that reads like a code (``proposal_id``, ``government``).
        worded: column → how a workbook in another language shows a cell of it (a function giving
            a message or text), where the column's name alone does not say (a problem's ``column``
            is a header as written or a canonical name). See :func:`write_workbook`'s ``words``.
    """

    name: str
    frame: pd.DataFrame
    about: str = ""
    percent: tuple[str, ...] = ()
    proportion: tuple[str, ...] = ()
    days: tuple[str, ...] = ()
    places: int = 2
    as_written: tuple[str, ...] = ()
    worded: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.name or len(self.name) > SHEET_NAME_CHARS or re.search(r"[\[\]:*?/\\]", self.name):
            raise ValueError(f"table name {self.name!r}: 1 to {SHEET_NAME_CHARS} characters, none of [ ] : * ? / \\")
        missing = [c for c in (*self.percent, *self.proportion, *self.days) if c not in self.frame.columns]
        if missing:
            raise ValueError(f"table {self.name}: no column(s) {', '.join(missing)}")

    def column_kinds(self) -> dict[str, str]:
        """Export name → kind (``percent``, ``days``, ``date``, ``integer``, ``number``, ``bool``,
        ``text``), in column order. Percent columns get the ``_pct`` suffix."""
        kinds = {}
        for col in self.frame.columns:
            kinds[export_name(self, col)] = _kind(self, col)
        return kinds

    def prepared(self) -> pd.DataFrame:
        """The frame as exported, before neutralising: percent columns renamed and rounded
        (Decimal), days whole (``Int64``), dates as :class:`datetime.date`, other decimals rounded,
        text as text. Undefined values are ``None``."""
        out = {}
        for col in self.frame.columns:
            kind = _kind(self, col)
            s = self.frame[col]
            if kind == "percent":
                convert = (lambda v: as_percent(v, self.places)) if col in self.proportion else (lambda v: round_half_up(v, self.places))
                values = [convert(v) for v in s.tolist()]
            elif kind == "days":
                values = [None if (d := round_half_up(v, 0)) is None else int(d) for v in s.tolist()]
            elif kind == "number":
                values = [round_half_up(v, self.places) for v in s.tolist()]
            else:  # whole columns at once: a 200,000-row table is not converted cell by cell
                values = _typed(s, kind)
            out[export_name(self, col)] = pd.Series(values, index=s.index, dtype=object)
        return pd.DataFrame(out, index=self.frame.index, columns=list(out))


def _typed(s: pd.Series, kind: str) -> pd.Series:
    """A date, integer, bool or text column as Python values (``datetime.date``, ``int``, ``bool``,
    ``str``), ``None`` where blank."""
    blank = s.isna()
    if kind == "date":
        values = pd.to_datetime(s).dt.date
    elif kind == "integer":
        values = s.astype("Int64")
    elif kind == "bool":
        values = s.astype("boolean")
    else:
        values = s
    values = values.astype(object).where(~blank, None)
    if kind == "text" and s.dtype == object:  # mixed objects (a number in a text column): as text
        values = message_column((v if v is None or isinstance(v, str) else str(v) for v in values), values.index)  # not map: Msg kept
    return values


def export_name(table: Table, column) -> str:
    """The column's name in a CSV: ``<name>_pct`` for percent and proportion columns (they hold
    percent numbers, 71.37)."""
    name = str(column)
    if column in table.percent or column in table.proportion:
        return name if name.endswith(PERCENT_SUFFIX) else name + PERCENT_SUFFIX
    return name


def workbook_name(table: Table, column) -> str:
    """The column's name in the workbook: percent and proportion columns hold fractions there
    (0.7137 with a percent format), so their name is the plain one, without ``_pct``."""
    name = str(column)
    if (column in table.percent or column in table.proportion) and name.endswith(PERCENT_SUFFIX):
        return name[: -len(PERCENT_SUFFIX)]
    return name


def _blank(v) -> bool:
    return v is None or (not isinstance(v, str) and pd.isna(v))


def _kind(table: Table, col) -> str:
    if col in table.percent or col in table.proportion:
        return "percent"
    if col in table.days:
        return "days"
    dtype = table.frame[col].dtype
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "date"
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_numeric_dtype(dtype):
        values = table.frame[col].dropna()
        # whole numbers stored as floats because of a gap (a year, a count): integers, not 2022.00
        return "integer" if len(values) and bool((values == values.round()).all()) else "number"
    values = table.frame[col].dropna()
    if len(values) and all(isinstance(v, dt.date) for v in values):
        return "date"
    if len(values) and all(isinstance(v, Decimal) for v in values):
        return "number"
    return "text"


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, Decimal)):
        return str(value)
    return neutralise(str(value))


def _neutralised(texts: pd.Series) -> pd.Series:
    """:func:`neutralise` on a column of text, the formula test run only on cells that start like one."""
    starts = texts.str.startswith(FORMULA_STARTS)
    if not starts.any():
        return texts
    texts = texts.copy()
    texts[starts] = texts[starts].map(neutralise)
    return texts


def csv_frame(table: Table) -> pd.DataFrame:
    """The table as its CSV holds it: every cell as text, neutralised, numbers rounded by the rule."""
    prepared = table.prepared()
    kinds = list(table.column_kinds().values())
    columns = {}
    for i, (col, kind) in enumerate(zip(prepared.columns, kinds)):
        s = prepared[col]
        columns[i] = _neutralised(s.where(s.notna(), "").astype(str)) if kind == "text" else s.map(_csv_text)
    # Headers too: a rejected row keeps the ledger's own header names, which are user data.
    return pd.DataFrame(columns, index=prepared.index).set_axis([neutralise(c) for c in prepared.columns], axis=1)


def write_csv(table: Table, path: str | Path) -> Path:
    """Write ``table`` as a CSV (UTF-8 with BOM, RFC 4180 ``\\r\\n`` line ends); text cells neutralised.

    The csv module quotes a cell holding a character of the line terminator: with ``\\r\\n``
    both a line feed and a lone carriage return inside a cell are quoted (with ``\\n`` alone a
    ``\\r`` would be written bare and split the row in every reader).

    Returns:
        The path written.
    """
    path = Path(path)
    csv_frame(table).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return path


Labels = Mapping[str, str] | Callable[[str], str] | None
Words = Callable[[str], Callable[[object], object]] | None


def _label(labels: Labels, name: str) -> str:
    if labels is None:
        return name
    if callable(labels):
        return labels(name) or name
    return labels.get(name, name)


@dataclass(frozen=True)
class About:
    """The workbook's first sheet: a title, ``(key, value)`` provenance lines (params file, ledger
    SHA-256, version…) and notes (synthetic data, rounding, neutralising)."""

    title: str
    provenance: Sequence[tuple[str, str]] = ()
    notes: Sequence[str] = ()
    sheet_header: tuple[str, str, str] = ("sheet", "what it holds", "rows")
    sheet_name: str = "about"


def write_workbook(tables: Sequence[Table], path: str | Path, about: About | None = None, labels: Labels = None,
                   max_cells: int | None = None, say: Callable[[Msg], str] = str, words: Words = None) -> Path:
    """Write ``tables`` to one XLSX workbook, one sheet per table, after an about sheet.

    Args:
        tables: the tables, in sheet order (names must differ).
        path: the ``.xlsx`` file to write (replaced if it exists).
        about: the first sheet's content; ``None`` leaves it out (e.g. a one-table export).
        labels: header label per workbook column name (:func:`workbook_name`; mapping or
            function); default the name.
        max_cells: a table with more cells (rows × columns) gets a sheet holding its header and
            a line saying that its rows are in its CSV (:func:`write_tables` passes
            :data:`WORKBOOK_MAX_CELLS`); ``None``: every row.
        say: translates the notes the workbook adds (``Translator`` of the report's language).
        words: how text and yes/no cells are shown, per column (a function from the column's name,
            and the table's own way to word it (:attr:`Table.worded`), to a function of one cell:
            :func:`~proposal_stats.reporting.vocabulary.cell_words`, codes, yes/no and messages in
            the report's language); ``None``: as in the CSV files.

    Each sheet: bold header row, frozen and with a filter; percent cells are fractions with a
    percent format (0.7137 shown 71.37%) under the column's plain name (:func:`workbook_name`:
    ``share``, not ``share_pct``), dates date cells, text cells strings (a text starting with ``=`` is never a formula and
    carries Excel's quote prefix). A text longer than Excel's 32,767 characters per cell is cut,
    and a table longer than a sheet is cut, with a note in the cell or on the about sheet.

    Returns:
        The path written.

    Raises:
        ValueError: two tables share a name.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    names = [t.name for t in tables]
    if len(set(names)) != len(names):
        raise ValueError(f"tables share a name: {names}")
    path = Path(path)
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    cut_tables: list[str] = []

    def text_cell(ws, value: str):
        value = _ILLEGAL_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
        if len(value) > EXCEL_CELL_CHARS:
            note = f"… [cut: {len(value)} characters; the CSV holds the whole text]"
            value = value[: EXCEL_CELL_CHARS - len(note)] + note
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # never a formula, whatever the first character
        if needs_neutralising(value):
            cell.quotePrefix = True
        return cell

    if about is not None:
        ws = wb.create_sheet(about.sheet_name)
        ws.column_dimensions["A"].width = 28
        ws.column_dimensions["B"].width = 90
        ws.column_dimensions["C"].width = 10
        ws.append([_styled(text_cell(ws, about.title), Font(bold=True, size=13))])
        ws.append([])
        ws.append([_styled(text_cell(ws, h), bold) for h in about.sheet_header])
        for t in tables:
            ws.append([text_cell(ws, t.name), text_cell(ws, t.about), len(t.frame)])
        ws.append([])
        for key, value in about.provenance:
            ws.append([_styled(text_cell(ws, key), bold), text_cell(ws, str(value))])
        ws.append([])
        for note in about.notes:
            ws.append([text_cell(ws, note)])

    for t in tables:
        too_big = max_cells is not None and len(t.frame) * max(1, len(t.frame.columns)) > max_cells
        prepared = (replace(t, frame=t.frame.iloc[:0]) if too_big else t).prepared()  # a sheet of its header only
        kinds = t.column_kinds()
        ws = wb.create_sheet(t.name)
        ws.freeze_panes = "A2"
        columns = list(prepared.columns)
        headers = [str(c) if c in t.as_written else _label(labels, workbook_name(t, c)) for c in t.frame.columns]
        widths = [min(60, max(8, _width(h) + 2)) for h in headers]
        rows = prepared.itertuples(index=False, name=None)
        limit = EXCEL_ROWS - 1
        body = []
        for i, row in enumerate(rows):
            if i >= limit:
                cut_tables.append(t.name)
                break
            body.append(row)
            if i < 200:  # widths from the first rows: enough to look right, cheap for big tables
                for j, v in enumerate(row):
                    if v is not None:
                        widths[j] = min(60, max(widths[j], _width(str(v)) + 2))
        for j, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = w
        if columns:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(body) + 1}"
        ws.append([_styled(text_cell(ws, h), bold) for h in headers])
        formats = [percent_format(t.places) if kinds[c] == "percent" else DATE_FORMAT if kinds[c] == "date" else None for c in columns]
        shown = [words(None if c in t.as_written else str(c), t.worded.get(c)) if words is not None and kinds[col] in ("text", "bool")
                 else None for c, col in zip(t.frame.columns, columns)]
        for row in body:
            cells = []
            for value, fmt, col, show in zip(row, formats, columns, shown):
                if show is not None and value is not None:
                    value = show(value)
                if value is None:
                    cells.append(None)
                elif isinstance(value, str):
                    cells.append(text_cell(ws, value))
                else:
                    if kinds[col] == "percent":
                        value = float(value / 100)
                    elif isinstance(value, Decimal):
                        value = float(value)
                    cell = WriteOnlyCell(ws, value=value)
                    if fmt:
                        cell.number_format = fmt
                    cells.append(cell)
            ws.append(cells)
        if too_big:
            ws.append([text_cell(ws, say(Msg("%(rows)s rows, too many to write into this workbook quickly: every row is in %(file)s",
                                             rows=f"{len(t.frame):,}", file=f"{t.name}.csv")))])
        elif t.name in cut_tables:
            ws.append([text_cell(ws, say(Msg("… cut at Excel's %(limit)s rows: %(rows)s rows in %(file)s", limit=f"{EXCEL_ROWS:,}",
                                             rows=f"{len(t.frame):,}", file=f"{t.name}.csv")))])

    wb.properties.creator = "proposal-stats"
    wb.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_deterministic(buffer.getvalue()))
    return path


def _styled(cell, font):
    cell.font = font
    return cell


def _width(text: str) -> int:
    """Display width in Excel's character units: CJK (wide) characters count twice."""
    first_line = text.split("\n", 1)[0][:80]
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in first_line)


def _deterministic(xlsx: bytes) -> bytes:
    """The same workbook with fixed timestamps (zip entries and document properties), so the same
    tables give the same bytes."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", lambda m: m.group(1) + stamp.encode(), data)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()


def write_tables(tables: Sequence[Table], folder: str | Path, about: About | None = None, labels: Labels = None,
                 workbook: str | None = "tables.xlsx", say: Callable[[Msg], str] = str, words: Words = None) -> list[Path]:
    """Write each table as ``<name>.csv`` into ``folder`` and all of them into one workbook; a table
    of more than :data:`WORKBOOK_MAX_CELLS` cells is in its CSV only (its sheet says so).

    Args:
        tables: the report's tables.
        folder: the output folder (made if missing).
        about: the workbook's about sheet (provenance and notes).
        labels: the workbook's header labels (see :func:`write_workbook`).
        workbook: the workbook's file name; ``None`` writes the CSVs only.
        say: translates the notes the workbook adds.
        words: how the workbook shows text cells (see :func:`write_workbook`); the CSVs keep codes.

    Returns:
        The paths written, CSVs first.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = [write_csv(t, folder / f"{t.name}.csv") for t in tables]
    if workbook:
        written.append(write_workbook(tables, folder / workbook, about, labels, max_cells=WORKBOOK_MAX_CELLS, say=say, words=words))
    return written


def export_frame(frame: pd.DataFrame, path: str | Path, name: str | None = None, about: str = "", **kinds) -> Path:
    """Export one DataFrame ("export what you see") to ``.csv`` or ``.xlsx`` by the path's suffix,
    with every rule of this module (neutralising, rounding, percent and date columns).

    Args:
        frame: the rows to export.
        path: ``*.csv`` or ``*.xlsx``.
        name: the sheet name (default: the file's stem, cut to 31 characters).
        about: a sentence on what the rows are (the workbook's about sheet).
        kinds: ``percent=(...)``, ``proportion=(...)``, ``days=(...)``, ``places=2`` as in :class:`Table`.

    Raises:
        ValueError: another suffix, or a column named in ``kinds`` is not in ``frame``.
    """
    path = Path(path)
    sheet = re.sub(r"[\[\]:*?/\\]", "_", name or path.stem)[:SHEET_NAME_CHARS] or "table"
    table = Table(sheet, frame, about, **kinds)
    if path.suffix.lower() == ".csv":
        return write_csv(table, path)
    if path.suffix.lower() == ".xlsx":
        return write_workbook([table], path, About(sheet, notes=[about]) if about else None)
    raise ValueError(f"{path}: export to .csv or .xlsx")


# ---- the tables of the reports -------------------------------------------------------------------

def _notes(t) -> list[str]:
    """The rules every workbook states, in the report's language."""
    return [
        t(Msg("Percentages are rounded half-up (decimal arithmetic) to 2 decimals, days to whole days. In this workbook "
          "a percentage is a fraction with a percent format (0.7137, shown 71.37%), as Excel stores percentages; "
          "in a CSV the same column ends in _pct and holds the percent number (share_pct = 71.37).")),
        t(Msg("Text cells beginning with = + - @, a tab or a carriage return are shown as text, never run as "
          "formulas: in a CSV they carry a leading apostrophe ('=1+2), in this workbook they are text cells.")),
    ]


def about_sheet(t, title: str, provenance: dict, notes: Sequence[str] = (), places: int = 2) -> About:
    """An about sheet in ``t``'s language for a workbook written outside a report (the explorer's
    export): its title, the provenance (machine names as keys in English, labels otherwise), the
    ``notes``, and the rules the workbook follows (rounding to ``places`` decimals, formulas as text)."""
    rules = _notes(t) if places == 2 else [t(Msg("Percentages are rounded half-up (decimal arithmetic) to one decimal, as the explorer "
                                                 "shows them; in this workbook a percentage is a fraction with a percent format (0.063, "
                                                 "shown 6.3%).")), _notes(t)[1]]
    return About(title=title, provenance=tuple((_key(t, k, term("provenance", k)), str(v)) for k, v in provenance.items()),
                 notes=(*notes, *rules), sheet_header=(t(Msg("sheet")), t(Msg("what it holds")), t(Msg("rows"))))


def _key(t, english: str, label) -> str:
    """An about-sheet key: the machine name in English (as in summary.json), else its label translated."""
    return english if t.language == SOURCE_LANGUAGE else str(t(label))


#: unit_performance columns holding proportions (exported as percent) and days.
PERFORMANCE_PROPORTIONS = ("a_share", "a_low", "a_high", "reply_rate", "on_time_rate", "f2f_rate", "response_rate",
                           "satisfaction_inclusive", "satisfaction_strict")
PERFORMANCE_DAYS = ("days_median", "days_p90")
#: The proposals table: every accepted proposal as the report counts it (the data model's columns).
PROPOSAL_COLUMNS = ("proposal_id", "title", "proposer", "proposer_type", "topic", "handling_system", "lead_unit", "co_handling_units",
                    "assigned_at", "due_at", "replied_at", "result_category", "resolution_status", "f2f_consulted", "satisfaction",
                    "second_replied_at", "second_satisfaction", "source_line")


def annual_tables(report) -> list[Table]:
    """The annual report's tables (:class:`~proposal_stats.reporting.report.AnnualReport`), in
    sheet order: categories, units, unit_performance, published_vs_ledger, proposals (every
    accepted proposal: the report's appendix lists only the first thousand), rejected_rows,
    problems; what each holds in the report's language."""
    t = Translator(report.language)
    a_code = report.params.result_scheme.codes[0]
    perf = report.performance
    return [
        Table("categories", report.categories_table(),
              t(Msg("Result categories of government-system proposals: printed code and label, normalised statuses, "
                "count, share of the proposals carrying a category.")), percent=("share",)),
        Table("units", report.units,
              t(Msg("One row per handling unit: assignments by role (lead or sole, co-handler, separate); per category code, "
                "replies and face-to-face consultations over the proposals the unit replied to itself."))),
        Table("unit_performance", perf,
              t(Msg("One row per handling unit: proposals it replied to itself (n), %(code)s share with its Wilson 95%% "
                    "interval and funnel verdict, reply, on-time, face-to-face and satisfaction rates, days to reply.", code=a_code)),
              proportion=tuple(c for c in PERFORMANCE_PROPORTIONS if c in perf.columns),
              days=tuple(c for c in PERFORMANCE_DAYS if c in perf.columns)),
        Table("published_vs_ledger", _comparisons(report.comparisons),
              t(Msg("Each figure the government printed beside the ledger's, and the verdict."))),
        Table("proposals", report.ledger.proposals[[c for c in PROPOSAL_COLUMNS if c in report.ledger.proposals.columns]],
              t(Msg("Every accepted proposal, one row each, as the report counts it: after normalisation (dates, statuses, "
                "evaluations in one vocabulary), its lead unit's reply, category and evaluations; source_line is its line in the ledger."))),
        Table("rejected_rows", report.ledger.rejected,
              t(Msg("Ledger rows rejected by validation, as written in the file (source_line as in a text editor or Excel), "
                "with the reasons; they are not counted.")), as_written=tuple(c for c in report.ledger.rejected.columns if c not in ("source_line", "reasons"))),
        Table("problems", _ledger_named_as_in_provenance(report),
              t(Msg("Every problem validation found (errors reject the row, warnings keep it): line, column, value, rule, message.")),
              worded={"column": problem_place(set(report.ledger.rejected.columns) - {"source_line", "reasons"})}),
    ]


def _comparisons(comparisons) -> pd.DataFrame:
    """Each published figure beside the ledger's: figure, ledger_text, printed_text, verdict, detail
    (a Msg kept, so the workbook can show it in the report's language)."""
    frame = pd.DataFrame([c.__dict__ for c in comparisons], columns=["figure", "ledger_text", "printed_text", "verdict", "detail"])
    frame["detail"] = message_column((c.detail for c in comparisons), frame.index)
    return frame


def _ledger_named_as_in_provenance(report) -> pd.DataFrame:
    """The ledger's problems with their ``file`` as the provenance names it (relative to the project:
    ``data/ledgers/x.csv``), never the absolute path of the machine that rendered the report, which
    would differ between two renders of the same inputs and tell readers of a published table where
    its author keeps files."""
    problems = report.ledger.problems
    if "file" not in problems.columns or problems.empty:
        return problems
    shown = report.provenance()["ledger_file"]
    return problems.assign(file=[shown if f == str(report.ledger.path) else f for f in problems["file"]])


def annual_about(report) -> About:
    """The annual report workbook's about sheet, in the report's language: title, identity,
    provenance (params file, ledger SHA-256, scheme, version), synthetic-data note, rules."""
    t = Translator(report.language)
    p = report.params
    notes = []
    if p.synthetic_fields:
        notes.append(t(Msg("SYNTHETIC DATA: these ledger fields are synthetic: %(fields)s. Figures computed from them describe "
                           "the synthetic data, not the jurisdiction. %(note)s", fields=[column(f) for f in p.synthetic_fields],
                           note=p.text("synthetic_note", report.language))).strip())
    title = p.text("title", report.language)
    identity = [(_key(t, "report", Msg("Report")), title), (_key(t, "jurisdiction", Msg("Jurisdiction")), p.text("jurisdiction", report.language)),
                (_key(t, "session", Msg("Session")), p.session), (_key(t, "year", Msg("Year")), str(p.year))]
    provenance = [(_key(t, k, term("provenance", k)), str(v)) for k, v in report.provenance().items()]
    return About(title=t(Msg("%(title)s — tables", title=title)), provenance=identity + provenance, notes=notes + _notes(t),
                 sheet_header=(t(Msg("sheet")), t(Msg("what it holds")), t(Msg("rows"))))


def corpus_tables(corpus) -> list[Table]:
    """The published-report audit's tables (:class:`~proposal_stats.published.corpus.Corpus`)."""
    t = Translator(corpus.language)
    return [
        Table("reports", corpus.summary_table(), t(Msg("One row per published report audited: identity, reliability, findings by severity."))),
        Table("findings", corpus.findings_table(), t(Msg("Every finding: report, kind, severity, where, the printed text, the explanation."))),
        Table("comparison", corpus.comparison_table(),
              t(Msg("Per report with a result breakdown: the share printed as resolved (through its own scheme), or why it "
                "does not compare.")), percent=("resolved_share",), worded={"first_class": printed_class}),
        Table("trends", corpus.trends_table(), t(Msg("Proposals received and filed per jurisdiction and year, as printed."))),
    ]


def corpus_about(corpus, params_sha256: str, version: str) -> About:
    """The corpus workbook's about sheet, in the report's language."""
    t = Translator(corpus.language)
    p = corpus.params
    items = [("params_file", p.params_file.name), ("params_sha256", params_sha256), ("claims", p.claims.name),
             ("reports", str(len(corpus.reports))), ("proposal_stats_version", version)]
    return About(title=t(Msg("%(title)s — tables", title=p.text("title", corpus.language))),
                 provenance=[(_key(t, k, term("provenance", k)), v) for k, v in items],
                 notes=[t(Msg("Real data, transcribed as printed.")), *_notes(t)],
                 sheet_header=(t(Msg("sheet")), t(Msg("what it holds")), t(Msg("rows"))))
