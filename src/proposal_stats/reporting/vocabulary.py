"""The words a report shows for the field's codes: column names, verdicts, statuses, evaluations.

The package computes with stable English codes (``basically_satisfied``, ``a_verdict``, ``"agrees"``);
a reader sees words. Each table below maps a code to its English label, marked for translation
(:func:`~proposal_stats.messages.N_`), so one lookup gives the label in any language with a catalog:
:func:`term` for the templates, :func:`column_label` for table headers (the CSV/XLSX exports use it
too). Chinese labels follow the field's own terms (glossary in ``docs/architecture.md``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

import numpy as np
import pandas as pd

from ..messages import Msg, N_
from ..terms import STATUS_WORDS
from .i18n import SOURCE_LANGUAGE, Translator, check_language

#: Column names of the report's tables (ledger columns, unit comparison, audit tables) → label.
COLUMNS: dict[str, str] = {
    # ledger (terms.LEDGER_COLUMNS) and its derived columns
    "proposal_id": N_("Proposal no."),
    "title": N_("Title"),
    "proposer": N_("Proposer"),
    "proposer_type": N_("Proposer type"),
    "topic": N_("Topic"),
    "handling_system": N_("Handling system"),
    "lead_unit": N_("Lead unit"),
    "co_handling_units": N_("Co-handling units"),
    "assigned_at": N_("Assigned"),
    "due_at": N_("Due"),
    "replied_at": N_("Replied on"),
    "result_category": N_("Result category"),
    "result_category_raw": N_("Result category as written"),
    "resolution_status": N_("Normalised status"),
    "f2f_consulted": N_("Face to face"),
    "f2f_not_recorded": N_("Face to face not recorded"),
    "f2f_recorded": N_("Face to face recorded"),
    "satisfaction": N_("Evaluation"),
    "second_replied_at": N_("Second reply"),
    "second_satisfaction": N_("Second evaluation"),
    "source_line": N_("Line"),
    "reasons": N_("Reasons"),
    "handling_unit": N_("Handling unit"),
    "unit_role": N_("Role"),
    # per-unit tables
    "as_lead": N_("Lead"),
    "as_co_handler": N_("Co-handler"),
    "separately": N_("Separate"),
    "n": N_("Proposals replied to itself"),
    "a_count": N_("A count"),
    "categorised": N_("With a category"),
    "replied": N_("Replied"),
    "on_time": N_("On time"),
    "with_due": N_("With a due date"),
    "f2f": N_("Face to face"),
    "satisfied": N_("Satisfied"),
    "basically_satisfied": N_("Basically satisfied"),
    "dissatisfied": N_("Dissatisfied"),
    "days_median": N_("Days to reply, median"),
    "days_p90": N_("Days to reply, 90th percentile"),
    "dissatisfied_rehandled": N_("Dissatisfied, re-handled"),
    "forms": N_("Feedback forms"),
    "a_share": N_("A share"),
    "reply_rate": N_("Reply rate"),
    "on_time_rate": N_("On-time rate"),
    "f2f_rate": N_("Face-to-face rate"),
    "response_rate": N_("Response rate"),
    "satisfaction_inclusive": N_("Satisfaction (inclusive)"),
    "satisfaction_strict": N_("Satisfaction (strict)"),
    "a_low": N_("A share, 95% CI low"),
    "a_high": N_("A share, 95% CI high"),
    "a_verdict": N_("A verdict"),
    "on_time_verdict": N_("On-time verdict"),
    "days": N_("Days to reply"),
    "allowed": N_("Days allowed"),
    "in_last_tenth": N_("In the last tenth"),
    "days_to_second_reply": N_("Days to second reply"),
    "reason": N_("Reason"),
    "lead_replied_at": N_("Lead unit replied"),
    # categories, comparisons, problems
    "code": N_("Code"),
    "label": N_("Label"),
    "statuses": N_("Normalised status(es)"),
    "count": N_("Count"),
    "share": N_("Share"),
    "figure": N_("Figure"),
    "base": N_("Base"),
    "rate": N_("Rate"),
    "rate_low": N_("Rate, 95% CI low"),
    "rate_high": N_("Rate, 95% CI high"),
    "pooled": N_("Pooled"),
    "funnel_verdict": N_("Funnel verdict"),
    "undefined": N_("Undefined because"),
    "pooled_undefined": N_("Pooled rate undefined because"),
    "ledger_text": N_("This ledger"),
    "printed_text": N_("Printed"),
    "verdict": N_("Check"),
    "detail": N_("Detail"),
    "file": N_("File"),
    "line": N_("Line"),
    "column": N_("Column"),
    "value": N_("Value"),
    "rule": N_("Rule"),
    "severity": N_("Severity"),
    "message": N_("Message"),
    "evaluation": N_("Evaluation"),
    # published-report audit
    "id": N_("Report"),
    "jurisdiction": N_("Jurisdiction"),
    "body": N_("Body"),
    "year": N_("Year"),
    "reliability": N_("Reliability"),
    "errors": N_("Errors"),
    "warnings": N_("Warnings"),
    "notes": N_("Notes"),
    "kind": N_("Kind"),
    "where": N_("Where"),
    "printed": N_("Printed"),
    "first_class": N_("First class as printed"),
    "resolved_share": N_("Resolved share"),
    "comparable": N_("Comparable"),
    "note": N_("Note"),
    "measure": N_("Measure"),
}

#: Codes a report shows as words: verdicts, statuses, evaluations, roles, systems, severities.
TERMS: dict[str, dict[str, str]] = {
    "verdict": {  # stats.compare.Comparison.verdict
        "agrees": N_("agrees"),
        "differs": N_("differs"),
        "missing": N_("missing"),
        "no ledger data": N_("no ledger data"),
        "not printed": N_("not printed"),
    },
    "funnel": {  # stats.units.verdict
        "too few": N_("too few"),
        "within": N_("within"),
        "above 95%": N_("above 95%"),
        "above 99.8%": N_("above 99.8%"),
        "below 95%": N_("below 95%"),
        "below 99.8%": N_("below 99.8%"),
    },
    "signal": {  # stats.signals.Signal.status
        "fired": N_("fired"),
        "not fired": N_("not fired"),
        "not checkable": N_("not checkable"),
    },
    "signal_name": {
        "scheme drift": N_("scheme drift"),
        "implausible A share": N_("implausible A share"),
        "B items never followed up": N_("B items never followed up"),
        "satisfaction without variance": N_("satisfaction without variance"),
        "timeliness": N_("timeliness"),
        "boilerplate replies": N_("boilerplate replies"),
        "arithmetic": N_("arithmetic"),
    },
    "severity": {"error": N_("error"), "warning": N_("warning"), "note": N_("note")},
    "satisfaction": {
        "satisfied": N_("satisfied (满意)"),
        "basically_satisfied": N_("basically satisfied (基本满意)"),
        "dissatisfied": N_("dissatisfied (不满意)"),
        "no_response": N_("no form returned (未反馈)"),
        "not_recorded": N_("not recorded"),
    },
    "status": STATUS_WORDS,  # terms.RESOLUTION_STATUSES
    "role": {"lead": N_("lead (主办)"), "co_handler": N_("co-handler (协办)"), "separate": N_("separate (分办)"), "sole": N_("sole (独办)")},
    "system": {  # terms.HANDLING_SYSTEMS
        "government": N_("government"),
        "party": N_("Party committee"),
        "npc": N_("people's congress"),
        "cppcc": N_("CPPCC"),
        "judicial": N_("judicial"),
        "peoples_org": N_("people's organisation"),
        "other": N_("other"),
    },
    "proposer_type": {  # terms.PROPOSER_TYPES
        "member_individual": N_("member, individually (委员个人)"),
        "member_joint": N_("members, jointly (委员联名)"),
        "party": N_("democratic party (党派)"),
        "peoples_org": N_("people's organisation (人民团体)"),
        "sector": N_("sector (界别)"),
        "special_committee": N_("special committee (专委会)"),
        "member_group": N_("member group (委员小组)"),
    },
    "figure": {  # stats.compare.compare_headline: the figures compared with the published report
        "submitted": N_("Proposals submitted"),
        "assigned_to_government": N_("Assigned to the government system"),
        "assigned_to_government_share": N_("share of proposals submitted"),
        "handling_units": N_("Handling units (lead)"),
        "replied": N_("Replied"),
        "reply_rate": N_("Reply rate"),
        "on_time_rate": N_("On-time rate"),
        "f2f_rate": N_("Face-to-face rate"),
        "satisfaction_rate": N_("Satisfaction (inclusive)"),
        "category base": N_("Base of the category shares"),
    },
    "body": {"cppcc_proposals": N_("CPPCC proposals (政协提案)"), "npc_suggestions": N_("NPC deputies' suggestions (人大代表建议)")},
    "layout": {"proposal_per_row": N_("one row per proposal"), "assignment_per_row": N_("one row per unit assignment")},
    "measure": {"received": N_("received"), "filed": N_("filed")},
    "claims_body": {"CPPCC": N_("CPPCC"), "NPC": N_("NPC"), "NPC + CPPCC": N_("NPC + CPPCC")},  # a claims file's body
    "yes_no": {"True": N_("yes"), "False": N_("no")},
    "unit": {"count": N_("count"), "percent": N_("percent")},
    "reason": {  # stats.signals evidence
        "late": N_("late"),
        "last tenth": N_("in the last tenth of the allowed time"),
        "co-handler opinion after the reply": N_("co-handler opinion after the reply"),
    },
    "provenance": {  # AnnualReport.provenance / the corpus report's footer
        "params_file": N_("Params file"),
        "params_sha256": N_("Params file SHA-256"),
        "ledger_file": N_("Ledger file"),
        "ledger_sha256": N_("Ledger SHA-256"),
        "result_scheme": N_("Result scheme"),
        "claims": N_("Claims"),
        "reports": N_("Reports"),
        "proposal_stats_version": N_("proposal_stats version"),
    },
    "rule": {  # ledger.rules.RULES
        "required_column": N_("required column"),
        "row_shape": N_("row shape"),
        "unclosed_quote": N_("unclosed quote"),
        "blank_id": N_("blank id"),
        "duplicate_id": N_("duplicate id"),
        "unparseable_value": N_("unparseable value"),
        "category_not_in_scheme": N_("category not in scheme"),
        "no_lead_unit": N_("no lead unit"),
        "reply_before_assignment": N_("reply before assignment"),
        "rejected_sibling": N_("rejected sibling"),
        "unknown_value": N_("unknown value"),
        "missing_role": N_("missing role"),
        "several_lead_units": N_("several lead units"),
        "due_beyond_limit": N_("due beyond limit"),
        "date_in_future": N_("date in future"),
        "satisfaction_without_reply": N_("satisfaction without reply"),
        "unit_name_slash": N_("unit name with a slash"),
        "unit_names_joined": N_("unit names joined"),
        "spreadsheet_formula": N_("spreadsheet formula"),
        "totals_row": N_("totals row"),
        "note_row": N_("note row"),
        "hidden_row": N_("hidden row"),
        "hidden_column": N_("hidden column"),
        "other_sheets": N_("other sheets not read"),
    },
    "finding": {  # published.audit.KINDS
        "sum_mismatch": N_("sum mismatch"),
        "base_mismatch": N_("base mismatch"),
        "share_mismatch": N_("share mismatch"),
        "impossible_percentage": N_("impossible percentage"),
        "share_other_base": N_("share of another base"),
        "rounding_mode": N_("rounding mode"),
        "dropped_trailing_zero": N_("dropped trailing zero"),
        "forced_to_100": N_("forced to 100%"),
        "shares_total": N_("shares total"),
        "derived_mismatch": N_("derived mismatch"),
        "sum_of_rounded_shares": N_("sum of rounded shares"),
        "approximate_wording": N_("approximate wording"),
        "missing_number": N_("missing number"),
        "share_base_unknown": N_("share of an unknown base"),
        "overlapping_classes": N_("overlapping classes"),
        "conflicting_figures": N_("conflicting figures"),
        "parts_mismatch": N_("parts mismatch"),
    },
}


#: Columns whose values are codes of a :data:`TERMS` table (shown as words in tables).
CODED_COLUMNS: dict[str, str] = {
    "reason": "reason", "a_verdict": "funnel", "on_time_verdict": "funnel", "verdict": "verdict", "severity": "severity",
    "satisfaction": "satisfaction", "second_satisfaction": "satisfaction", "evaluation": "satisfaction", "unit_role": "role",
    "handling_system": "system", "kind": "finding", "rule": "rule", "resolution_status": "status", "statuses": "status",
    "measure": "measure", "proposer_type": "proposer_type",
}


def term(kind: str, code) -> Msg | str:
    """The label of ``code`` in the table ``kind`` of :data:`TERMS`, as a message to translate; a
    code the table does not know (data) comes back as text, unchanged."""
    label = TERMS[kind].get(str(code))
    return Msg(label) if label is not None else ("" if code is None else str(code))


PERCENT_SUFFIX = "_pct"  # an exported percent column (reporting.exports): its base column's label, in percent


def column(name: str) -> Msg | str:
    """A column's header as a message to translate: ``handling_unit`` → "Handling unit",
    ``a_share_pct`` → "A share (%)", a normalised status (the unit comparison's replies by status,
    ``resolved``) → "Replies: resolved"; a name with no entry (a category code) stays as it is."""
    name = str(name)
    if name in COLUMNS:
        return Msg(COLUMNS[name])
    if name in STATUS_WORDS:
        return Msg("Replies: %(status)s", status=Msg(STATUS_WORDS[name]))
    if name.endswith(PERCENT_SUFFIX) and name[: -len(PERCENT_SUFFIX)] in COLUMNS:
        return Msg("%(label)s (%%)", label=Msg(COLUMNS[name[: -len(PERCENT_SUFFIX)]]))
    return name


def cell(value, kind: str | None = None):
    """A table cell's value for display: codes of ``kind`` as words (``resolved+in_progress`` as
    each status), booleans as yes/no, dates as ``2022-03-15``, fractions to 4 significant digits,
    and ``—`` for a missing value; anything else as text."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return "—"
    if isinstance(value, (bool, np.bool_)):
        return term("yes_no", str(bool(value)))
    if isinstance(value, (pd.Timestamp, dt.date)):
        return str(value)[:10]
    if isinstance(value, (float, np.floating)):
        return f"{value:.4g}"
    if kind is not None and isinstance(value, str):
        if kind == "status" and "+" in value:
            return [term(kind, v) for v in value.split("+")]
        return term(kind, value)
    return value if isinstance(value, (str, int, np.integer)) else str(value)


