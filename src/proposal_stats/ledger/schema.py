"""Canonical ledger columns, their vocabularies, and the DataFrame schema a loaded ledger obeys.

Terms follow the project glossary (``domain.md`` §2): a *ledger* (台账) has one row per proposal;
the *lead unit* (主办/牵头单位) replies to the proposer, *co-handling units* (协办/会办单位) send
their opinion to the lead unit.
"""

from __future__ import annotations

from typing import Final

from ..terms import (
    HANDLING_SYSTEMS,
    PROPOSER_TYPES,
    RESOLUTION_STATUSES,
    SATISFACTION,
    UNIT_ROLES,
)

#: One row per assignment of a proposal to a handling unit (the data model's second table).
ASSIGNMENT_COLUMNS: Final[tuple[str, ...]] = (
    "proposal_id",
    "handling_unit",
    "unit_role",  # see UNIT_ROLES
    "replied_at",
    "due_at",
    "result_category",
    "satisfaction",
    "f2f_consulted",
    "source_line",
)

#: Columns that describe the proposal itself, so must agree on every row of one proposal.
PROPOSAL_LEVEL: Final[tuple[str, ...]] = ("proposal_id", "title", "proposer", "proposer_type", "topic", "handling_system", "assigned_at")

#: Column added by the loader: 1-based line of the row in the ledger file (header = line 1).
SOURCE_LINE: Final[str] = "source_line"


def validate_model(proposals, assignments) -> None:
    """Check the invariants of the loaded data model with pandera schemas.

    Proposals: unique non-blank ``proposal_id``; text columns ``str``; dates ``datetime64[us]``;
    ``f2f_consulted`` nullable boolean; vocabularies as in this module. Assignments: roles from
    :data:`UNIT_ROLES`, a unit on every row, each ``proposal_id`` present among the proposals.

    Raises:
        pandera.errors.SchemaError: an invariant does not hold. Rows that break the ledger rules are
            rejected before this point, so this signals a bug in the reader, not bad input.
    """
    import pandera.pandas as pa  # here, not at module level: the CLI reads params without pandas

    text = dict(dtype="str", nullable=False)
    date = dict(dtype="datetime64[us]", nullable=True)

    import pandas as pd
    import pyarrow
    import pyarrow.compute as pc

    def one_of(values, blank=True, name="one_of"):
        # Checked over the distinct values against a hash index: the verdict of isin, cheap for a
        # million rows (Series.isin with a million allowed values converts each one in Python).
        allowed = pd.Index(values).append(pd.Index([""] if blank else [], dtype="str")).unique()
        return pa.Check(lambda s: bool((allowed.get_indexer(pd.Index(s.unique())) >= 0).all()), name=name)

    # pandera's unique=True lists every duplicate; is_unique is one hash pass, and a duplicate here
    # is a bug in the reader (the rules reject duplicate ids first).
    unique = pa.Check(lambda s: bool(s.is_unique), name="unique")

    pa.DataFrameSchema(
        {
            "proposal_id": pa.Column(checks=[pa.Check(lambda s: bool((s != "").all()), name="not blank"), unique], **text),
            "title": pa.Column(**text),
            "proposer": pa.Column(**text),
            "proposer_type": pa.Column(checks=one_of(PROPOSER_TYPES), **text),
            "topic": pa.Column(**text),
            "handling_system": pa.Column(checks=one_of(HANDLING_SYSTEMS, blank=False), **text),
            "lead_unit": pa.Column(**text),
            "co_handling_units": pa.Column(**text),
            "assigned_at": pa.Column(**date),
            "due_at": pa.Column(**date),
            "replied_at": pa.Column(**date),
            "result_category": pa.Column(**text),
            "f2f_consulted": pa.Column("boolean", nullable=True),
            "satisfaction": pa.Column(checks=one_of(SATISFACTION), **text),
            "second_replied_at": pa.Column(**date),
            "second_satisfaction": pa.Column(checks=one_of(SATISFACTION), **text),
            "resolution_status": pa.Column(checks=one_of(RESOLUTION_STATUSES), **text),
            SOURCE_LINE: pa.Column("int64"),
        },
        strict=False,
    ).validate(proposals, inplace=True)  # inplace: check without copying a million rows
    known = pyarrow.array(proposals["proposal_id"].array)  # unique: checked just above
    pa.DataFrameSchema(
        {
            # Arrow's hash set (a third of the time of pandas' indexer on a million ids)
            "proposal_id": pa.Column(checks=pa.Check(lambda s: bool(pc.all(pc.is_in(pyarrow.array(s.array), value_set=known), min_count=0).as_py()),
                                                     name="a known proposal"), **text),
            "handling_unit": pa.Column(checks=pa.Check(lambda s: bool((s != "").all()), name="not blank"), **text),
            "unit_role": pa.Column(checks=one_of(UNIT_ROLES, blank=False), **text),
            "replied_at": pa.Column(**date),
            "due_at": pa.Column(**date),
        },
        strict=False,
    ).validate(assignments, inplace=True)
