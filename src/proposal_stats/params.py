"""The parameter file: the one thing a user edits to get another report.

A params file is YAML. Relative paths in it (``ledger``, ``output_dir``, ``notebook``) are resolved
against the folder that holds the params file, so a project can be moved or cloned anywhere.
:func:`load_params` validates it with pydantic (``extra="forbid"``: an unknown or misspelt key is an
error) and raises :class:`ParamsError` naming the file and listing every problem, one line each.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Collection
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .claims_format import Claims
from .messages import Msg
from .terms import LEDGER_COLUMNS, place_names, short_place_form
from .yamlfile import Code, Status, StrictModel, problems_message, read_yaml, validation_problems


class ParamsError(ValueError):
    """A params file that cannot be used; ``str(err)`` names the file and each problem's key: one
    line for one problem, else a line counting them and one line per problem."""


class ResultCategory(StrictModel):
    """One printed result category: the code on the reply, its printed label, what it means."""

    code: Code
    label: str = Field(description="the label as the jurisdiction prints it")
    statuses: tuple[Status, ...] = Field(
        min_length=1,
        description="normalised statuses the printed label covers, primary first; "
        "an 'A' that reads 'solved or being solved' is [resolved, in_progress]",
    )


class ResultScheme(StrictModel):
    """A jurisdiction's result-category scheme (类别标注), see ``domain.md`` §1.4."""

    id: Code
    source: str = Field(description="where the scheme's wording is printed")
    categories: tuple[ResultCategory, ...] = Field(min_length=1)

    @field_validator("categories")
    @classmethod
    def _unique_codes(cls, cats: tuple[ResultCategory, ...]) -> tuple[ResultCategory, ...]:
        codes = [c.code for c in cats]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"duplicate category code(s): {', '.join(dupes)}")
        return cats

    @property
    def codes(self) -> list[str]:
        """The printed codes, in the scheme's order (the first is "A")."""
        return [c.code for c in self.categories]


class ReplyDeadline(StrictModel):
    """When a reply is due: N calendar months after assignment, or a fixed calendar date.

    Sources: Deputies Law as applied locally, 3 months (6 for complex items); Sichuan 2024,
    5 months for CPPCC session proposals; many cities fix a date ("6月30日前答复完毕"). See
    ``domain.md`` §1.3.
    """

    months_after_assignment: int | None = Field(default=None, ge=1, le=12)
    fixed_date: dt.date | None = None
    extension_max_months: int | None = Field(
        default=None, ge=1, le=12,
        description="approved extensions: a due date the ledger gives is honoured up to this many months after assignment",
    )
    source: str = ""

    @model_validator(mode="after")
    def _exactly_one(self) -> "ReplyDeadline":
        if (self.months_after_assignment is None) == (self.fixed_date is None):
            raise ValueError("give exactly one of months_after_assignment or fixed_date")
        return self

    def describe(self) -> Msg:
        """The rule in words, for the report's methods section (a :class:`~proposal_stats.messages.Msg`)."""
        if self.fixed_date is not None:
            rule = Msg("replies due by %(date)s", date=self.fixed_date.isoformat())
        else:
            rule = Msg("replies due %(months)s calendar months after assignment", months=self.months_after_assignment)
        if self.extension_max_months:
            return Msg("%(rule)s; approved extensions up to %(months)s months after assignment", rule=rule, months=self.extension_max_months)
        return rule


class UnitSettings(StrictModel):
    """How handling units are compared (see :mod:`proposal_stats.stats.units`)."""

    min_n: int = Field(default=5, ge=1, description="units replying to fewer proposals get no funnel verdict")
    benchmark_a_share: float | None = Field(default=None, gt=0, lt=100, description="target A share in percent; default the pooled share")
    benchmark_on_time: float | None = Field(default=None, gt=0, le=100, description="target on-time rate in percent; default the pooled rate")
    overdispersion: Literal["auto", "on", "off"] = Field(
        default="auto", description="widen the limits for over-dispersion: auto = when τ² > 0 and 3 or more units fall outside 99.8%"
    )