def frame_rows(frame: pd.DataFrame) -> list[list]:
    """The rows of ``frame`` as display values (:func:`cell`), coded columns as words."""
    kinds = [CODED_COLUMNS.get(str(c)) for c in frame.columns]
    return [[cell(v, k) for v, k in zip(row, kinds)] for row in frame.itertuples(index=False, name=None)]


#: Texts ``proposal-stats new`` writes into a params file where a person must still give the source
#: (reporting.new_report): a report shows them in its own language, not as the English they were
#: written in. Edited by the user, a text is the user's and shown as written.
GENERATED_TEXTS: dict[str, str] = {
    "inferred_scheme": N_("inferred by proposal-stats new from the category values the ledger uses: CHECK the labels "
                          "and statuses against the printed report"),
    "default_deadline": N_("default: 3 months after assignment, the usual local rule; CHECK the local 办法"),
}


def params_text(text: str) -> Msg | str:
    """A text from a params file as a report shows it: one of :data:`GENERATED_TEXTS` as a message
    to translate, any other text as written."""
    return Msg(text) if text in GENERATED_TEXTS.values() else text


def ledger_source(encoding: str) -> Msg | str:
    """How a ledger was read (:attr:`Ledger.encoding <proposal_stats.ledger.model.Ledger>`), in
    words: ``xlsx, sheet 台账`` → "workbook, sheet “台账”" (the file's name shows which kind),
    ``parquet`` → "Parquet file"; a text encoding (``utf-8``, ``gb18030``) as it is."""
    import re

    found = re.fullmatch(r"\w+, sheet (.*)", encoding, flags=re.S)
    if found:
        return Msg("workbook, sheet “%(sheet)s”", sheet=found.group(1))
    if encoding == "parquet":
        return Msg("Parquet file")
    return encoding


