"""Reading a proposal ledger (台账) into proposals and unit assignments, with nothing dropped.

Pipeline: :func:`~proposal_stats.ledger.readers.read_table` (any format, text cells, line numbers) →
headers mapped to canonical columns through the alias table → values normalised
(:mod:`proposal_stats.ledger.normalise`) → named rules (:mod:`proposal_stats.ledger.rules`) → rows with an error
rejected → the data model: one row per **proposal** and one row per **assignment** (proposal ×
handling unit × role). ``rows_read == rows accepted + rows rejected + rows set aside`` (totals and note rows) always holds.

Two layouts load to the same model:

* one row per proposal: ``lead_unit`` and ``co_handling_units`` (several units in one cell);
* one row per assignment: ``handling_unit`` and ``unit_role`` (主办 / 协办 / 分办 / 独办), the
  proposal's own fields repeated on each row, each unit's reply, date and category on its row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import cache, reduce
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ..messages import Msg, N_, message_column
from ..params import ReportParams, ResultScheme
from ..terms import LEDGER_COLUMNS, UNIT_ROLES
from . import normalise as nz
from .readers import LedgerReadError, RawTable, header_form, header_key, read_table
from .rules import RULES
from .schema import ASSIGNMENT_COLUMNS, PROPOSAL_LEVEL, SOURCE_LINE, validate_model

_ID_CODE = "_id_code"  # internal column: the proposal id as an integer code

#: Columns without which no figure can be computed; a file lacking one has every row rejected.
REQUIRED_COLUMNS = ("proposal_id", "replied_at", "result_category")

HANDLING_SYSTEM_WORDS = {
    "government": "government", "政府": "government", "政府系统": "government", "市政府": "government",
    "party": "party", "党委": "party", "党委系统": "party",
    "npc": "npc", "人大": "npc", "cppcc": "cppcc", "政协": "cppcc",
    "judicial": "judicial", "法院": "judicial", "检察院": "judicial", "司法": "judicial",
    "peoples_org": "peoples_org", "群团": "peoples_org", "other": "other", "其他": "other",
}
PROPOSER_TYPE_WORDS = {
    **{t: t for t in ("member_individual", "member_joint", "party", "peoples_org", "sector", "special_committee", "member_group")},
    "委员": "member_individual", "个人": "member_individual", "委员个人": "member_individual", "联名": "member_joint",
    "个人提案": "member_individual", "委员个人提案": "member_individual", "联名提案": "member_joint", "委员联名提案": "member_joint",
    "党派提案": "party", "团体提案": "peoples_org", "界别提案": "sector", "专委会提案": "special_committee",
    "党派": "party", "民主党派": "party", "团体": "peoples_org", "人民团体": "peoples_org", "界别": "sector",
    "专委会": "special_committee", "专门委员会": "special_committee", "小组": "member_group", "委员小组": "member_group",
}

LedgerError = LedgerReadError  # the one exception for "this file cannot be read at all"


@dataclass(frozen=True)
class Ledger:
    """A loaded ledger.

    Attributes:
        proposals: accepted proposals, one row each (:data:`~proposal_stats.terms.LEDGER_COLUMNS`
            parsed, plus ``result_category_raw``, ``resolution_status``, ``source_line``). For a
            proposal handled separately (分办) by several units: replied when every unit replied (the
            last date), the least-resolved category (blank while any unit's is blank), the
            least-satisfied evaluation.
        assignments: accepted assignments, one row per proposal × unit × role
            (:data:`~proposal_stats.ledger.schema.ASSIGNMENT_COLUMNS`).
        rejected: rejected rows as read (original header names), plus ``source_line`` and ``reasons``.
        set_aside: rows that are not data rows — totals rows (合计, 总计：3件) under or inside the
            table, and note rows (填表人：…, 注：…) — as read, with ``source_line`` and ``reasons``:
            neither accepted nor rejected, each named by a ``totals_row`` or ``note_row`` warning. ``rows_read == rows_accepted + len(rejected) + len(set_aside)``.
        problems: every problem found, errors and warnings: ``file, line, column, value, rule,
            severity, message`` (``line`` as the user sees it in a text editor or Excel).
        rows_read: data rows in the file; ``path``, ``sha256`` (hex of the file's bytes),
        ``encoding``, ``layout`` (``"proposal_per_row"`` or ``"assignment_per_row"``),
        ``unused_columns``: headers read but not used (no known meaning, or a second column for a
        meaning another column gives: 类别 beside 办理结果, a unit column beside the lead-unit
        column with no role column), ``layout_note``:
        which layout was read and why (which columns hold the units and roles),
        ``header_suggestions``: an unknown header → the alias it looks like a misspelling of
        (主板单位 → 主办单位).
    """

    proposals: pd.DataFrame
    assignments: pd.DataFrame
    rejected: pd.DataFrame
    problems: pd.DataFrame
    rows_read: int
    path: Path
    sha256: str
    encoding: str
    layout: str
    unused_columns: tuple[str, ...] = ()
    layout_note: str = ""
    header_suggestions: dict[str, str] = dataclasses.field(default_factory=dict)
    set_aside: pd.DataFrame = dataclasses.field(default_factory=lambda: pd.DataFrame({SOURCE_LINE: pd.Series(dtype="int64")}))

    @property
    def rows_accepted(self) -> int:
        """Data rows accepted: ``rows_read - len(rejected) - len(set_aside)`` (a proposal of the
        one-row-per-assignment layout has several rows)."""
        return self.rows_read - len(self.rejected) - len(self.set_aside)

    @property
    def accepted(self) -> pd.DataFrame:
        """The accepted proposals (alias of :attr:`proposals`)."""
        return self.proposals

    @property
    def errors(self) -> pd.DataFrame:
        """The error-level problems (their rows are rejected)."""
        return self.problems[self.problems["severity"] == "error"]

    @property
    def warnings(self) -> pd.DataFrame:
        """The warning-level problems (their rows are kept)."""
        return self.problems[self.problems["severity"] == "warning"]

    def acceptance(self) -> Msg:
        """One line: how many rows were accepted and, when some were rejected, why — the errors of
        the whole file (``0 of 20 rows accepted: no lead-unit column (主办单位 or an alias: …)``),
        else the rules that rejected most rows."""
        line = Msg("%(accepted)s of %(read)s rows accepted", accepted=self.rows_accepted, read=self.rows_read)
        if len(self.set_aside):
            line = Msg("%(line)s (%(n)s set aside: totals or note rows, not proposals)", line=line, n=len(self.set_aside))
        if self.rows_read == 0:
            return Msg("%(line)s: the ledger has a header but no rows", line=line)
        if not len(self.rejected):
            return line
        errors = self.errors
        whole = errors[errors["rule"].map(lambda r: RULES[r].scope == "file").astype(bool)]
        if len(whole):
            return Msg("%(line)s: %(why)s", line=line, why=list(whole["message"]))
        counts = errors[errors["rule"] != "rejected_sibling"].drop_duplicates(["line", "rule"])["rule"].value_counts()
        why = [Msg("%(rule)s on %(n)s row(s)", rule=rule, n=int(n)) for rule, n in counts.head(3).items()] + (["…"] if len(counts) > 3 else [])
        return Msg("%(line)s: %(why)s", line=line, why=why)


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes (the provenance footer's ledger fingerprint)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@cache
def shipped_aliases() -> dict[str, tuple[str, ...]]:
    """The header alias table shipped with the package (``aliases.yaml``): canonical → variants."""
    text = resources.files(__package__).joinpath("aliases.yaml").read_text(encoding="utf-8")
    return {k: tuple(str(v) for v in vs) for k, vs in yaml.safe_load(text).items()}


class AliasTable(dict):
    """Header key → canonical column; :meth:`column` looks a header up, :meth:`rank` says how
    specific a header is (lower = more).

    An alias whose brackets are part of its name (``handling unit (lead)``) is matched with them:
    without them it would be another alias (``handling unit``), so it is kept apart and looked up
    first, by :func:`~proposal_stats.ledger.readers.header_form`."""

    def __init__(self):
        super().__init__()
        self._rank: dict[str, int] = {}
        self._exact: dict[str, str] = {}

    def add(self, canonical: str, variants, first_rank: int = 0) -> None:
        for n, variant in enumerate((canonical, *variants)):
            form, key = header_form(variant), header_key(variant)
            if form != key:
                self._exact[form] = canonical
                self._rank[form] = first_rank + n
            else:
                self[key] = canonical
                self._rank[key] = first_rank + n

    def column(self, header: str) -> str | None:
        """The canonical column ``header`` names, or ``None``."""
        return self._exact.get(header_form(header)) or self.get(header_key(header))

    def rank(self, header: str) -> int:
        form = header_form(header)
        return self._rank.get(form if form in self._exact else header_key(header), 10_000)


def alias_lookup(extra: dict[str, list[str]] | None = None) -> AliasTable:
    """The header alias table: the shipped one (``aliases.yaml``) extended by ``extra`` from the
    params file, whose names win over the shipped ones."""
    table = AliasTable()
    for canonical, variants in shipped_aliases().items():
        table.add(canonical, variants, first_rank=100)
    for canonical, variants in (extra or {}).items():
        table.add(canonical, variants, first_rank=0)
    return table


#: ``row`` of a problem that concerns the whole file (a missing column, a hidden column), not one row.
FILE_ROW = -1


class _Problems:
    """Collects problems as vectorised masks, cheap for a million rows."""

    def __init__(self, raw: RawTable, path: Path, header_of: dict[str, str]):
        self.frames: list[pd.DataFrame] = []
        self.raw, self.path, self.header_of = raw, path, header_of
        self.ids: pd.Series | None = None  # each row's proposal id as written, once read
        self.totals: np.ndarray | None = None  # rows set aside (合计, 填表人：…): their one problem is that

    def add(self, mask, rule: str, column: str, message: str | pd.Series, value: pd.Series | None = None) -> None:
        """One problem per true row of ``mask``; ``message`` is one sentence, or one per row (a
        Series on the rows' index) when it quotes the row's own values."""
        mask = pd.Series(mask, index=self.raw.cells.index) if not isinstance(mask, pd.Series) else mask
        rows = mask[mask.fillna(False).astype(bool)].index
        if len(rows) == 0:
            return
        values = value.loc[rows].astype("str") if value is not None else pd.Series("", index=rows, dtype="str")
        messages = message.loc[rows].tolist() if isinstance(message, pd.Series) else [message] * len(rows)
        self.frames.append(
            pd.DataFrame(
                {
                    "row": rows,
                    "line": self.raw.lines.loc[rows].to_numpy(),
                    "column": self.header_of.get(column, column),
                    "value": values.to_numpy(),
                    "rule": rule,
                    "severity": RULES[rule].severity,
                    "message": message_column(messages),  # each Msg kept, to be shown in the report's language
                }
            )
        )

    def add_file(self, rule: str, column: str, message: str) -> None:
        """One problem for the whole file, reported at the header's line. An error rejects every row."""
        self.frames.append(pd.DataFrame({
            "row": [FILE_ROW], "line": [self.raw.header_line], "column": [self.header_of.get(column, column)], "value": [""],
            "rule": [rule], "severity": [RULES[rule].severity], "message": pd.Series([message], dtype=object),
        }))

    def frame(self) -> pd.DataFrame:
        cols = ["row", "line", "column", "value", "rule", "severity", "message"]
        if not self.frames:
            out = pd.DataFrame({c: pd.Series(dtype="int64" if c in ("row", "line") else "str") for c in cols})
        else:
            out = pd.concat(self.frames, ignore_index=True)
        if self.totals is not None and self.totals.any() and len(out):
            on_total = (out["row"] >= 0) & self.totals[out["row"].clip(lower=0).to_numpy()]
            out = out[~on_total.to_numpy() | out["rule"].isin(SET_ASIDE_RULES).to_numpy()].reset_index(drop=True)
        out.insert(0, "file", str(self.path))
        ids = pd.Series("", index=out.index, dtype="str")
        if self.ids is not None and len(out):
            on_row = (out["row"] >= 0).to_numpy()
            ids[on_row] = nz.to_text(self.ids.iloc[out["row"].to_numpy()[on_row]]).str.strip().to_numpy()
            if self.totals is not None:  # a row set aside has no proposal id, whatever its first cell says
                ids[on_row & self.totals[out["row"].clip(lower=0).to_numpy()]] = ""
        out.insert(3, "proposal_id", ids)  # file, row, line, proposal_id, column, value, …
        return out.sort_values(["row", "severity", "rule"], kind="stable").reset_index(drop=True)


def read_ledger(
    path: str | Path,
    params: ReportParams | None = None,
    *,
    sheet: str | None = None,
    as_of: dt.date | None = None,
) -> Ledger:
    """Read, normalise and validate a ledger file (台账): ``read_ledger("台账.xlsx", load_params("p.yaml"))``.

    What is read (by content, whatever the file's name): CSV/TSV text in UTF-8 (with or without
    BOM), UTF-16, GB18030/GBK or Big5 (detected; text that reads as none of them is refused, never
    read garbled); workbooks — XLSX/XLSM, XLSB, old XLS, ODS, Strict Open XML — from the sheet they
    open on (never a hidden sheet unless named), hidden and filtered rows included; Parquet. The
    header may sit below title rows or span two rows (group cells only group). Headers match
    canonical columns through ``aliases.yaml`` plus ``params.column_aliases`` (traditional
    characters too). A role column (办理方式) means one row per unit assignment.

    Rules (:data:`~proposal_stats.ledger.rules.RULES`; an error rejects the row, a warning keeps it):

    - ``required_column`` (error, whole file): a needed column is missing (proposal id, reply
      date, result category, and the lead unit or handling unit); every row is rejected.
    - ``row_shape`` (error): more or fewer cells than the header.
    - ``unclosed_quote`` (error): a quote opens a cell and swallows the lines below it (never
      closed, or closed amid a cell); the line is read as written, the lines below as rows.
    - ``blank_id`` (error): the proposal id is blank.
    - ``totals_row`` (warning): a totals row (a cell reads 合计, 总计：3件, 小计, 共计, total…), not a
      proposal: set aside (``Ledger.set_aside``), neither accepted nor rejected.
    - ``note_row`` (warning): a note or sign-off line (填表人：…, 审核：…, 注：…, every filled cell
      such a label): not a proposal, set aside like a totals row.
    - ``duplicate_id`` (error): a proposal repeated (one row per proposal), or its rows conflicting,
      two lead units, one unit twice, both 主办 and 分办 (one row per assignment).
    - ``unparseable_value`` (error): a date, yes/no, evaluation, role or handling system that
      cannot be read.
    - ``category_not_in_scheme`` (error): a result category not in the params file's scheme.
    - ``no_lead_unit`` (error): a government-system proposal without a lead unit.
    - ``reply_before_assignment`` (error): the reply is dated before the assignment.
    - ``missing_role`` (error): one row per assignment, a proposal with several rows and a row
      with no role.
    - ``several_lead_units`` (error): the lead-unit cell names several units.
    - ``rejected_sibling`` (error): another row of the same proposal was rejected.
    - ``unknown_value`` (warning): a descriptive value the reader does not know (kept blank).
    - ``due_beyond_limit`` (warning): a due date beyond ``reply_deadline.extension_max_months``.
    - ``date_in_future`` (warning): a date after ``as_of``.
    - ``satisfaction_without_reply`` (warning): an evaluation with no reply date.
    - ``unit_name_slash`` (warning): a unit name holding ``/`` is read as one unit (a merged office
      is often written so), and said, since it may join two.
    - ``unit_names_joined`` (warning): a unit cell holding two Chinese names joined by a space, + or
      & (县文旅局 县教育局, 县卫健局+县医保局) is read as one unit, and said: none of them separates units.
    - ``spreadsheet_formula`` (warning): a cell starting with = + - @, tab or CR (a formula to
      Excel; a plain number such as -5 is not one).
    - ``hidden_row`` (warning): a workbook row hidden or filtered out (read and counted).
    - ``other_sheets`` (warning): a workbook's other sheets laid out like the one read (the same
      header) are not read; said once for the file, with their rows.
    - ``hidden_column`` (warning, whole file): a hidden workbook column (read).

    Args:
        path: the ledger file.
        params: supplies the result scheme (codes and printed labels), the reply-deadline rule (fills
            blank due dates), and the ``column_aliases`` / ``unit_aliases`` extensions. Without it,
            any category letter A-D is accepted and due dates are 3 months after assignment.
        sheet: workbook sheet (default: params' ``ledger_sheet``, else the sheet the workbook opens on).
        as_of: dates after this day get a ``date_in_future`` warning (default: params' ``as_of``,
            else today).

    Returns:
        :class:`Ledger`: ``proposals`` and ``assignments`` (accepted rows), ``rejected`` rows with
        their reasons, and ``problems`` (``file, line, proposal_id, column, value, rule, severity,
        message``); ``rows_read == rows_accepted + len(rejected) + len(set_aside)`` always.

    Raises:
        LedgerError: the file cannot be read at all (missing, empty, not text in a known encoding,
            not a table, a kind of file that is no ledger, two columns of the same meaning);
            the message says what the file is. Row problems never raise.
    """
    path = Path(path)
    aliases = alias_lookup(params.column_aliases if params else None)
    raw = read_table(path, lambda cell: aliases.column(cell) is not None, sheet or (params.ledger_sheet if params else None))

    canonical_at: dict[str, int] = {}
    unused: list[str] = []
    for i, name in enumerate(raw.header):
        canonical = aliases.column(name)
        if canonical is None:
            if name.strip():
                unused.append(name)
            continue
        if canonical in canonical_at:
            # Two columns for one meaning: the more specific header wins (an earlier alias in the
            # table: 办理结果 over the ambiguous 类别); a tie cannot be settled.
            first = raw.header[canonical_at[canonical]]
            rank_first, rank_this = aliases.rank(first), aliases.rank(name)
            if rank_first == rank_this:
                raise LedgerError(f"{path}: columns '{first}' and '{name}' both mean {canonical}; keep one")
            if rank_this < rank_first:
                unused.append(first)
                canonical_at[canonical] = i
            else:
                unused.append(name)
            continue
        canonical_at[canonical] = i
    layout, layout_note = _decide_layout(canonical_at, raw, unused)
    suggestions = header_suggestions([h for h in unused if aliases.column(h) is None], aliases, params.column_aliases if params else None)
    near = {aliases.column(alias): (header, alias) for header, alias in suggestions.items()}
    header_of = {c: raw.header[i] for c, i in canonical_at.items()}
    cells = raw.cells
    text = {c: (cells[str(i)] if c in canonical_at and str(i) in cells else pd.Series("", index=cells.index, dtype="str"))
            for c, i in {**{c: canonical_at.get(c, -1) for c in (*LEDGER_COLUMNS, "handling_unit", "unit_role")}}.items()}
    problems = _Problems(raw, path, header_of)

    required = REQUIRED_COLUMNS + (("handling_unit",) if layout == "assignment_per_row" else ("lead_unit",))
    for column in (c for c in required if c not in canonical_at):
        problems.add_file("required_column", column, _missing_column_message(column, near.get(column)))
    by_count: dict[int, dict[int, str]] = {}  # one pass per cell count, not per row: a broken file may have many
    for row, (n, written) in raw.short_rows.items():
        by_count.setdefault(n, {})[row] = written
    for n, written in by_count.items():
        problems.add(cells.index.isin(list(written)), "row_shape", "row", Msg("the row has %(n)s cells, the header has %(header)s", n=n, header=len(raw.header)),
                     pd.Series(written, dtype="str"))
    if raw.broken_quotes:
        broken = pd.Series(raw.broken_quotes, dtype="str")
        said = pd.Series([Msg("unclosed quote starting at line %(line)s: the quote (\") opening a cell here does not close where the cell "
                              "ends, so it would swallow the lines after it; the line is read as written and rejected", line=int(raw.lines.iloc[i]))
                          for i in broken.index], index=broken.index, dtype=object)
        problems.add(cells.index.isin(list(broken.index)), "unclosed_quote", "row", said, broken)
    if raw.hidden_rows:
        problems.add(cells.index.isin(raw.hidden_rows), "hidden_row", "row",
                     Msg("the workbook hides this row (hidden, or filtered out): Excel does not show it, but it is read and counted"))
    if raw.other_sheets:
        sheets = [Msg("%(sheet)s (%(rows)s rows)", sheet=s, rows=n) for s, n in raw.other_sheets]
        problems.add_file("other_sheets", "workbook", Msg(
            "only the sheet the workbook opens on is read; other sheets have the same header and are not read: %(sheets)s. Name one "
            "with ledger_sheet: (or --sheet), or put all rows in one sheet", sheets=sheets))
    for name in raw.hidden_columns:
        problems.add_file("hidden_column", name, Msg("the workbook hides this column: Excel does not show it, but it is read and used")
                          if aliases.column(name) is not None else Msg("the workbook hides this column: Excel does not show it, but it is read"))

    problems.ids = text["proposal_id"]
    totals, said = _totals_rows(cells)
    problems.add(totals, "totals_row", "row", said, pd.Series(_row_text(cells, totals), index=cells.index[totals], dtype="str"))
    notes = _note_rows(cells, text["proposal_id"]) & ~totals
    problems.add(notes, "note_row", "row", Msg("a note or sign-off line, not a proposal: set aside and not counted, though Excel shows it as a row"),
                 pd.Series(_row_text(cells, notes), index=cells.index[notes], dtype="str"))
    totals = totals | notes  # every row set aside: neither accepted nor rejected
    problems.totals = totals
    values = _normalise(text, params, problems, canonical_at)
    values[_ID_CODE] = pd.factorize(values["proposal_id"], sort=False)[0]  # hashed once, used by every per-proposal step
    if layout == "assignment_per_row":
        _read_blank_roles(values, problems)
    _check_rules(values, text, params, problems, layout, as_of or (params.as_of if params else None) or dt.date.today())

    found = problems.frame()
    # A proposal is counted whole or not at all: reject every row of a proposal with a rejected row.
    ids = values["proposal_id"]
    codes = values[_ID_CODE].to_numpy()
    named = (ids != "").to_numpy(dtype=bool) & ~totals
    bad = _rows_in(found.loc[found["severity"] == "error", "row"], len(ids)) & ~totals
    siblings = np.isin(codes, codes[bad & named]) & named & ~bad
    if siblings.any():
        problems.add(pd.Series(siblings, index=ids.index), "rejected_sibling", "proposal_id", Msg("another row of this proposal was rejected"), text["proposal_id"])
        found = problems.frame()
        bad = _rows_in(found.loc[found["severity"] == "error", "row"], len(ids)) & ~totals

    reasons = _reasons(found[(found["severity"] == "error") | found["rule"].isin(SET_ASIDE_RULES)], len(ids))
    rejected, set_aside = (_as_read(cells, raw, rows, reasons) for rows in (bad, totals))
    good = values[~bad & ~totals].assign(**{SOURCE_LINE: raw.lines[~bad & ~totals].to_numpy()})
    proposals, assignments = _model(good, layout, params.result_scheme if params else None)
    validate_model(proposals, assignments)
    return Ledger(
        proposals=proposals,
        assignments=assignments,
        rejected=rejected.reset_index(drop=True),
        problems=found.drop(columns="row"),
        rows_read=len(cells),
        path=path.resolve(),
        sha256=file_sha256(path),
        encoding=raw.encoding,
        layout=layout,
        unused_columns=tuple(unused),
        layout_note=layout_note,
        header_suggestions=suggestions,
        set_aside=set_aside.reset_index(drop=True),
    )


def _as_read(cells: pd.DataFrame, raw: RawTable, rows: np.ndarray, reasons: pd.Series) -> pd.DataFrame:
    """The ``rows`` as read — plain text under the file's own headers, whatever the reader's
    storage (categoricals for repetitive columns) — with ``source_line`` and ``reasons``."""
    out = cells[rows].assign(**{c: nz.to_text(cells[c][rows]) for c in cells.columns})
    out.columns = _unique_names(raw.header)
    out.insert(0, SOURCE_LINE, raw.lines[rows].to_numpy())
    out["reasons"] = message_column(reasons.reindex(out.index, fill_value="").tolist(), out.index)
    return out


def _decide_layout(at: dict[str, int], raw: RawTable, unused: list[str]) -> tuple[str, str]:
    """One row per proposal or one row per unit assignment, and why, in a sentence.

    A role column (办理方式, 承办方式, 主协办, …) means one row per assignment, whichever header
    names the unit (承办单位 and 主办单位 as well as 办理单位); so does a handling-unit column with
    no lead-unit column. Without a role column, proposal ids repeated on rows naming different
    units (and no co-handling column) are read as assignments too, and the note says so: the
    roles are then missing. ``at`` (canonical column → position) is updated: the unit column
    becomes ``handling_unit`` in the assignment layout.
    """
    def name(column: str) -> str:
        return raw.header[at[column]]

    unit = "handling_unit" if "handling_unit" in at else "lead_unit" if "lead_unit" in at else None
    if "unit_role" in at and "co_handling_units" not in at and unit is not None:
        if unit == "lead_unit":
            at["handling_unit"] = at.pop("lead_unit")
        elif "lead_unit" in at:
            unused.append(raw.header[at.pop("lead_unit")])
        return "assignment_per_row", Msg("one row per unit assignment: units in '%(units)s', roles in '%(roles)s'",
                                         units=name("handling_unit"), roles=name("unit_role"))
    if unit == "handling_unit" and "lead_unit" not in at:
        return "assignment_per_row", Msg("one row per unit assignment: units in '%(units)s'; no role column (办理方式), "
                                         "so a proposal's only row is its sole unit (独办)", units=name("handling_unit"))
    if "unit_role" in at:
        unused.append(raw.header[at.pop("unit_role")])  # roles beside lead and co-handling columns say nothing more
    if unit == "lead_unit" and "co_handling_units" not in at and "proposal_id" in at:
        ids, units = raw.cells[str(at["proposal_id"])], raw.cells[str(at["lead_unit"])]
        pairs = pd.DataFrame({"id": nz.to_text(ids).str.strip(), "unit": nz.to_text(units).str.strip()})
        pairs = pairs[pairs["id"] != ""].drop_duplicates()
        if pairs["id"].duplicated().any():
            at["handling_unit"] = at.pop("lead_unit")
            return "assignment_per_row", Msg(
                "assumed one row per unit assignment: proposal ids repeat on rows naming different units in '%(units)s', "
                "and there is no role column (办理方式) to say which unit leads; add one (主办/协办) or keep one row per proposal",
                units=name("handling_unit"))
    if "handling_unit" in at:  # a unit column beside the lead-unit one, with no roles: read as nothing; say so
        unused.append(raw.header[at.pop("handling_unit")])
    if "lead_unit" not in at:
        return "proposal_per_row", Msg("one row per proposal: no unit column")
    if "co_handling_units" in at:
        return "proposal_per_row", Msg("one row per proposal: lead units in '%(lead)s', co-handling units in '%(co)s'",
                                       lead=name("lead_unit"), co=name("co_handling_units"))
    return "proposal_per_row", Msg("one row per proposal: lead units in '%(lead)s'", lead=name("lead_unit"))


#: Words of a totals row (合计 = total): such a row is no proposal. Simplified and traditional.
TOTALS_WORDS = ("合计", "总计", "小计", "共计", "总共", "合計", "總計", "小計", "共計", "總共")
_GAP = r"[\s\u3000]*"
_COUNT = rf"[0-9０-９]+{_GAP}(?:件|条|項|项|个|個|份|家|條)?"
# A cell that is only a totals word — spaced out (合 计), after 本页/以上/累计, with a colon, a count
# or a count in brackets (总计：3件, 合计（23件）, Total: 23) — in full- or half-width forms.
_TOTALS = re.compile(
    rf"(?i)^{_GAP}(?:本页|本表|以上|全部|累计|累計|grand{_GAP})?{_GAP}"
    rf"(?:{'|'.join(_GAP.join(w) for w in TOTALS_WORDS)}|sub{_GAP}total|totals?|sum)"
    rf"{_GAP}[:：]?{_GAP}(?:(?:共|计|計)?{_GAP}{_COUNT}|[(（]{_GAP}{_COUNT}{_GAP}[)）])?{_GAP}[:：。.]?{_GAP}$"
)


# Every totals label holds one of these characters (合计/總計/共计…, total, sum): a vectorised
# test (Arrow's) leaves only those cells for the full pattern, which Python matches one by one.
_TOTALS_CHARS = "[计計共TtSs]"


def _is_totals_label(values: pd.Series) -> pd.Series:
    """``values`` (text) that are a totals label (:data:`_TOTALS`), as a boolean Series."""
    hit = pd.Series(False, index=values.index)
    maybe = values.str.contains(_TOTALS_CHARS, regex=True).fillna(False).astype(bool)
    hit[maybe] = values[maybe].str.fullmatch(_TOTALS).fillna(False).astype(bool)
    return hit


def _totals_rows(cells: pd.DataFrame) -> tuple[np.ndarray, pd.Series]:
    """Rows with a cell that is a totals label (:data:`_TOTALS`), in any column, and for each a
    sentence naming it. Each column's distinct values are matched once."""
    totals = np.zeros(len(cells), dtype=bool)
    label = pd.Series("", index=cells.index, dtype="str")
    for name in cells.columns:
        col = cells[name]
        hit = nz.by_unique(col, _is_totals_label).to_numpy(dtype=bool)
        new = hit & ~totals
        if new.any():
            label[new] = nz.to_text(col[new]).str.strip().to_numpy()
            totals |= hit
    said = pd.Series([Msg("a totals row (%(label)s), not a proposal: set aside and not counted, "
                          "though Excel shows it as a row", label=v) for v in label[totals]], index=cells.index[totals], dtype=object)
    return totals, said


#: The rules whose rows are set aside (no data rows), not accepted or rejected.
SET_ASIDE_RULES = ("totals_row", "note_row")

#: A note or sign-off label under a table (填表人：林某, 审核：, 联系电话：, 注：, 说明：): the word, then a colon.
_NOTE_LABEL = re.compile(
    rf"^{_GAP}(?:单位|部门)?{_GAP}(?:填表人|填报人|制表人|统计人|经办人|审核人|审核|审批人|审批|签发人|负责人|分管领导|联系人|"
    rf"联系电话|电话|填表日期|填报日期|制表日期|统计日期|报送日期|填表时间|填报时间|制表时间|填表单位|填报单位|制表单位|报送单位|"
    rf"备注|附注|注|说明|填表说明|填報人|製表人|審核人|審核|負責人|聯繫人|聯絡人|聯繫電話|電話|備註|註|說明)"
    rf"{_GAP}[0-9０-９]*{_GAP}[:：]"
)


def _note_rows(cells: pd.DataFrame, ids: pd.Series) -> np.ndarray:
    """Rows whose every non-blank cell is a note or sign-off label (:data:`_NOTE_LABEL`: 填表人：林某,
    审核：周某, 注：…), as a boolean array. Such a row's proposal-id cell is blank or a label, so only
    those rows are looked at whole (a data row has an id): one vectorised pass over the id column,
    then the few candidates, each dropped at its first cell that is neither blank nor a label."""
    def is_label(values: pd.Series) -> pd.Series:
        hit = pd.Series(False, index=values.index)
        maybe = values.str.contains("[:：]", regex=True).fillna(False).astype(bool)
        hit[maybe] = values[maybe].str.contains(_NOTE_LABEL, regex=True).fillna(False).astype(bool)
        return hit

    out = np.zeros(len(cells), dtype=bool)
    first = nz.to_text(ids)  # vectorised over the column: ids are mostly distinct
    alive = np.flatnonzero((first.isna() | (first == "") | first.str.isspace() | first.str.contains("[:：]", regex=True)).fillna(False).to_numpy(dtype=bool))
    labelled = np.zeros(len(alive), dtype=bool)
    for name in cells.columns:  # candidates leave at their first cell that is neither blank nor a label
        if not len(alive):
            return out
        col = nz.to_text(cells[name].iloc[alive])
        label = is_label(col).to_numpy(dtype=bool)
        keep = label | (col.fillna("").str.strip() == "").to_numpy(dtype=bool)
        alive, labelled = alive[keep], (labelled | label)[keep]
    out[alive[labelled]] = True
    return out


def _row_text(cells: pd.DataFrame, rows: np.ndarray) -> list[str]:
    """The ``rows`` as written, non-blank cells joined with " | " (a totals row's label and counts)."""
    picked = [nz.to_text(cells[c][rows]).str.strip().tolist() for c in cells.columns]
    return [" | ".join(v for v in values if v) for values in zip(*picked)] if picked else []


#: How messages name a canonical column in words (the header a user would write is added from the aliases).
COLUMN_WORDS = {
    "proposal_id": N_("proposal-id"), "lead_unit": N_("lead-unit"), "handling_unit": N_("handling-unit"), "unit_role": N_("unit-role"),
    "replied_at": N_("reply-date"), "result_category": N_("result-category"),
}


#: How messages name the values of a column read from a vocabulary ("not a known handling system").
VALUE_WORDS = {
    "proposer_type": N_("proposer type"), "handling_system": N_("handling system"), "satisfaction": N_("satisfaction"),
    "second_satisfaction": N_("second satisfaction"), "unit_role": N_("unit role"),
}


def header_suggestions(headers: list[str], aliases: AliasTable, extra: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Unknown headers that look like a misspelt alias (主板单位 for 主办单位, 答复日其 for 答复日期):
    header → the alias, as the alias table writes it. Close means difflib's ratio of at least 0.6
    between the compared forms (:func:`header_key`), at most one character longer or shorter."""
    import difflib

    written = {header_key(a): a for canonical, variants in [*shipped_aliases().items(), *(extra or {}).items()] for a in (canonical, *variants)}
    out = {}
    for header in headers:
        key = header_key(header)
        near = [k for k in written if abs(len(k) - len(key)) <= 1]
        match = difflib.get_close_matches(key, near, n=1, cutoff=0.6) if key else []
        if match:
            out[header] = written[match[0]]
    return out


def _missing_column_message(column: str, near: tuple[str, str] | None = None) -> Msg:
    """``no lead-unit column (主办单位 or an alias: 承办单位, 牵头单位, …)``: the fix in the user's
    words; with ``near`` (a header of the file, the alias it resembles), the likely misspelling."""
    message = _missing_column_words(column)
    if near is None:
        return message
    return Msg("%(message)s — did you mean '%(alias)s'? The file has '%(header)s'", message=message, alias=near[1], header=near[0])


def _missing_column_words(column: str) -> Msg:
    words = Msg(COLUMN_WORDS[column]) if column in COLUMN_WORDS else column.replace("_", " ")
    names = [a for a in shipped_aliases().get(column, ()) if not a.isascii()][:4]
    if not names:
        return Msg("no %(words)s column (%(column)s or an alias; see README, Ledger format)", words=words, column=column)
    return Msg("no %(words)s column (%(first)s or an alias: %(others)s, %(column)s, …; or add yours under column_aliases)",
               words=words, first=names[0], others=", ".join(names[1:]), column=column)


def _rows_in(rows: pd.Series, n: int) -> np.ndarray:
    """Boolean mask of length ``n``, true at the given row positions (every row for a
    problem of the whole file, :data:`FILE_ROW`)."""
    rows = rows.to_numpy(dtype=np.int64)
    if (rows == FILE_ROW).any():
        return np.ones(n, dtype=bool)
    mask = np.zeros(n, dtype=bool)
    mask[rows] = True
    return mask


def _reasons(errors: pd.DataFrame, n: int) -> pd.Series:
    """Per rejected row, its distinct error reasons ("column: message") joined with "; ", in the
    order found; an error of the whole file is a reason of every row. Each reason is a Msg (its
    message translatable), made once per distinct reason; most rows have one reason, so only the
    others are joined one by one."""
    whole = errors["row"] == FILE_ROW
    if whole.any():
        errors = pd.concat([
            errors[whole].loc[errors.index[whole].repeat(n)].assign(row=np.tile(np.arange(n), int(whole.sum()))),
            errors[~whole],
        ])
    text = (errors["column"] + ": " + errors["message"].astype("str")).to_numpy()
    first = ~pd.Series(text).duplicated().to_numpy()
    said = {t: Msg("%(column)s: %(message)s", column=Msg(N_("row")) if c == "row" else c, message=m)
            for t, c, m in zip(text[first], errors["column"].to_numpy()[first], errors["message"].to_numpy()[first])}
    pairs = pd.DataFrame({"row": errors["row"].to_numpy(), "reason": text}).drop_duplicates()
    several = pairs["row"].duplicated(keep=False).to_numpy()
    one = pairs[~several]
    single = message_column((said[t] for t in one["reason"]), one["row"].to_numpy())
    joined = {row: reduce(lambda a, b: Msg("%(reasons)s; %(reason)s", reasons=a, reason=b), (said[t] for t in group))
              for row, group in pairs[several].groupby("row", sort=False)["reason"]}
    return pd.concat([single, message_column(joined.values(), list(joined))])


def _unique_names(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in header:
        name = h or "(unnamed)"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def _normalise(text: dict[str, pd.Series], params, problems: _Problems, present: dict) -> pd.DataFrame:
    """Typed values from text; unreadable non-blank cells are reported as ``unparseable_value``.

    Text results stay categorical where the reader gave categoricals (see :func:`nz.by_unique`).
    """
    out = pd.DataFrame(index=next(iter(text.values())).index)
    out["proposal_id"] = nz.nfkc(text["proposal_id"])
    for col in ("title", "proposer", "topic"):
        out[col] = nz.by_unique(text[col], lambda u: u.str.strip())

    def vocab(col: str, words: dict, default: str = "", rule: str = "unparseable_value") -> None:
        mapped = nz.parse_vocabulary(text[col], words)
        known = "、".join(dict.fromkeys(k for k in words if not k.isascii())) or ", ".join(dict.fromkeys(words))
        problems.add(mapped.isna(), rule, col, Msg("not a known %(what)s (known: %(known)s)", what=Msg(VALUE_WORDS[col]), known=known), text[col])
        out[col] = nz.blank_for_missing(mapped)
        if default and col not in present:
            out[col] = default

    vocab("proposer_type", PROPOSER_TYPE_WORDS, rule="unknown_value")  # descriptive: no figure depends on it
    # A government handling ledger (政府系统办理台账) often has no system column: all rows are government.
    vocab("handling_system", HANDLING_SYSTEM_WORDS, default="government")
    if "handling_system" in present:  # a blank cell cannot be guessed: it decides the government base
        # blank as written: a word not in the vocabulary (某协会) is already "not a known handling system"
        blank = nz.by_unique(text["handling_system"], lambda u: (u.str.strip() == "").astype(bool))
        problems.add(blank, "unparseable_value", "handling_system",
                     Msg("the handling system is blank (政府 government, 党委, 人大, 政协, …)"), text["handling_system"])
    vocab("satisfaction", nz.SATISFACTION_WORDS)
    vocab("second_satisfaction", nz.SATISFACTION_WORDS)
    vocab("unit_role", nz.UNIT_ROLE_WORDS)

    for col in ("assigned_at", "due_at", "replied_at", "second_replied_at"):
        parsed = nz.parse_dates(text[col], problems.raw.epoch)
        blank = nz.by_unique(text[col], lambda u: (u.str.strip() == "").astype(bool))
        unread = ~blank & parsed.isna()
        if unread.any():  # a sentence per distinct value: a day that does not exist is said so
            written = nz.to_text(text[col][unread])
            why = {v: nz.date_problem(v) for v in written.unique()}
            problems.add(unread, "unparseable_value", col, pd.Series([why[v] for v in written], index=written.index, dtype=object), text[col])
        out[col] = parsed

    f2f_unknown = nz.by_unique(text["f2f_consulted"], lambda u: nz.parse_vocabulary(u, nz.F2F_WORDS).isna())
    problems.add(f2f_unknown, "unparseable_value", "f2f_consulted", Msg("not a yes/no or a way of consulting (是/否, √/×, 面商/电话/书面)"), text["f2f_consulted"])
    out["f2f_consulted"] = nz.by_unique(text["f2f_consulted"], lambda u: nz.f2f_from_words(nz.parse_vocabulary(u, nz.F2F_WORDS)))

    scheme = params.result_scheme if params else None
    if scheme is not None:
        cats = nz.parse_categories(text["result_category"], scheme.codes, {c.label: c.code for c in scheme.categories})
        known = ", ".join(scheme.codes)
        problems.add(cats.isna(), "category_not_in_scheme", "result_category", Msg("not a category of scheme %(scheme)s (%(known)s)", scheme=scheme.id, known=known), text["result_category"])
    else:
        cats = nz.parse_categories(text["result_category"], list("ABCD"), {})
        problems.add(cats.isna(), "category_not_in_scheme", "result_category", Msg("not a category letter (no params file: A-D accepted)"), text["result_category"])
    out["result_category"] = nz.blank_for_missing(cats)
    out["result_category_raw"] = nz.by_unique(text["result_category"], lambda u: u.str.strip())

    alias_map = nz.unit_alias_map(params.unit_aliases) if params else {}
    out["lead_unit"] = nz.normalise_units(text["lead_unit"], alias_map)
    out["handling_unit"] = nz.normalise_units(text["handling_unit"], alias_map)
    out["co_handling_units"] = nz.by_unique(
        text["co_handling_units"],
        lambda u: nz.split_units(u).map(lambda units: ";".join(alias_map.get(x, x) for x in units)).astype("str"),  # repeats kept: duplicate_id says so
    )

    rule = params.reply_deadline if params else None
    blank_due = out["due_at"].isna() & out["assigned_at"].notna()
    if rule is not None and rule.fixed_date is not None:
        computed = pd.Series(pd.Timestamp(rule.fixed_date), index=out.index)
    else:
        months = rule.months_after_assignment if rule is not None else 3
        computed = out["assigned_at"] + pd.DateOffset(months=months)
    out["due_at"] = out["due_at"].where(~blank_due, computed).astype("datetime64[us]")
    if rule is not None and rule.extension_max_months:
        # A due date the ledger gives is an approved extension, honoured up to the rule's limit.
        cap = out["assigned_at"] + pd.DateOffset(months=rule.extension_max_months)
        beyond = ~blank_due & out["due_at"].notna() & cap.notna() & (out["due_at"] > cap)
        problems.add(beyond, "due_beyond_limit", "due_at", Msg("an extension beyond %(months)s months; the limit is used", months=rule.extension_max_months), text["due_at"])
        out["due_at"] = out["due_at"].where(~beyond, cap).astype("datetime64[us]")
    return out


def _read_blank_roles(values: pd.DataFrame, problems: _Problems) -> None:
    """One row per assignment: a proposal's only row with a blank role is its sole unit (独办),
    as ledgers often fill 办理方式 only where several units share a proposal; a blank role among
    several rows cannot be guessed and is reported as ``missing_role``."""
    codes = values[_ID_CODE].to_numpy()
    rows_of_proposal = np.bincount(codes, minlength=int(codes.max(initial=-1)) + 1)[codes] if len(codes) else codes
    blank = (values["unit_role"] == "").to_numpy(dtype=bool)
    only_row = blank & (rows_of_proposal == 1)
    if only_row.any():
        values["unit_role"] = nz.to_text(values["unit_role"]).where(~only_row, "sole")
    say = (Msg("this proposal has several rows, and this one does not say the unit's role (主办, 协办, 分办 or 独办)") if "unit_role" in problems.header_of
           else Msg("this proposal has several rows, and this one does not say the unit's role (主办, 协办, 分办 or 独办); the file has no role column (办理方式)"))
    problems.add(pd.Series(blank & ~only_row, index=values.index), "missing_role", "unit_role", say)


def _check_rules(v: pd.DataFrame, text: dict, params, problems: _Problems, layout: str, as_of: dt.date) -> None:
    ids = v["proposal_id"]
    present = problems.header_of  # a column the file lacks is one problem of the file, not one per row
    if "proposal_id" in present:
        problems.add(ids == "", "blank_id", "proposal_id", Msg("the proposal id is blank"))

    if layout == "proposal_per_row":
        several = nz.by_unique(v["lead_unit"], lambda u: u.str.contains(nz._SPLIT_UNITS, regex=True).astype(bool))
        problems.add(several, "several_lead_units", "lead_unit", Msg("the cell names more than one unit; put one lead unit here and the others under co-handling units"), text["lead_unit"])
        dup = _repeated(v[_ID_CODE]) & (ids != "")
        problems.add(dup, "duplicate_id", "proposal_id", Msg("this proposal id is on more than one row"), text["proposal_id"])
        twice = _units_twice(v["lead_unit"], v["co_handling_units"])
        problems.add(twice.notna(), "duplicate_id", "co_handling_units", twice, text["co_handling_units"])
        gov_no_lead = (v["handling_system"] == "government") & (v["lead_unit"] == "") & ("lead_unit" in present)
        problems.add(gov_no_lead, "no_lead_unit", "lead_unit", Msg("a government-system proposal needs a lead unit"))
    else:
        # Per proposal, over integer codes: how many distinct values each proposal-level field takes,
        # and which roles its rows hold.
        codes = v[_ID_CODE].to_numpy()
        n = int(codes.max(initial=-1)) + 1
        role = v["unit_role"].to_numpy(dtype=object)

        def per_proposal(mask: np.ndarray) -> np.ndarray:
            return np.bincount(codes[mask], minlength=n)[codes]

        conflicting = np.zeros(len(v), dtype=bool)
        for col in (c for c in PROPOSAL_LEVEL if c in v.columns and c != "proposal_id"):
            values, _ = pd.factorize(v[col], sort=False, use_na_sentinel=False)
            pairs = pd.unique(codes.astype(np.int64) * (int(values.max(initial=0)) + 1) + values)  # pandas' hash table: fast on int64
            distinct = np.bincount(pairs // (int(values.max(initial=0)) + 1), minlength=n)
            conflicting |= distinct[codes] > 1
        problems.add(pd.Series(conflicting, index=v.index) & (ids != ""), "duplicate_id", "proposal_id",
                     Msg("rows of this proposal disagree on its title, proposer, topic, system or dates"), text["proposal_id"])
        is_lead = np.isin(role, ["lead", "sole"])
        problems.add(pd.Series(is_lead & (per_proposal(is_lead) > 1), index=v.index), "duplicate_id", "unit_role",
                     Msg("this proposal has more than one lead unit (主办 or 独办)"), text["unit_role"])
        problems.add((v["handling_unit"] == "") & (ids != "") & ("handling_unit" in present), "no_lead_unit", "handling_unit", Msg("the row names no handling unit"))
        unit_codes, _ = pd.factorize(v["handling_unit"], sort=False)
        twice = _repeated(pd.Series(codes.astype(np.int64) * (int(unit_codes.max(initial=0)) + 1) + unit_codes, index=v.index))
        problems.add(twice & (v["handling_unit"] != ""), "duplicate_id", "handling_unit", Msg("the same unit is listed twice for this proposal"), text["handling_unit"])
        mixed = (per_proposal(np.isin(role, ["lead", "sole"])) > 0) & (per_proposal(role == "separate") > 0)
        problems.add(pd.Series(mixed, index=v.index), "duplicate_id", "unit_role",
                     Msg("this proposal has both a lead unit (主办) and units handling it separately (分办)"), text["unit_role"])
        has_lead = per_proposal(np.isin(role, ["lead", "sole", "separate"])) > 0
        unknown_role = per_proposal(role == "") > 0  # missing_role says it already
        problems.add((v["handling_system"] == "government") & ~has_lead & ~unknown_role & (ids != "") & ("handling_unit" in present), "no_lead_unit", "unit_role",
                     Msg("a government-system proposal needs a lead unit (主办), or units handling it separately (分办)"))

    early = v["replied_at"].notna() & v["assigned_at"].notna() & (v["replied_at"] < v["assigned_at"])
    if early.any():
        when = v.loc[early, ["replied_at", "assigned_at"]]
        said = pd.Series([Msg("the reply date %(reply)s is before the assignment date %(assigned)s", reply=r, assigned=a)
                          for r, a in zip(when["replied_at"].dt.strftime("%Y-%m-%d"), when["assigned_at"].dt.strftime("%Y-%m-%d"))],
                         index=when.index, dtype=object)
        problems.add(early, "reply_before_assignment", "replied_at", said, text["replied_at"])

    limit = pd.Timestamp(as_of)
    for col in ("assigned_at", "replied_at"):
        problems.add(v[col] > limit, "date_in_future", col, Msg("the date is after %(date)s", date=as_of.isoformat()), text[col])
    evaluated = v["satisfaction"].isin(["satisfied", "basically_satisfied", "dissatisfied"])
    no_reply_text = nz.by_unique(text["replied_at"], lambda u: (u.str.strip() == "").astype(bool))
    problems.add(evaluated & no_reply_text, "satisfaction_without_reply", "satisfaction",
                 Msg("an evaluation is recorded but there is no reply date"), text["satisfaction"])
    for col in ("lead_unit", "co_handling_units", "handling_unit"):
        if col in problems.header_of:  # a slash may join two units or name one merged office: said, not guessed
            slash = nz.by_unique(text[col], lambda u: u.str.contains("[/／]", regex=True).fillna(False).astype(bool))
            problems.add(slash.to_numpy(dtype=bool), "unit_name_slash", col,
                         Msg("the unit name holds a slash: it is read as one unit; if it names two, separate them with 、 or ;"), text[col])
            # Between two names a space, + or & joins two units by hand (和 and 及 are in names: 住房和城乡建设局).
            joined = nz.by_unique(text[col], lambda u: u.str.contains(_JOINED_NAMES, regex=True).fillna(False).astype(bool))
            problems.add(joined.to_numpy(dtype=bool), "unit_names_joined", col,
                         Msg("two names joined by a space, + or & are read as one unit; if they are two, separate them with 、 or ;"), text[col])
    for col, series in text.items():
        if problems.raw.maybe_formulas and col in problems.header_of:  # only columns the file has
            problems.add(_formula_cells(series), "spreadsheet_formula", col,
                         Msg("the cell starts with = + - @, a tab or a carriage return: Excel would run it as a formula"), series)


#: Two Chinese names of two characters or more joined by blanks, + or & (县文旅局 县教育局, 县卫健局+县医保局).
_HAN = "[\u3400-\u9fff\U00020000-\U0003134f]{2,}"  # characters, not escapes: Arrow's RE2 reads them too
_JOINED_NAMES = f"{_HAN}(?:[ \t\u00a0\u3000]*[+＋&＆][ \t\u00a0\u3000]*|[ \t\u00a0\u3000]+(?:and[ \t\u00a0\u3000]+)?){_HAN}"


def _units_twice(lead: pd.Series, co: pd.Series) -> pd.Series:
    """One row per proposal: a sentence where one unit is listed twice — as the lead unit and a
    co-handling unit, or twice among the co-handling units (``co``: names joined with ";", after
    ``unit_aliases``) — else missing. The one-row-per-assignment layout's rule, on one row; each
    distinct pair of cells is looked at once."""
    lead_codes, leads = pd.factorize(lead, sort=False)
    co_codes, cos = pd.factorize(co, sort=False)
    pair = lead_codes.astype(np.int64) * (len(cos) + 1) + co_codes
    uniques, first, inverse = np.unique(pair, return_index=True, return_inverse=True)
    said: list = []
    for p in first:
        lead_name = str(leads[lead_codes[p]]) if lead_codes[p] >= 0 else ""
        others = [u for u in str(cos[co_codes[p]]).split(";") if u] if co_codes[p] >= 0 else []
        if lead_name and lead_name in others:
            said.append(Msg("%(unit)s is listed as both the lead unit and a co-handling unit; a unit has one role per proposal", unit=lead_name))
        elif len(set(others)) < len(others):
            again = next(u for i, u in enumerate(others) if u in others[:i])
            said.append(Msg("%(unit)s is listed twice among the co-handling units", unit=again))
        else:
            said.append(None)
    return pd.Series(np.array(said, dtype=object)[inverse.ravel()], index=lead.index, dtype=object)


#: A plain number (``-5``, ``+3.2``, ``-1e3``, ``-5%``): a value, not a formula, whatever its sign.
_NUMBER = r"[+-]?(?:\d+(?:[.,]\d*)*|\.\d+)(?:[eE][+-]?\d+)?%?"


def _formula_cells(series: pd.Series) -> pd.Series:
    """True where Excel would take a cell's text for a formula (OWASP CSV injection): it starts
    with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, and is not a plain number, nor a
    lone ``-`` (a placeholder for blank)."""
    def formulas(u: pd.Series) -> pd.Series:
        first = u.str[:1]
        risky = (first.isin(["=", "+", "-", "@", "\t", "\r"]) & (u.str.len() > 1)).fillna(False).astype(bool)
        if risky.any():  # most cells start otherwise: the number check runs on the few that do not
            risky[risky] = ~u[risky].str.fullmatch(_NUMBER).fillna(False).astype(bool)
        return risky

    return nz.by_unique(series, formulas)


def _repeated(values: pd.Series) -> pd.Series:
    """True for every row whose value occurs more than once (``duplicated(keep=False)``, by one
    hash pass and a count)."""
    codes, _ = pd.factorize(values, sort=False)
    counts = np.bincount(codes[codes >= 0], minlength=int(codes.max(initial=-1)) + 1)
    return pd.Series((codes >= 0) & (counts.take(np.maximum(codes, 0)) > 1), index=values.index)


def _model(rows: pd.DataFrame, layout: str, scheme: ResultScheme | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Proposals (one row each) and assignments (proposal × unit × role) from accepted rows."""
    status = {c.code: c.statuses[0] for c in scheme.categories} if scheme else {}
    if layout == "proposal_per_row":
        assignments = _assignments_per_row(rows)
        proposals = rows.drop(columns=["handling_unit", "unit_role"])
    else:
        codes = pd.factorize(rows[_ID_CODE].to_numpy(), sort=False)[0]  # 0, 1, … in order of first row
        assignments = _assignments_listed(rows, codes)
        proposals = _proposals_from_assignments(rows, scheme, codes)
    # Text before filling: a column none of whose codes the scheme knows maps to float64 NaN.
    resolution = nz.by_unique(proposals["result_category"], lambda u: u.map(status).astype("str").fillna(""))
    proposals = proposals.assign(resolution_status=resolution)
    proposals = proposals.assign(**{c: nz.to_text(proposals[c]) for c in proposals.columns if _is_text(proposals[c])})
    order = [*LEDGER_COLUMNS, "result_category_raw", "resolution_status", SOURCE_LINE]
    return proposals[order].reset_index(drop=True), assignments[list(ASSIGNMENT_COLUMNS)]


def _assignments_per_row(rows: pd.DataFrame) -> pd.DataFrame:
    """Assignments of a one-row-per-proposal ledger: the lead unit (its row's reply, category,
    evaluation) and each co-handling unit (no reply of its own), in file order, lead first."""
    lead_pos = np.flatnonzero((rows["lead_unit"] != "").to_numpy())
    co_pos, co_units = _split_joined(rows["co_handling_units"])
    row = np.concatenate([lead_pos, co_pos])
    is_lead = np.arange(len(row)) < len(lead_pos)
    # File order (rows are in file order), then lead before co-handlers; lexsort is stable.
    order = np.lexsort((~is_lead, row))
    row, is_lead = row[order], is_lead[order]
    units = pd.concat([nz.to_text(rows["lead_unit"].iloc[lead_pos]), co_units], ignore_index=True)
    roles = pd.Categorical.from_codes(np.where(is_lead, 0, 1), ["lead", "co_handler"])

    def lead_only(col: str) -> pd.Series:
        return nz.to_text(rows[col].iloc[row].reset_index(drop=True)).where(is_lead, "")

    return pd.DataFrame(
        {
            "proposal_id": nz.to_text(rows["proposal_id"].iloc[row].reset_index(drop=True)),
            "handling_unit": units.iloc[order].reset_index(drop=True).astype("str"),
            "unit_role": nz.to_text(pd.Series(roles)),
            "replied_at": pd.Series(rows["replied_at"].to_numpy()[row]).where(is_lead).astype("datetime64[us]"),
            "due_at": pd.Series(rows["due_at"].to_numpy()[row]).astype("datetime64[us]"),
            "result_category": lead_only("result_category"),
            "satisfaction": lead_only("satisfaction"),
            "f2f_consulted": pd.Series(rows["f2f_consulted"].array.take(row)).where(is_lead, pd.NA).astype("boolean"),
            SOURCE_LINE: rows[SOURCE_LINE].to_numpy()[row].astype("int64"),
        }
    )


def _assignments_listed(rows: pd.DataFrame, codes: np.ndarray) -> pd.DataFrame:
    """Assignments of a one-row-per-assignment ledger, ordered by each proposal's first line, then
    role (lead first), then line. ``codes``: each row's proposal, 0, 1, … in order of first row."""
    assignments = rows[list(ASSIGNMENT_COLUMNS)].reset_index(drop=True)
    role_order = nz.by_unique(assignments["unit_role"], lambda u: u.map({r: i for i, r in enumerate(UNIT_ROLES)}).fillna(len(UNIT_ROLES)).astype("int64")).to_numpy()
    first_line = assignments.groupby(codes, sort=False)[SOURCE_LINE].transform("min").to_numpy()
    by_file = np.lexsort((assignments[SOURCE_LINE].to_numpy(), role_order, first_line))
    assignments = assignments.iloc[by_file].reset_index(drop=True)
    for col in ("proposal_id", "handling_unit", "unit_role", "result_category", "satisfaction"):
        assignments[col] = nz.to_text(assignments[col])
    for col in ("replied_at", "due_at"):
        assignments[col] = assignments[col].astype("datetime64[us]")
    assignments["f2f_consulted"] = assignments["f2f_consulted"].astype("boolean")
    assignments[SOURCE_LINE] = assignments[SOURCE_LINE].astype("int64")
    return assignments


def _is_text(col: pd.Series) -> bool:
    return isinstance(col.dtype, pd.CategoricalDtype) or col.dtype == "str" or col.dtype == object


def _split_joined(units: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Explode ";"-joined unit names: for each unit, the position of its row, and its name (``str``).
    Each distinct cell is split once; rows are spread with index arithmetic, not Python loops."""
    codes, uniques = pd.factorize(units, sort=False)
    parts = [[u for u in str(v).split(";") if u] for v in uniques] + [[]]  # code -1 (missing): no unit
    per_value = np.array([len(p) for p in parts], dtype=np.int64)
    first = np.cumsum(per_value) - per_value  # where each distinct value's units start in `flat`
    flat = np.array([u for p in parts for u in p] + [""], dtype=object)
    per_row = per_value[codes]
    out_first = np.cumsum(per_row) - per_row  # where each row's units start in the output
    which = np.repeat(first[codes] - out_first, per_row) + np.arange(int(per_row.sum()))
    return np.repeat(np.arange(len(units)), per_row), pd.Series(flat[which], dtype="str")


_SATISFACTION_ORDER = {"dissatisfied": 0, "basically_satisfied": 1, "satisfied": 2, "no_response": 3, "": 4}


def _proposals_from_assignments(rows: pd.DataFrame, scheme: ResultScheme | None, codes: np.ndarray) -> pd.DataFrame:
    """One row per proposal from assignment rows: the lead row's reply, or for separate handling
    the last reply (NaT while any unit has not replied), the least-resolved category and the least
    satisfied evaluation (a conservative reading of several replies).

    Proposals come in the order of their first row. Every step is a vectorised pass over integer
    proposal codes, so a million assignment rows take seconds.
    """
    rank = {c: i for i, c in enumerate(scheme.codes)} if scheme else {c: i for i, c in enumerate("ABCD")}
    n = int(codes.max(initial=-1)) + 1
    ids = rows["proposal_id"].iloc[np.unique(codes, return_index=True)[1]]  # each proposal's first row
    role = rows["unit_role"].to_numpy(dtype=object)
    first = rows.groupby(codes, sort=True)[
        ["title", "proposer", "proposer_type", "topic", "handling_system", "assigned_at", "second_replied_at", "second_satisfaction", SOURCE_LINE]
    ].first()
    out = first.reindex(pd.RangeIndex(n))

    replying = np.isin(role, ["lead", "sole", "separate", ""])
    # (only the columns a reply carries: masking every column of a million rows costs more than the rest)
    rep = rows.loc[replying, ["due_at", "replied_at", "result_category", "result_category_raw", "satisfaction", "f2f_consulted"]]
    rep_codes = codes[replying]
    g = rep.groupby(rep_codes, sort=True)
    out["due_at"] = g["due_at"].max().reindex(out.index)
    all_replied = g["replied_at"].count() == g.size()
    out["replied_at"] = g["replied_at"].max().where(all_replied).reindex(out.index)
    # A unit with no category (no reply yet, or none recorded) ranks below every code: the
    # proposal then has no category either, rather than the best one of the others.
    cat_rank = nz.by_unique(rep["result_category"], lambda u: u.map(rank).fillna(len(rank)).astype("int64")).to_numpy()
    worst_cat = _pick(rep_codes, cat_rank, last=True)  # highest rank; of equals, the last row
    out["result_category"] = _spread(rep["result_category"], worst_cat, n)
    out["result_category_raw"] = _spread(rep["result_category_raw"], worst_cat, n)
    sat_rank = nz.by_unique(rep["satisfaction"], lambda u: u.map(_SATISFACTION_ORDER).fillna(len(_SATISFACTION_ORDER)).astype("int64")).to_numpy()
    out["satisfaction"] = _spread(rep["satisfaction"], _pick(rep_codes, sat_rank, last=False), n)  # lowest; of equals, the first
    # Face to face only when every replying unit met face to face (unknown counts as not); NA when none is known.
    known, met = g["f2f_consulted"].count(), g["f2f_consulted"].sum()
    f2f = pd.Series((met == g.size()).to_numpy(), index=met.index, dtype="boolean").where(known > 0, pd.NA)
    out["f2f_consulted"] = f2f.reindex(out.index).astype("boolean")

    lead = _spread(rows["handling_unit"], _pick(codes, np.isin(role, ["lead", "sole"]).astype("int64"), last=False, only_max=True), n)
    first_separate = _spread(rows["handling_unit"], _pick(codes, (role == "separate").astype("int64"), last=False, only_max=True), n)
    out["lead_unit"] = lead.where(lead != "", first_separate)
    co = role == "co_handler"
    out["co_handling_units"] = _join_per_proposal(codes[co], rows["handling_unit"][co], n).to_numpy()
    for col in ("title", "proposer", "proposer_type", "topic", "handling_system", "lead_unit", "co_handling_units", "result_category", "result_category_raw", "satisfaction", "second_satisfaction"):
        out[col] = nz.to_text(out[col]).fillna("")
    for col in ("assigned_at", "due_at", "replied_at", "second_replied_at"):
        out[col] = out[col].astype("datetime64[us]")
    out.insert(0, "proposal_id", nz.to_text(ids.reset_index(drop=True)))
    return out.reset_index(drop=True)


def _pick(codes: np.ndarray, key: np.ndarray, last: bool, only_max: bool = False) -> dict[str, np.ndarray]:
    """For each proposal code, the row with the highest key (``last``: the last such row) or the
    lowest key (the first such row); ``only_max``: only rows where the key is 1 count."""
    pos = np.arange(len(codes))
    if only_max:
        pos = pos[key == 1]
    order = np.lexsort((pos, key[pos], codes[pos])) if len(pos) else pos
    sorted_codes = codes[pos][order]
    if last:
        ends = np.r_[sorted_codes[1:] != sorted_codes[:-1], True] if len(order) else order.astype(bool)
    else:
        ends = np.r_[True, sorted_codes[1:] != sorted_codes[:-1]] if len(order) else order.astype(bool)
    return {"code": sorted_codes[ends], "row": pos[order][ends]}


def _spread(values: pd.Series, picked: dict[str, np.ndarray], n: int) -> pd.Series:
    """One text value per proposal code from the picked rows; ``""`` where none was picked."""
    if len(values) == 0:
        return pd.Series([""] * n, dtype="str")
    source = np.full(n, -1, dtype=np.int64)
    source[picked["code"]] = picked["row"]
    taken = nz.to_text(values.iloc[np.maximum(source, 0)].reset_index(drop=True))  # a take of codes, then one of text
    return taken.where(source >= 0, "")


def _join_per_proposal(codes: np.ndarray, values: pd.Series, n: int) -> pd.Series:
    """Values joined with ";" per proposal code (0 … n-1), in row order; ``""`` for a proposal
    without any. Arrow joins them: the values sorted by code (stably), cut into one list per code."""
    import pyarrow as pa
    import pyarrow.compute as pc

    order = np.argsort(codes, kind="stable")
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(codes, minlength=n), out=offsets[1:])
    items = pa.array(nz.to_text(values).array, type=pa.large_string())
    items = (items.combine_chunks() if isinstance(items, pa.ChunkedArray) else items).take(pa.array(order))
    lists = pa.LargeListArray.from_arrays(pa.array(offsets), items)
    return pd.Series(pd.arrays.ArrowStringArray(pc.binary_join(lists, pa.scalar(";", pa.large_string()))))
