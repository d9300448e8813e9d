"""Reading a proposal ledger (台账) into canonical columns, with nothing dropped silently.

Every row read ends up either *accepted* or *rejected*: ``rows_read == len(accepted) + len(rejected)``.
A rejected row keeps its original cells, its line number in the file, and the reasons.
"""

from __future__ import annotations

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


def _parse(raw: pd.DataFrame, scheme: ResultScheme, params: ReportParams | None) -> tuple[pd.DataFrame, pd.Series]:
    """Parse text cells into typed columns; return the parsed frame and per-row parse problems."""
    problems = pd.Series("", index=raw.index, dtype="str")

    def flag(mask: pd.Series, column: str, message: str) -> None:
        nonlocal problems
        problems = problems.where(~mask, problems + f"{column}: {message}; ")

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


def read_ledger(path: str | Path, params: ReportParams) -> Ledger:
    """Read a UTF-8 CSV ledger with the canonical columns (see README, "Ledger format").

    Args:
        path: CSV file, UTF-8 (a BOM is allowed), header on the first line.
        params: supplies the result scheme (valid category codes) and the reply-deadline rule
            (fills blank ``due_at``).

    Returns:
        :class:`Ledger` with accepted and rejected rows.

    Raises:
        LedgerError: the file is missing, is not UTF-8 text, is not CSV, or lacks a required
            column. Row-level problems never raise: those rows are rejected with reasons.
    """
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype="str", keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise LedgerError(f"{path}: ledger file not found") from None
    except UnicodeDecodeError as exc:
        raise LedgerError(f"{path}: not UTF-8 text (byte {exc.start}); save the ledger as UTF-8 CSV") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise LedgerError(f"{path}: not a readable CSV file ({exc})") from None

    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise LedgerError(f"{path}: required column(s) missing: {', '.join(missing)}")
    for col in LEDGER_COLUMNS:
        if col not in raw.columns:
            raw[col] = ""
    raw = raw.astype("str")
    raw.index = pd.RangeIndex(len(raw))
    line = pd.Series(raw.index + 2, index=raw.index, name=SOURCE_LINE)

    parsed, problems = _parse(raw[list(LEDGER_COLUMNS)], params.result_scheme, params)
    schema = accepted_ledger_schema(set(params.result_scheme.codes))
    try:
        schema.validate(parsed, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        for _, case in exc.failure_cases.iterrows():
            idx = case["index"]
            if pd.isna(idx):
                continue
            column = case["column"] if isinstance(case["column"], str) and case["column"] else "row"
            message = case["check"]
            if column == "proposal_id" and "unique" in str(message):
                message = "duplicate proposal id"
            elif column == "row" or case["schema_context"] == "DataFrameSchema":
                message = _check_message(schema, message)
            else:
                message = _check_message(schema.columns.get(column), message)
            problems.iloc[int(idx)] += f"{column}: {message}; "

    bad = problems != ""
    accepted = parsed[~bad].assign(**{SOURCE_LINE: line[~bad]})
    rejected = raw[bad].assign(**{SOURCE_LINE: line[bad], "reasons": problems[bad].str.rstrip("; ")})
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