#: A problem's ``column`` that names no column of the ledger (ledger.model): the whole row.
PROBLEM_PLACES = {"row": N_("(the whole row)"), "workbook": N_("(the workbook)")}


#: The parts of a claims file a finding points at (``Finding.where``: ``results: B``, ``figures.f2f_rate``).
CLAIMS_PARTS = {"results": N_("results"), "topics": N_("topics"), "figures": N_("figures"), "breakdowns": N_("breakdowns")}


_UNLABELLED = re.compile(r"^(.*?)\s*\(unlabelled\)$")
_CLASS_N = re.compile(r"^class (\d+)$")


def printed_code(code: str) -> Msg | str:
    """A class's code as a reader sees it. Codes are printed text, except two marks: ``A (unlabelled)``,
    a letter a transcriber gave a class the report printed without one, and ``class 2``, the place
    extraction gives a class printed with no code at all; both are shown in the report's language."""
    code = str(code)
    found = _UNLABELLED.match(code)
    if found:
        return Msg("%(code)s (unlabelled)", code=found.group(1))
    found = _CLASS_N.match(code)
    return Msg("class %(n)s", n=found.group(1)) if found else code


def where(text: str) -> Msg | str:
    """Where in a claims file a finding is, with its part named in words (``results: B`` →
    "办理结果: B" in Chinese) and a code's marks translated (:func:`printed_code`); the figure and
    class names themselves stay as written."""
    for part, label in CLAIMS_PARTS.items():
        if text == part:
            return Msg(label)
        for sep in (": ", "."):
            if text.startswith(part + sep):
                rest = text[len(part) + len(sep):]
                return Msg("%(part)s: %(rest)s", part=Msg(label), rest=printed_code(rest) if sep == ": " else rest)
    return text


