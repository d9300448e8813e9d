"""The claims format: the figures a published report printed, as printed.

One YAML file holds one report (a mapping) or several (``reports:`` followed by a list). The same
model is the ``published:`` block of a params file. Every figure keeps its printed wording in
``text``; ``value`` is the number that wording states (``null`` where it was stripped, e.g. "率为%").
See README, "Claims format".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

from pydantic import Field, ValidationError, field_validator

from .yamlfile import Code, Status, StrictModel, read_yaml, validation_message


class ClaimsError(ValueError):
    """A claims file that cannot be used; ``str(err)`` is one line naming the file and the key."""


def states_percentage(text: str) -> bool:
    """Whether ``text`` prints a percentage, or a percent sign whose number was stripped (``率为%``):
    a percent sign in any width (``%``, ``％``, ``﹪``), 百分之, or the word percent."""
    return bool(re.search(r"%|百分之|percent|per cent|pour cent", unicodedata.normalize("NFKC", text or ""), re.IGNORECASE))


def _ascii_number(value):
    """A number typed in full-width forms (``"９３．８"``, ``"１７７"``) read as ASCII (NFKC); others unchanged."""
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


class Source(StrictModel):
    """Where a report was published: title, publisher, address (null if unknown), date, reliability."""

    title: str
    publisher: str = ""
    url: str | None = None
    date: dt.date | None = None
    reliability: str = ""


class Derived(StrictModel):
    """How a printed rate is made: ``of`` (figure names or category codes, summed) over ``over``
    (a figure name, or ``base`` for the result breakdown's base)."""

    of: tuple[str, ...] = Field(min_length=1)
    over: str


class Figure(StrictModel):
    """One printed figure: ``value`` read from ``text`` (the printed wording); ``meaning`` names it in
    the figure vocabulary (:mod:`proposal_stats.published.vocabulary`; blank: read from the wording)."""

    value: Decimal | None = Field(ge=0, description="the number the text states; null where none is printed")
    text: str
    meaning: str = ""
    note: str = ""
    derived: Derived | None = None

    _fold_value = field_validator("value", mode="before")(_ascii_number)


class Category(StrictModel):
    """One class of a breakdown: printed code and label, count, printed share."""

    code: str = ""
    label: str = ""
    count: int | None = Field(default=None, ge=0)
    share_text: str = Field(default="", description="the printed share, e.g. '24.6%'; blank if none")
    text: str = ""

    _fold_count = field_validator("count", mode="before")(_ascii_number)

    @field_validator("share_text")
    @classmethod
    def _a_percentage(cls, text: str) -> str:
        if text.strip() and not states_percentage(text):
            raise ValueError(f"share_text {text!r} prints no percentage (write it as printed, e.g. '24.6%', or leave it blank)")
        return text


class Breakdown(StrictModel):
    """A printed breakdown: the base count and its classes; ``partial`` when only some classes were
    printed, ``overlapping`` when the text says an item may sit in several classes (包括会同办理).
    ``kind`` says what is broken down (``results``, ``topics``, ``proposer_types``, ``handling_systems``,
    ``satisfaction``, ``filing``, …) and ``text`` is the printed passage it comes from."""

    kind: str = ""
    base: int | None = Field(default=None, ge=0)
    partial: bool = Field(default=False, description="only some classes were printed")
    overlapping: bool = Field(default=False, description="an item may be counted in several classes")
    text: str = ""
    cats: tuple[Category, ...]

    _fold_base = field_validator("base", mode="before")(_ascii_number)

    @field_validator("cats", mode="before")
    @classmethod
    def _one_class_per_code(cls, cats):
        # checked on the classes as written, so the other problems of the file are listed with it
        seen: dict[str, int] = {}
        for n, cat in enumerate(cats if isinstance(cats, (list, tuple)) else ()):
            get = cat.get if isinstance(cat, dict) else lambda k, c=cat: getattr(c, k, "")
            key, what = (str(get("code") or "").strip(), "code") if str(get("code") or "").strip() else (str(get("label") or "").strip(), "label")
            if key and key in seen:
                raise ValueError(f"{what} {key!r} is given twice (cats.{seen[key]} and cats.{n}): one class per {what} in a breakdown")
            seen.setdefault(key, n)
        return cats


class Unplaced(StrictModel):
    """A number printed in the text that extraction could not place: kept, never dropped or guessed."""

    value: Decimal | None = None
    unit: str = ""
    text: str
    note: str = ""


class SchemeEntry(StrictModel):
    """A printed result code, its printed label, and the normalised statuses the label covers."""

    code: Code
    label: str
    statuses: tuple[Status, ...] = ()


class Claims(StrictModel):
    """One report's printed figures (the claims format; also a params file's ``published:``)."""

    id: str = ""
    jurisdiction: str = ""
    level: str = ""
    body: str = ""
    report_type: str = ""
    session: str = ""
    year: int | None = None
    source: Source
    scheme: tuple[SchemeEntry, ...] = ()
    figures: dict[str, Figure] = Field(default_factory=dict)
    results: Breakdown | None = None
    topics: Breakdown | None = None
    breakdowns: tuple[Breakdown, ...] = Field(default=(), description="every other printed breakdown")
    unplaced: tuple[Unplaced, ...] = ()

    def all_breakdowns(self) -> list[tuple[str, Breakdown]]:
        """Every breakdown with the name findings use: ``results``, ``topics``, then ``breakdowns.N``
        (or its ``kind`` when that is unique)."""
        out = [(name, b) for name, b in (("results", self.results), ("topics", self.topics)) if b is not None]
        kinds = [b.kind for b in self.breakdowns]
        for n, b in enumerate(self.breakdowns):
            unique = b.kind and kinds.count(b.kind) == 1 and b.kind not in ("results", "topics")
            out.append((b.kind if unique else f"breakdowns.{n}", b))
        return out


def load_claims(path: str | Path) -> list[Claims]:
    """Read a claims file: one report (a mapping) or several (``reports:`` list).

    Raises:
        ClaimsError: unreadable file, invalid YAML, or a report that breaks the format; the message
            is one line naming the file, the report's position and id, and the key.
    """
    path = Path(path)
    raw = read_yaml(path, ClaimsError, "claims file")
    items = raw.get("reports") if isinstance(raw, dict) and "reports" in raw else [raw]
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        raise ClaimsError(f"{path}: expected a report (a mapping) or 'reports:' with a list of them")
    out = []
    for n, item in enumerate(items):
        try:
            out.append(Claims.model_validate(item))
        except ValidationError as exc:
            where = f"reports.{n}." if len(items) > 1 or "reports" in raw else ""
            name = f" ({item.get('id')})" if item.get("id") else ""
            raise ClaimsError(f"{path}{name}: {validation_message(exc, where)}") from None
    return out
