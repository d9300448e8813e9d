"""The named validation rules a ledger row is checked against.

An **error** rejects the row (it is reported, never counted); a **warning** keeps the row and
flags it. Every rule is documented in README ("Validation rules") from this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..messages import N_


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
        Rule("required_column", "error", N_("a column the report needs is not in the file; one problem for the file, and every row is rejected"), "file"),
        Rule("row_shape", "error", N_("the row has more or fewer cells than the header")),
        Rule("unclosed_quote", "error", N_("a quote (\") opens a cell on this line and does not close where the cell ends, so it would swallow the lines after it: the line is read as written, and rejected")),
        Rule("blank_id", "error", N_("the proposal id is blank")),
        Rule("totals_row", "warning", N_("a totals row (a cell reads 合计, 总计, 小计, 共计 or total, perhaps with a count: 总计：3件): not a proposal, so set aside — neither accepted nor rejected, and not counted")),
        Rule("note_row", "warning", N_("a note or sign-off line under or inside the table (填表人：…, 审核：…, 注：…; every filled cell such a label): not a proposal, so set aside — neither accepted nor rejected, and not counted")),
        Rule("duplicate_id", "error", N_("the same proposal id on several rows whose content conflicts (or, one row per proposal, repeated)")),
        Rule("unparseable_value", "error", N_("a date, yes/no, evaluation, role or system the reader cannot understand")),
        Rule("category_not_in_scheme", "error", N_("a result category that is not a code or label of the params file's scheme")),
        Rule("no_lead_unit", "error", N_("a government-system proposal with no lead unit")),
        Rule("reply_before_assignment", "error", N_("the reply date is before the assignment date")),
        Rule("rejected_sibling", "error", N_("another row of the same proposal was rejected, so the proposal cannot be counted")),
        Rule("unknown_value", "warning", N_("a descriptive value (e.g. proposer type) the reader does not know; kept, left blank")),
        Rule("missing_role", "error", N_("one row per assignment: a proposal with several rows where a row does not say the unit's role")),
        Rule("several_lead_units", "error", N_("the lead-unit cell names more than one unit (one lead per proposal; the others co-handle)")),
        Rule("due_beyond_limit", "warning", N_("a due date (approved extension) later than the params file's extension limit; the limit is used")),
        Rule("date_in_future", "warning", N_("a date after the as-of date (default: today)")),
        Rule("satisfaction_without_reply", "warning", N_("an evaluation is recorded but the proposal has no reply date")),
        Rule("unit_name_slash", "warning", N_("a unit name holds a slash (县农业局/县住建局): it is read as one unit, as a merged office is often written; two units are separated by 、，,；; or a line break")),
        Rule("unit_names_joined", "warning", N_("a unit cell holds two Chinese names joined by a space, + or & (县文旅局 县教育局, 县卫健局+县医保局): it is read as one unit; two units are separated by 、，,；; or a line break")),
        Rule("spreadsheet_formula", "warning", N_("a cell Excel would run as a formula: it starts with = + - @, a tab or a carriage return (a plain number such as -5 is not one)")),
        Rule("hidden_row", "warning", N_("the workbook hides the row (hidden, or filtered out): Excel does not show it, but it is read and counted")),
        Rule("hidden_column", "warning", N_("the workbook hides a column: Excel does not show it, but it is read"), "file"),
        Rule("other_sheets", "warning", N_("the workbook has other sheets with the ledger's header (a ledger split over sheets): "
                                           "only one sheet is read; name it with ledger_sheet: or --sheet, or put all rows in one sheet"), "file"),
    )
}