def column_label(name: str, language: str = SOURCE_LANGUAGE) -> str:
    """A table column's header in ``language``: ``column_label("handling_unit", "zh-CN") == "承办单位"``,
    ``column_label("share_pct", "zh-CN") == "占比 (%)"``.

    For exports (the workbook's headers: :meth:`AnnualReport.export_labels
    <proposal_stats.reporting.report.AnnualReport.export_labels>`) and any table built outside the
    templates. A column with no entry in :data:`COLUMNS` (a scheme's category code such as ``A``)
    keeps its name.

    Raises:
        UnknownLanguage: ``language`` has no catalog.
    """
    return Translator(check_language(language)).value(column(name))


def header_labels(language: str, codes=()):
    """The workbook's header labels for a report in ``language`` (see
    :func:`~proposal_stats.reporting.exports.write_workbook`): ``None`` in English (the column
    names, as in the CSV files), else a function from a column name to its label
    (:func:`column_label`), a scheme's category code in ``codes`` labelled as a category
    (``A`` → "A类")."""
    if check_language(language) == SOURCE_LANGUAGE:
        return None
    t = Translator(language)
    codes = {str(c) for c in codes}
    return lambda name: t.value(Msg("Category %(code)s", code=name)) if name in codes else column_label(name, language)


def column_labels(columns, language: str = SOURCE_LANGUAGE) -> dict[str, str]:
    """``{column: label}`` for every column (e.g. ``frame.rename(columns=column_labels(frame.columns, "zh-CN"))``)."""
    return {c: column_label(c, language) for c in columns}


