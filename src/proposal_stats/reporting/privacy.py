"""Proposer names replaced by stable pseudonyms, for reports that will be published.

With ``privacy: {proposer: anonymise}`` in the params file, :func:`anonymise_proposers` replaces
every proposer name the ledger holds — in accepted proposals, rejected rows, problems, and wherever
a name is quoted in another text cell of those (a title that names its proposer) — by a pseudonym:
委员001, 委员002… for CPPCC proposals, 代表001… for NPC suggestions. A cell naming several proposers
(联名: ``张三、李四``) gets one pseudonym per person. Pseudonyms are numbered in the order the
names first appear in the ledger file, so the same ledger always gives the same pseudonyms, and one
person keeps one pseudonym across every table, the HTML and the exports. Names are replaced before
any section or table is made, so nothing downstream ever sees them.
"""

from __future__ import annotations

import dataclasses
import re

import pandas as pd

from ..ledger.model import Ledger, alias_lookup

#: Separators between the proposers of a joint proposal (as for co-handling units).
SEPARATORS = re.compile(r"\s*[、，,；;\n]\s*")
PREFIX = {"cppcc_proposals": "委员", "npc_suggestions": "代表"}


def proposer_names(cell: str) -> list[str]:
    """The names in one proposer cell, in order: ``"张三、李四"`` → ``["张三", "李四"]``."""
    return [n for n in SEPARATORS.split(cell or "") if n.strip()]


def pseudonyms(names_in_order, prefix: str = "委员") -> dict[str, str]:
    """Name → pseudonym (``委员001``…), numbered by first appearance; at least three digits."""
    distinct = list(dict.fromkeys(n.strip() for n in names_in_order if n and n.strip()))
    width = max(3, len(str(len(distinct))))
    return {name: f"{prefix}{i:0{width}d}" for i, name in enumerate(distinct, start=1)}


def anonymise_proposers(ledger: Ledger, params) -> Ledger:
    """The ledger with every proposer name replaced by its pseudonym.

    Args:
        ledger: a loaded ledger (:func:`~proposal_stats.ledger.model.read_ledger`).
        params: the report's params (body → prefix; ``column_aliases`` → which columns of the
            rejected rows are the proposer's).

    Returns:
        A new :class:`Ledger`; counts, rows and every other value unchanged.
    """
    aliases = alias_lookup(params.column_aliases)
    rejected_cols = [c for c in ledger.rejected.columns
                     if aliases.column(re.sub(r" \(\d+\)$", "", str(c))) == "proposer"]
    problem_rows = ledger.problems["column"].isin(rejected_cols) if len(rejected_cols) else pd.Series(False, index=ledger.problems.index)

    # Every name, in the order of the file's lines (accepted and rejected rows alike).
    cells = pd.concat([
        pd.DataFrame({"line": ledger.proposals["source_line"], "cell": ledger.proposals["proposer"]}),
        *[pd.DataFrame({"line": ledger.rejected["source_line"], "cell": ledger.rejected[c]}) for c in rejected_cols],
        pd.DataFrame({"line": ledger.problems.loc[problem_rows, "line"], "cell": ledger.problems.loc[problem_rows, "value"]}),
    ], ignore_index=True).sort_values("line", kind="stable")
    mapping = pseudonyms((n for cell in cells["cell"].astype(str) for n in proposer_names(cell)), PREFIX.get(params.body, "委员"))
    if not mapping:
        return ledger
    # Longest first, so "张三丰" is not replaced as "张三" + "丰".
    pattern = re.compile("|".join(re.escape(n) for n in sorted(mapping, key=len, reverse=True)))

    def scrub(series: pd.Series) -> pd.Series:
        return series.astype("str").str.replace(pattern, lambda m: mapping[m.group()], regex=True)

    proposals = ledger.proposals.assign(proposer=scrub(ledger.proposals["proposer"]), title=scrub(ledger.proposals["title"]))
    text_cols = [c for c in ledger.rejected.columns if c != "source_line"]
    rejected = ledger.rejected.assign(**{c: scrub(ledger.rejected[c]) for c in text_cols})
    set_aside = ledger.set_aside.assign(**{c: scrub(ledger.set_aside[c]) for c in ledger.set_aside.columns if c != "source_line"})
    problems = ledger.problems.assign(value=scrub(ledger.problems["value"]), message=scrub(ledger.problems["message"]))
    return dataclasses.replace(ledger, proposals=proposals, rejected=rejected, set_aside=set_aside, problems=problems)
