"""The named validation rules a ledger row is checked against.

An **error** rejects the row (it is reported, never counted); a **warning** keeps the row and
flags it. Every rule is documented in README ("Validation rules") from this table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """A named validation rule: its severity ("error" rejects the row, "warning" flags it), summary,
    and scope: "row" (one problem per row) or "file" (one problem for the file, at the header's
    line; an error of the file rejects every row)."""

    name: str
    severity: str  # "error" or "warning"
    summary: str
    scope: str = "row"


RULES: dict[str, Rule] = {
    r.name: r
    for r in (
        Rule("required_column", "error", "a column the report needs is not in the file; one problem for the file, and every row is rejected", "file"),
        Rule("row_shape", "error", "the row has more or fewer cells than the header"),
        Rule("blank_id", "error", "the proposal id is blank"),
        Rule("totals_row", "error", "a totals row under the table (a cell reads 合计, 总计, 小计 or 共计): not a proposal, not counted"),
        Rule("duplicate_id", "error", "the same proposal id on several rows whose content conflicts (or, one row per proposal, repeated)"),
        Rule("unparseable_value", "error", "a date, yes/no, evaluation, role or system the reader cannot understand"),
        Rule("category_not_in_scheme", "error", "a result category that is not a code or label of the params file's scheme"),
        Rule("no_lead_unit", "error", "a government-system proposal with no lead unit"),
        Rule("reply_before_assignment", "error", "the reply date is before the assignment date"),
        Rule("rejected_sibling", "error", "another row of the same proposal was rejected, so the proposal cannot be counted"),
        Rule("unknown_value", "warning", "a descriptive value (e.g. proposer type) the reader does not know; kept, left blank"),
        Rule("missing_role", "error", "one row per assignment: a proposal with several rows where a row does not say the unit's role"),
        Rule("several_lead_units", "error", "the lead-unit cell names more than one unit (one lead per proposal; the others co-handle)"),
        Rule("due_beyond_limit", "warning", "a due date (approved extension) later than the params file's extension limit; the limit is used"),
        Rule("date_in_future", "warning", "a date after the as-of date (default: today)"),
        Rule("satisfaction_without_reply", "warning", "an evaluation is recorded but the proposal has no reply date"),
        Rule("spreadsheet_formula", "warning", "a cell Excel would run as a formula: it starts with = + - @, a tab or a carriage return (a plain number such as -5 is not one)"),
        Rule("hidden_row", "warning", "the workbook hides the row (hidden, or filtered out): Excel does not show it, but it is read and counted"),
        Rule("hidden_column", "warning", "the workbook hides a column: Excel does not show it, but it is read", "file"),
    )
}