_CLASS_FIGURE = re.compile(r"^(.+) (count|share)$")


def comparison_figure(name: str) -> Msg | str:
    """A figure of the comparison with the published report (``Comparison.figure`` of
    :func:`~proposal_stats.stats.compare.compare_headline`) in words: ``reply_rate`` → "Reply rate",
    ``B share`` → "B share" as a message (Chinese "B类占比"); another name stays as it is."""
    name = str(name)
    if name in TERMS["figure"]:
        return Msg(TERMS["figure"][name])
    found = _CLASS_FIGURE.match(name)
    if found:
        code, what = found.groups()
        return Msg("%(code)s count", code=code) if what == "count" else Msg("%(code)s share", code=code)
    return name


def printed_class(text: str) -> Msg | str:
    """A class as the corpus' comparison lists it (``A (unlabelled): 已解决``) with its code's marks
    in words (:func:`printed_code`); a text of another form stays as it is."""
    code, sep, label = str(text).partition(": ")
    return Msg("%(code)s: %(label)s", code=printed_code(code), label=label) if sep else text


def problem_place(headers) -> Callable[[str], Msg | str]:
    """How a workbook words a problem's ``column``: a header of the ledger (``headers``) as written,
    even one that is a canonical name (``proposal_id`` in an English ledger); a column the ledger
    lacks by its label, the whole row as "(the whole row)" — as the report's data-quality section does."""
    headers = set(headers)
    return lambda c: c if c in headers else Msg(PROBLEM_PLACES[c]) if c in PROBLEM_PLACES else column(c)


