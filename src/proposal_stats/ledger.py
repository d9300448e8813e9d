"""Reading a proposal ledger (台账) into canonical columns, with nothing dropped silently.

Every row read ends up either *accepted* or *rejected*: ``rows_read == len(accepted) + len(rejected)``.
A rejected row keeps its original cells, its line number in the file, and the reasons.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.errors

from .params import ReportParams, ResultScheme
from .schema import LEDGER_COLUMNS, REQUIRED_COLUMNS, SOURCE_LINE, accepted_ledger_schema

_TRUE = {"true", "1", "yes", "y", "是", "√"}
_FALSE = {"false", "0", "no", "n", "否", "×"}
_DATE_COLUMNS = ("assigned_at", "due_at", "replied_at")


class LedgerError(ValueError):
    """The ledger file cannot be read at all (missing, not UTF-8 CSV, required column absent)."""


@dataclass(frozen=True)
class Ledger:
    """A loaded ledger.

    Attributes:
        accepted: one row per proposal; the columns of :data:`~proposal_stats.schema.LEDGER_COLUMNS`
            parsed (dates ``datetime64[us]``, ``f2f_consulted`` nullable boolean, text ``str`` with
            blank = ``""``), plus ``source_line`` (line in the file, header = 1), ``resolution_status``
            (primary normalised status of the result category, blank if none) and ``due_at`` filled
            from the reply-deadline rule where the file leaves it blank.
        rejected: the rejected rows as read (all text), plus ``source_line`` and ``reasons``
            (``"column: message"`` joined by ``"; "``).
        rows_read: data rows in the file.
        path: the file read; ``sha256``: hex digest of its bytes.
    """

    accepted: pd.DataFrame
    rejected: pd.DataFrame
    rows_read: int
    path: Path
    sha256: str


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes (the provenance footer's ledger fingerprint)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _parse(raw: pd.DataFrame, scheme: ResultScheme, params: ReportParams | None) -> tuple[pd.DataFrame, list[list[str]]]:
    """Parse text cells into typed columns; return the parsed frame and each row's parse problems."""
    problems: list[list[str]] = [[] for _ in range(len(raw))]

    def flag(mask: pd.Series, column: str, message: str) -> None:
        for i in mask.to_numpy().nonzero()[0]:
            problems[i].append(f"{column}: {message}")

    df = raw.copy()
    for col in _DATE_COLUMNS:
        text = raw[col].str.strip()
        parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").astype("datetime64[us]")
        flag((text != "") & parsed.isna(), col, "not a date in YYYY-MM-DD form")
        df[col] = parsed
    f2f = raw["f2f_consulted"].str.strip().str.lower()
    df["f2f_consulted"] = pd.array(
        [True if v in _TRUE else False if v in _FALSE else pd.NA for v in f2f], dtype="boolean"
    )
    flag((f2f != "") & df["f2f_consulted"].isna(), "f2f_consulted", "not true/false")
    for col in set(LEDGER_COLUMNS) - set(_DATE_COLUMNS) - {"f2f_consulted"}:
        df[col] = raw[col].str.strip()

    if params is not None:
        rule = params.reply_deadline
        blank_due = df["due_at"].isna() & df["assigned_at"].notna()
        if rule.fixed_date is not None:
            computed = pd.Series(pd.Timestamp(rule.fixed_date), index=df.index)
        else:
            computed = df["assigned_at"] + pd.DateOffset(months=rule.months_after_assignment)
        df["due_at"] = df["due_at"].where(~blank_due, computed).astype("datetime64[us]")
    status = {c.code: c.statuses[0] for c in scheme.categories}
    df["resolution_status"] = df["result_category"].map(status).fillna("").astype("str")
    return df, problems


