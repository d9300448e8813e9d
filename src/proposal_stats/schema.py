"""Canonical ledger columns, their vocabularies, and the DataFrame schema a loaded ledger obeys.

Terms follow the project glossary (``domain.md`` §2): a *ledger* (台账) has one row per proposal;
the *lead unit* (主办/牵头单位) replies to the proposer, *co-handling units* (协办/会办单位) send
their opinion to the lead unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import pandera.pandas as pa

#: Columns of a ledger file, in the order the README documents them.
LEDGER_COLUMNS: Final[tuple[str, ...]] = (
    "proposal_id",  # 提案号, kept as text: "007" stays "007"
    "title",  # 案由 / 标题
    "proposer",  # 提案者 (first proposer, or the collective body)
    "proposer_type",  # see PROPOSER_TYPES
    "topic",  # 类别 (topic class as the jurisdiction uses it)
    "handling_system",  # see HANDLING_SYSTEMS
    "lead_unit",  # 主办单位
    "co_handling_units",  # 协办单位, several separated by ";"
    "assigned_at",  # 交办日期, ISO date
    "due_at",  # 办理时限; blank = computed from the params file's reply-deadline rule
    "replied_at",  # 答复日期; blank = not replied
    "result_category",  # 类别标注 as printed on the reply, e.g. "A"
    "f2f_consulted",  # 是否面商: true / false / blank
    "satisfaction",  # see SATISFACTION
)

#: Columns a ledger file must have; the others may be absent (they are then blank).
REQUIRED_COLUMNS: Final[tuple[str, ...]] = (
    "proposal_id",
    "handling_system",
    "lead_unit",
    "replied_at",
    "result_category",
    "f2f_consulted",
)

#: Who submitted the proposal (glossary: ``proposer_type``).
PROPOSER_TYPES: Final[frozenset[str]] = frozenset(
    {
        "member_individual",
        "member_joint",
        "party",
        "peoples_org",
        "sector",
        "special_committee",
        "member_group",
    }
)

#: Which system handles the proposal. Government-system proposals are the ones an
#: annual government handling report (政府系统办理) counts.
HANDLING_SYSTEMS: Final[frozenset[str]] = frozenset(
    {"government", "party", "npc", "cppcc", "judicial", "peoples_org", "other"}
)

#: Proposer evaluation of the reply (办理情况征询意见表). ``no_response`` = form not returned.
SATISFACTION: Final[tuple[str, ...]] = (
    "satisfied",
    "basically_satisfied",
    "dissatisfied",
    "no_response",
)

#: Normalised resolution statuses a printed result category maps to (``domain.md`` §1.4).
RESOLUTION_STATUSES: Final[tuple[str, ...]] = (
    "resolved",
    "partly_resolved",
    "in_progress",
    "planned",
    "not_feasible_now",
    "for_reference",
)

#: Column added by the loader: 1-based line of the row in the ledger file (header = line 1).
SOURCE_LINE: Final[str] = "source_line"


def accepted_ledger_schema(category_codes: set[str]) -> pa.DataFrameSchema:
    """Schema every accepted ledger row satisfies after parsing.

    Args:
        category_codes: the printed codes of the params file's result scheme.

    Returns:
        A pandera schema over the parsed ledger: text columns as ``str`` (blank = ``""``), dates as
        ``datetime64``, ``f2f_consulted`` as nullable ``boolean``. Checks run row-wise, so a failure
        names the offending row (see :func:`proposal_stats.ledger.read_ledger`).
    """
    import pandera.pandas as pa  # here, not at module level: the CLI reads params without pandas

    text = dict(dtype="str", nullable=False, coerce=False)
    date = pa.Column("datetime64[us]", nullable=True)

    def one_of(values, allow_blank=True):
        allowed = sorted(set(values) | ({""} if allow_blank else set()))
        return pa.Check.isin(allowed, error=f"must be one of {', '.join(a or '(blank)' for a in allowed)}")

    return pa.DataFrameSchema(
        {
            "proposal_id": pa.Column(
                checks=[pa.Check.str_length(min_value=1, error="must not be blank")],
                unique=True,
                report_duplicates="all",
                **text,
            ),
            "title": pa.Column(**text),
            "proposer": pa.Column(**text),
            "proposer_type": pa.Column(checks=one_of(PROPOSER_TYPES), **text),
            "topic": pa.Column(**text),
            "handling_system": pa.Column(checks=one_of(HANDLING_SYSTEMS, allow_blank=False), **text),
            "lead_unit": pa.Column(**text),
            "co_handling_units": pa.Column(**text),
            "assigned_at": date,
            "due_at": date,
            "replied_at": date,
            "result_category": pa.Column(checks=one_of(category_codes), **text),
            "f2f_consulted": pa.Column("boolean", nullable=True),
            "satisfaction": pa.Column(checks=one_of(SATISFACTION), **text),
        },
        checks=[
            pa.Check(
                lambda df: (df["handling_system"] != "government") | (df["lead_unit"] != ""),
                element_wise=False,
                name="government_proposal_has_lead_unit",
                error="a government-system proposal needs a lead unit",
            ),
            pa.Check(
                lambda df: df["replied_at"].isna() | df["assigned_at"].isna() | (df["replied_at"] >= df["assigned_at"]),
                element_wise=False,
                name="reply_not_before_assignment",
                error="the reply date is before the assignment date",
            ),
        ],
        strict=False,
        coerce=False,
    )