#: Workbook columns shown in words by a function rather than a :data:`TERMS` table.
_WORDED_COLUMNS: dict[str, Callable[[str], Msg | str]] = {
    "figure": comparison_figure, "where": where, "body": lambda b: term("claims_body", b),
}


def cell_words(language: str) -> Callable[..., Callable[[Any], Any]] | None:
    """How a workbook in ``language`` shows its text cells (see
    :func:`~proposal_stats.reporting.exports.write_workbook`): ``None`` in English (codes and
    messages as in the CSV files), else a function from a column name (and, optionally, the
    table's own way of wording that column) to a function of one cell.

    The cell function translates a message (:class:`~proposal_stats.messages.Msg`: a verdict's
    detail, a problem's or finding's explanation) and shows a code of a coded column
    (:data:`CODED_COLUMNS`; the comparison's ``figure``, a problem's ``column``, a finding's
    ``where``, a claims file's ``body``), and yes/no, in words, as the report's HTML does: ``agrees`` → "一致", ``resolved+in_progress`` →
    "已解决、正在解决", ``member_individual`` → "委员个人". Anything else (the ledger's text, a code no
    table knows) comes back unchanged; for the column ``None`` (a ledger's cells as written), only
    messages are translated.

    Raises:
        UnknownLanguage: ``language`` has no catalog.
    """
    if check_language(language) == SOURCE_LANGUAGE:
        return None
    t = Translator(language)

    def for_column(name: str | None, worded: Callable[[str], Msg | str] | None = None) -> Callable[[Any], Any]:
        kind = CODED_COLUMNS.get(name) if name is not None else None
        worded = worded or (_WORDED_COLUMNS.get(name) if name is not None else None)

        def word(value: Any) -> Any:
            if isinstance(value, Msg):
                return t.message(value)
            if isinstance(value, (bool, np.bool_)):
                return t.value(term("yes_no", str(bool(value))))
            if not isinstance(value, str):
                return value
            shown = cell(value, kind) if kind else worded(value) if worded else value
            return t.value(shown)

        return word

    return for_column