def _read_csv(path: Path) -> tuple[list[str], list[list[str]], list[int], list[list[str]]]:
    """Header, records padded to the header's width, each record's first line in the file, and
    per-record problems (a record whose cell count differs from the header's is rejected, never
    padded or truncated silently). Blank lines are not records."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header, records, lines, problems = None, [], [], []
            end_of_previous = 0
            for cells in reader:
                first_line, end_of_previous = end_of_previous + 1, reader.line_num
                if not cells or (len(cells) == 1 and not cells[0].strip() and header is not None):
                    continue
                if header is None:
                    header = [c.strip() for c in cells]
                    continue
                issues = []
                if len(cells) != len(header):
                    issues.append(f"row: has {len(cells)} cells, the header has {len(header)}")
                    cells = (cells + [""] * len(header))[: len(header)]
                records.append(cells)
                lines.append(first_line)
                problems.append(issues)
    except FileNotFoundError:
        raise LedgerError(f"{path}: ledger file not found") from None
    except IsADirectoryError:
        raise LedgerError(f"{path}: is a folder, not a ledger file") from None
    except UnicodeDecodeError as exc:
        raise LedgerError(f"{path}: not UTF-8 text (byte {exc.start}); save the ledger as UTF-8 CSV") from None
    except csv.Error as exc:
        raise LedgerError(f"{path}: not a readable CSV file (line {reader.line_num}: {exc})") from None
    if header is None:
        raise LedgerError(f"{path}: the file is empty (no header line)")
    dupes = sorted({c for c in header if header.count(c) > 1 and c})
    if dupes:
        raise LedgerError(f"{path}: column(s) named twice in the header: {', '.join(dupes)}")
    return header, records, lines, problems


def read_ledger(path: str | Path, params: ReportParams) -> Ledger:
    """Read a UTF-8 CSV ledger with the canonical columns (see README, "Ledger format").

    Args:
        path: CSV file, UTF-8 (a BOM is allowed), header on the first line.
        params: supplies the result scheme (valid category codes) and the reply-deadline rule
            (fills blank ``due_at``).

    Returns:
        :class:`Ledger` with accepted and rejected rows.

    Raises:
        LedgerError: the file is missing or empty, is not UTF-8 text, is not CSV, names a column
            twice, or lacks a required column. Row-level problems never raise: those rows are
            rejected with reasons (a row with too few or too many cells included).
    """
    path = Path(path)
    header, records, lines, problems = _read_csv(path)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise LedgerError(f"{path}: required column(s) missing: {', '.join(missing)}")
    raw = pd.DataFrame(records, columns=header, dtype="str")
    for col in LEDGER_COLUMNS:
        if col not in raw.columns:
            raw[col] = ""
    line = pd.Series(lines, index=raw.index, name=SOURCE_LINE, dtype="int64")

    parsed, parse_problems = _parse(raw[list(LEDGER_COLUMNS)], params.result_scheme, params)
    for i, text in enumerate(parse_problems):
        problems[i].extend(text)
    schema = accepted_ledger_schema(set(params.result_scheme.codes))
    try:
        schema.validate(parsed, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        for _, case in exc.failure_cases.iterrows():
            idx = case["index"]
            if pd.isna(idx):
                continue
            message = case["check"]
            if case["schema_context"] == "DataFrameSchema":  # a row-level rule
                column, message = "row", _check_message(schema, message)
            elif case["column"] == "proposal_id" and "unique" in str(message):
                column, message = "proposal_id", "duplicate proposal id"
            else:
                column = str(case["column"])
                message = _check_message(schema.columns.get(column), message)
            problems[int(idx)].append(f"{column}: {message}")

    reasons = pd.Series(["; ".join(dict.fromkeys(p)) for p in problems], index=raw.index, dtype="str")
    bad = reasons != ""
    accepted = parsed[~bad].assign(**{SOURCE_LINE: line[~bad]})
    rejected = raw[bad].assign(**{SOURCE_LINE: line[bad], "reasons": reasons[bad]})
    return Ledger(
        accepted=accepted.reset_index(drop=True),
        rejected=rejected.reset_index(drop=True),
        rows_read=len(raw),
        path=path.resolve(),
        sha256=file_sha256(path),
    )


def _check_message(owner, check_name) -> str:
    """The human sentence attached to a pandera check (its ``error=``), or the check's name."""
    checks = getattr(owner, "checks", None) or []
    for check in checks:
        if check_name in (check.name, check.error, str(check)):
            return check.error or str(check_name)
    return str(check_name)