class PrivacySettings(StrictModel):
    """What a report may show of the people in the ledger (see :mod:`proposal_stats.reporting.privacy`)."""

    proposer: Literal["keep", "anonymise"] = Field(
        default="keep", description="anonymise: proposer names become stable pseudonyms (委员001…) in the HTML and every export"
    )

    @field_validator("proposer", mode="before")
    @classmethod
    def _either_spelling(cls, value):
        return "anonymise" if value == "anonymize" else value


# The claims format is also the params file's `published:` block.
Published = Claims

#: A language tag as users write it (BCP 47): ``en``, ``zh-CN``. Whether a catalog exists for it is
#: checked when the report is rendered (proposal_stats.reporting.i18n).
def _language_tag(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", value):
        raise ValueError(f"{value!r} is not a language tag (such as en or zh-CN)")
    return value


LanguageTag = Annotated[str, AfterValidator(_language_tag)]


def _report_id(value: str) -> str:
    if not re.fullmatch(r"[^\W_][\w.-]*", value) or value != value.lower():
        raise ValueError("not a report id")  # yamlfile.validation_problems says what one is
    return value


#: A report's id (it names the output folder): lower-case letters (Chinese too), digits, '.', '_'
#: and '-', beginning with a letter or digit.
ReportId = Annotated[str, AfterValidator(_report_id)]


def default_report_id(stem: str) -> str:
    """The report id a params file's name gives when it sets no ``report_id``: lower case, every
    run of other characters (spaces, brackets) made one ``-``, Chinese kept — ``楚雄 2023`` →
    ``楚雄-2023``, ``Chuxiong City 2022`` → ``chuxiong-city-2022`` (``""`` when nothing is left)."""
    import unicodedata

    return re.sub(r"[^\w.-]+", "-", unicodedata.normalize("NFKC", stem).lower()).strip("-._")

class Translations(StrictModel):
    """The params file's own text in another language (``translations: {zh-CN: {...}}``): what a
    report in that language shows instead of ``title``, ``jurisdiction`` and ``synthetic_note``."""

    title: str | None = None
    jurisdiction: str | None = None
    synthetic_note: str | None = None


#: Regional forms Chinese characters are drawn in (the font face): mainland simplified (SC),
#: traditional as in Taiwan (TC), or as in Hong Kong (HK).
Glyphs = Literal["simplified", "traditional", "hong_kong"]


class ReportParams(StrictModel):
    """A validated params file. Paths are absolute after :func:`load_params`."""

    report_id: ReportId
    title: str
    language: LanguageTag = Field(default="en", description="the report's language: en or zh-CN (any language with a catalog)")
    chinese_glyphs: Glyphs | None = Field(
        default=None,
        description="the regional forms Chinese text is drawn in; default: traditional for zh-TW, "
        "hong_kong for zh-HK, simplified otherwise",
    )
    jurisdiction: str
    body: Literal["cppcc_proposals", "npc_suggestions"]
    session: str
    year: int = Field(ge=1949, le=2100)
    ledger: Path
    synthetic_fields: tuple[str, ...] = Field(
        default=(),
        description="ledger columns whose per-row values are synthetic; non-empty puts a banner on the report",
    )
    synthetic_note: str = Field(default="", description="how the synthetic values were made, shown in the banner")
    translations: dict[LanguageTag, Translations] = Field(
        default_factory=dict, description="title, jurisdiction and synthetic_note as a report in another language shows them"
    )
    ledger_sheet: str | None = Field(default=None, description="XLSX sheet to read (default: the first)")
    column_aliases: dict[str, list[str]] = Field(
        default_factory=dict, description="more header names per canonical column, added to the shipped table"
    )
    unit_aliases: dict[str, list[str]] = Field(
        default_factory=dict, description="canonical unit name → other ways the ledger writes it"
    )
    as_of: dt.date | None = Field(default=None, description="dates after this get a warning (default: today)")
    result_scheme: ResultScheme
    reply_deadline: ReplyDeadline
    output_dir: Path
    notebook: Path
    execution_timeout: int = Field(default=600, ge=10, description="seconds per notebook cell")
    published: Published | None = None
    units: UnitSettings = Field(default_factory=UnitSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    params_file: Path = Field(description="set by load_params; do not write it in the file")

    @field_validator("column_aliases")
    @classmethod
    def _known_alias_targets(cls, aliases: dict[str, list[str]]) -> dict[str, list[str]]:
        known = set(LEDGER_COLUMNS) | {"handling_unit", "unit_role"}
        unknown = [k for k in aliases if k not in known]
        if unknown:
            raise ValueError(f"not ledger column(s): {', '.join(unknown)}")
        return aliases

    @field_validator("synthetic_fields")
    @classmethod
    def _known_columns(cls, fields: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [f for f in fields if f not in LEDGER_COLUMNS]
        if unknown:
            raise ValueError(f"not ledger column(s): {', '.join(unknown)}")
        return fields

    @property
    def inputs(self) -> tuple[Path, ...]:
        """Files the render reads (an output folder must never contain them)."""
        return (self.params_file, self.notebook, self.ledger)

    def text(self, key: str, language: str) -> str:
        """``title``, ``jurisdiction`` or ``synthetic_note`` as a report in ``language`` shows it:
        its ``translations`` entry for the language (or the language's base, ``zh`` for ``zh-CN``),
        else the text as written."""
        return _translated(self, key, language)

    @property
    def body_label(self) -> str:
        """The body in English with its Chinese name (reports show it translated, see reporting.vocabulary)."""
        return {"cppcc_proposals": "CPPCC proposals (政协提案)", "npc_suggestions": "NPC deputies' suggestions (人大代表建议)"}[
            self.body
        ]

    def glyphs(self, language: str | None = None) -> str:
        """The regional forms of Chinese characters for a report in ``language`` (default: the
        params file's): ``chinese_glyphs`` if set, else from the language tag."""
        if self.chinese_glyphs is not None:
            return self.chinese_glyphs
        return default_glyphs(language or self.language)


def _translated(params, key: str, language: str) -> str:
    for tag in (language, language.split("-")[0]):
        entry = params.translations.get(tag)
        if entry is not None and getattr(entry, key, None):
            return getattr(entry, key)
    return getattr(params, key)


def default_glyphs(language: str) -> str:
    """``traditional`` for zh-TW/zh-Hant, ``hong_kong`` for zh-HK/zh-MO, else ``simplified``."""
    parts = language.split("-")
    if parts[0] == "zh" and any(p in ("HK", "MO") for p in parts[1:]):
        return "hong_kong"
    if parts[0] == "zh" and any(p in ("TW", "Hant") for p in parts[1:]):
        return "traditional"
    return "simplified"


class AuditReportParams(StrictModel):
    """A params file for the published-report audit (``kind: published_audit``)."""

    kind: Literal["published_audit"]
    report_id: ReportId
    title: str
    language: LanguageTag = Field(default="en", description="the report's language: en or zh-CN (any language with a catalog)")
    chinese_glyphs: Glyphs | None = None
    translations: dict[LanguageTag, Translations] = Field(default_factory=dict, description="the title as a report in another language shows it")
    claims: Path = Field(description="a claims file, or a folder of them (every *.yaml in it)")
    output_dir: Path
    notebook: Path
    execution_timeout: int = Field(default=600, ge=10, description="seconds per notebook cell")
    params_file: Path

    @property
    def inputs(self) -> tuple[Path, ...]:
        return (self.params_file, self.notebook, self.claims)

    def text(self, key: str, language: str) -> str:
        """See :meth:`ReportParams.text`."""
        return _translated(self, key, language)

    def glyphs(self, language: str | None = None) -> str:
        """See :meth:`ReportParams.glyphs`."""
        return self.chinese_glyphs or default_glyphs(language or self.language)


def load_params(path: str | Path, languages: Collection[str] | None = None) -> ReportParams | AuditReportParams:
    """Read and validate a params file: an annual report's (:class:`ReportParams`) or, with
    ``kind: published_audit``, the published-report audit's (:class:`AuditReportParams`).

    Args:
        languages: the languages reports can be made in (the renderer's catalogs): a ``language:``
            not among them is one of the problems listed (see :func:`load_report_params`).
    """
    path = Path(path).resolve()
    raw = read_yaml(path, ParamsError, "params file")
    if isinstance(raw, dict) and raw.get("kind") == "published_audit":
        data = _with_paths(path, raw, "published_audit.ipynb", ("claims", "output_dir", "notebook"))
        problems: list[str] = []
        params = None
        try:
            params = AuditReportParams.model_validate(data)
        except ValidationError as exc:
            problems += validation_problems(exc, known=_known_keys(AuditReportParams))
        for key in ("claims", "notebook"):
            value = data.get(key)
            if isinstance(value, Path) and not value.exists():
                problems.append(f"key '{key}': not found: {value}")
        problems += _language_problems(data, languages)
        if problems:
            raise ParamsError(problems_message(path, problems))
        return params
    return load_report_params(path, languages)


def _language_problems(data: dict, languages: Collection[str] | None) -> list[str]:
    """``language:`` a report cannot be made in (checked with the other keys, so every mistake of a
    file is listed at once)."""
    language = data.get("language", "en")
    if languages is None or not isinstance(language, str):
        return []
    known = {lang.lower().replace("_", "-") for lang in languages}
    if language.lower().replace("_", "-") in known:
        return []
    return [f"key 'language': no catalog for language {language!r}; available: {', '.join(languages)}"]


def default_notebook(name: str) -> Path:
    """The project's notebook ``name`` (``annual_report.ipynb``, ``published_audit.ipynb``): from the
    project's ``notebooks/`` folder in a clone (an editable install), else from the copy a wheel
    installs under ``<prefix>/share/proposal-stats/notebooks/``. Never relative to a params file, so a
    params file works from any folder."""
    project = Path(__file__).resolve().parents[2] / "notebooks" / name
    if project.is_file():
        return project
    return Path(sys.prefix) / "share" / "proposal-stats" / "notebooks" / name


def _with_paths(path: Path, raw: dict, notebook: str, keys: tuple[str, ...]) -> dict:
    if "params_file" in raw:
        raise ParamsError(f"{path}: key 'params_file' is set by the tool; remove it")
    data = dict(raw)
    data.setdefault("report_id", default_report_id(path.stem) or path.stem)
    data.setdefault("output_dir", f"../outputs/{data['report_id']}")
    if "notebook" not in data:
        data["notebook"] = default_notebook(notebook)
    for key in keys:
        if isinstance(data.get(key), str):
            data[key] = (path.parent / data[key]).resolve()
    data["params_file"] = path
    return data


def load_report_params(path: str | Path, languages: Collection[str] | None = None) -> ReportParams:
    """Read and validate a params file.

    Args:
        path: a YAML params file.
        languages: the languages a report can be made in (the renderer passes its catalogs'); a
            ``language:`` not among them is a problem like any other. ``None``: any language tag.

    Returns:
        ReportParams with ``ledger``, ``output_dir`` and ``notebook`` made absolute (relative paths
        are taken from the params file's folder). ``report_id`` defaults to the file name's stem
        made an id (:func:`default_report_id`: ``楚雄 2023.yaml`` → ``楚雄-2023``), ``output_dir`` to
        ``../outputs/<report_id>``, ``notebook`` to the project's ``annual_report.ipynb``
        (:func:`default_notebook`).

    Raises:
        ParamsError: the file is missing or not YAML, a key is unknown or missing, a value has the
            wrong type, the language has no catalog, the ledger file does not exist, or a published
            category is not in the scheme. The message names the file and lists every problem
            found, one line each (one line in all when there is one).
    """
    path = Path(path).resolve()
    raw = read_yaml(path, ParamsError, "params file")
    if not isinstance(raw, dict):
        raise ParamsError(f"{path}: expected a mapping of keys at the top level")
    data = _with_paths(path, raw, "annual_report.ipynb", ("ledger", "output_dir", "notebook"))
    problems: list[str] = []
    params = None
    try:
        params = ReportParams.model_validate(data)
    except ValidationError as exc:
        problems += validation_problems(exc, known=_known_keys(ReportParams))
    # Files are checked even when other keys are wrong, so one run lists every mistake.
    for key in ("ledger", "notebook"):
        value = data.get(key)
        if isinstance(value, Path) and not value.is_file():
            problems.append(f"key '{key}': " + ("is a folder, not a file" if value.is_dir() else
                                                "not a regular file (a device or a named pipe)" if value.exists() else "file not found")
                            + f": {value}")
    problems += _language_problems(data, languages)
    # From the file as written, so it is listed even when other keys are wrong.
    codes = [c.get("code") for c in _dicts(_dig(data, "result_scheme", "categories"))]
    unknown = [str(c["code"]) for c in _dicts(_dig(data, "published", "results", "cats")) if c.get("code") and str(c["code"]) not in codes]
    if codes and all(isinstance(c, str) for c in codes) and unknown:  # (a scheme code that is no text is its own problem)
        problems.append(f"key 'published.results.cats': code(s) {', '.join(unknown)} not in result_scheme")
    if problems:
        raise ParamsError(problems_message(path, problems))
    return params


def _dig(data, *keys):
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _dicts(items) -> list[dict]:
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _known_keys(model, parent: str = "") -> dict[str, list[str]]:
    """Parent key → the keys a model allows there (for "did you mean" on a misspelt key)."""
    out = {parent: [k for k in model.model_fields if k != "params_file"]}
    for name, info in model.model_fields.items():
        ann = info.annotation
        for candidate in getattr(ann, "__args__", ()) or (ann,):
            if isinstance(candidate, type) and issubclass(candidate, StrictModel):
                out.update(_known_keys(candidate, f"{parent}.{name}" if parent else name))
    return out


def published_identity_warnings(params: ReportParams) -> list[Msg]:
    """Why the ``published:`` block may be another report's figures (empty when it looks right).

    A params file copied from last year's (or another place's) keeps that report's ``published:``
    block, and the new report would then mark its own figures "differs" against figures that
    were never about them. Checked, each only when the block says it:

    * **year**: the block's ``year`` (a published report's year: the session's year or the next,
      when the report is given) or, without it, the year of ``source.date``, must be the report's
      ``year`` or the year after;
    * **jurisdiction**: the block's ``jurisdiction`` must name the same place (楚雄彝族自治州 and
      楚雄州 are one place); without it, the source's publisher or title must name the report's place;
    * **session**: the block's ``session`` (or, without it, the session its source's title names:
      ``十届一次会议``) must be the report's.

    Returns:
        One sentence per mismatch, for the report's banner and the command line.
    """
    pub = params.published
    if pub is None:
        return []
    out = []
    year = pub.year if pub.year is not None else (pub.source.date.year if pub.source.date else None)
    if year is not None and year not in (params.year, params.year + 1):
        said = Msg("year %(year)s", year=pub.year) if pub.year is not None else Msg("dated %(date)s", date=pub.source.date.isoformat())
        out.append(Msg("the published figures are %(said)s, but this report is on the %(year)s session "
                       "(a report on it is given in %(year)s or %(next)s)", said=said, year=params.year, next=params.year + 1))
    ours = place_names(params.jurisdiction)
    if ours:
        if pub.jurisdiction and place_names(pub.jurisdiction):
            theirs = set(place_names(pub.jurisdiction))
            if not theirs & set(ours):
                out.append(Msg("the published figures are for %(theirs)s, but this report is for %(ours)s",
                               theirs=pub.jurisdiction, ours=params.jurisdiction))
        elif not pub.jurisdiction:
            source = f"{pub.source.publisher} {pub.source.title}"
            if not any(name in source or name in short_place_form(source) for name in ours):
                out.append(Msg("the published figures' source (%(source)s) does not name %(place)s, the place this report is for",
                               source=(pub.source.publisher or pub.source.title).strip(), place=ours[-1]))
    if pub.session and params.session and "".join(pub.session.split()) != "".join(params.session.split()):
        out.append(Msg("the published figures are on %(theirs)s, but this report is on %(ours)s", theirs=pub.session, ours=params.session))
    elif not pub.session:  # the source's title usually names the session: 关于市政协十届一次会议提案办理…
        theirs, ours_session = _session_core(pub.source.title), _session_core(params.session)
        if theirs and ours_session and theirs != ours_session:
            out.append(Msg("the published figures' source (%(source)s) is on the %(theirs)s, but this report is on the %(ours)s",
                           source=pub.source.title, theirs=theirs, ours=ours_session))
    return out


def _session_core(text: str) -> str:
    """The session a text names, as ``十届一次会议`` (``市政协十届一次会议`` → ``十届一次会议``;
    ``政协第十四届全国委员会第三次会议`` → ``十四届三次会议``), or ``""``."""
    import re

    found = re.search(r"([一二三四五六七八九十百\d]+)届[^\s，,。]{0,12}?第?([一二三四五六七八九十\d]+)次会议", text or "")
    return f"{found.group(1)}届{found.group(2)}次会议" if found else ""
