"""A params file for a new report (``proposal-stats new``): from a ledger, and optionally last year's file.

Copying last year's params file and changing the year keeps that report's ``published:`` block
and synthetic-data note, so the new report would compare itself with figures about another year
and call its own data synthetic. :func:`new_params` writes a fresh file instead:

* **identity** (title, jurisdiction, body, session, year) from the caller (the command asks for
  what is missing); jurisdiction and body default to the ``--from`` file's;
* **result scheme** from the ``--from`` file, or inferred from the categories the ledger uses
  (:func:`infer_scheme`), and shown to the user, because letters mean different things in
  different places (domain research §1.4) and the printed wording must be checked;
* the ``--from`` file's working settings (reply deadline, units, aliases, privacy, sheet) and its
  language and glyph forms (a Chinese series stays Chinese); when its jurisdiction is taken over,
  so is the jurisdiction's name in other languages (``translations:``);
* ``language:`` always written (``en`` unless ``--from`` says otherwise), so the user sees where to change it;
* **no** ``published:`` block unless a claims file is given, no ``synthetic_fields``, no ``as_of``.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..claims_format import ClaimsError, load_claims
from ..ledger.model import read_ledger
from ..params import ParamsError, ReportParams, ResultScheme, load_report_params, published_identity_warnings
from ..terms import RESOLUTION_STATUSES
from ..yamlfile import read_yaml
from .vocabulary import GENERATED_TEXTS

#: Keys carried over from the ``--from`` params file: how this jurisdiction works, not which report.
CARRIED = ("chinese_glyphs", "reply_deadline", "units", "column_aliases", "unit_aliases", "ledger_sheet", "privacy", "execution_timeout")
LANGUAGE_NOTE = "  # the report's language: en or zh-CN (proposal-stats report --language overrides it)"
IDENTITY = ("title", "jurisdiction", "body", "session", "year")

#: Words of a printed category label → the status they mean (domain research §1.4), checked in order.
LABEL_WORDS: tuple[tuple[str, str], ...] = (
    (r"部分解决", "partly_resolved"),
    (r"(?<!正在)(已经?|基本|得到|已)解决|采纳", "resolved"),
    (r"正在解决|正在办理|已启动|办理中", "in_progress"),  # 正在争取解决 (seeking the means) is not under way
    (r"列入(计划|规划)|计划(逐步)?解决|逐步解决", "planned"),
    (r"暂(时|不)|条件(限制|不具备)|无法解决|不能解决|解决不了|不具备", "not_feasible_now"),
    (r"参考|留作", "for_reference"),
)
#: What a bare letter most often means (a guess to check: a Henan city's C is "planned").
LETTER_GUESS = {"A": "resolved", "B": "planned", "C": "not_feasible_now", "D": "for_reference"}
_LETTER = re.compile(r"^(?:第)?([A-Za-zＡ-Ｚａ-ｚ甲乙丙丁一二三四])(?:类别|类提案|类建议|类)?$")
_LETTER_WORDS = {"甲": "A", "乙": "B", "丙": "C", "丁": "D", "一": "A", "二": "B", "三": "C", "四": "D"}
#: Longest value taken for a printed label (the longest real ones are about 20 characters).
LABEL_MAX = 40


def plausible_label(value: str) -> bool:
    """Whether a category value that is no letter can be a printed label (已解决, 留作参考): Chinese
    words, no markup and nothing Excel would run as a formula (``<script>``, ``=1+1``, ``???``, a
    number or a long remark are not categories: like a stray letter, they are left out and their
    rows reported)."""
    return (bool(re.search(r"[\u4e00-\u9fff]", value)) and len(value) <= LABEL_MAX and not re.search(r"[<>{}\[\]=@\\|]", value)
            and not value.startswith(("+", "-", "\t", "\r")))


@dataclass(frozen=True)
class InferredCategory:
    """One category found in the ledger: the code written to the params file, its label, its
    statuses, the proposals using it, how the value was written, and whether it is a guess."""

    code: str
    label: str
    statuses: tuple[str, ...]
    count: int
    written: tuple[str, ...]
    guessed: bool


def ledger_categories(ledger: Path, sheet: str | None = None) -> Counter:
    """How often each distinct result-category value is written in the ledger's rows (as written,
    stripped; blanks left out): letters read without a scheme, and any other wording."""
    loaded = read_ledger(ledger, None, sheet=sheet)
    values = Counter(v.strip() for v in loaded.proposals["result_category_raw"].astype(str) if v.strip())
    other = loaded.problems[loaded.problems["rule"] == "category_not_in_scheme"]
    values.update(v.strip() for v in other["value"].astype(str) if v.strip())
    return values


def infer_scheme(values: Counter) -> list[InferredCategory]:
    """A result scheme from the category values a ledger uses.

    Letters A-D (``A``, ``a``, ``Ａ``, ``A类``, ``甲``, ``一类``) become codes (another letter is left out:
    more often a typo than a category, its rows are then reported as not in the scheme); their meaning is unknown,
    so the usual one is guessed (A resolved, B planned, C not feasible now, D for reference) and
    marked ``guessed``. Printed labels (``已解决``, ``列入计划解决``) keep their wording as the label; the
    status comes from its words (:data:`LABEL_WORDS`) and they get codes A, B, C… from the most to
    the least resolved. Any other value (:func:`plausible_label` is false: ``<script>``, ``=1+1``)
    is left out like a stray letter.

    Returns:
        The categories, in code order.
    """
    letters: dict[str, list[tuple[str, int]]] = {}
    labels: list[tuple[str, int, tuple[str, ...]]] = []
    for value, n in values.most_common():
        import unicodedata

        m = _LETTER.match(unicodedata.normalize("NFKC", value))
        if m:
            letter = _LETTER_WORDS.get(m.group(1), m.group(1).upper())
            if letter in LETTER_GUESS:  # A-D; another letter (Z) is a typo more often than a category
                letters.setdefault(letter, []).append((value, n))
        elif plausible_label(value):
            statuses = tuple(dict.fromkeys(st for pattern, st in LABEL_WORDS if re.search(pattern, value)))
            labels.append((value, n, statuses))
    out = []
    for letter in sorted(letters):
        written = letters[letter]
        out.append(InferredCategory(letter, f"{letter}类", (LETTER_GUESS.get(letter, "for_reference"),),
                                    sum(n for _, n in written), tuple(v for v, _ in written), True))
    rank = {s: i for i, s in enumerate(RESOLUTION_STATUSES)}
    labels.sort(key=lambda x: (rank[x[2][0]] if x[2] else len(rank), -x[1], x[0]))
    free = [c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in letters]
    for (label, n, statuses), code in zip(labels, free):
        out.append(InferredCategory(code, label, statuses or ("for_reference",), n, (label,), not statuses))
    return out


def with_printed_categories(categories: list[InferredCategory], printed) -> list[InferredCategory]:
    """The inferred categories completed from the published report's claims (``--published``): its
    scheme's label and statuses replace a guess, and a code it prints that the ledger does not use
    (no proposal got a C) is added, so the printed figures can be compared with the ledger's."""
    if printed is None:
        return categories
    entries = {e.code: e for e in printed.scheme}
    labels = {c.code: c.label for c in (printed.results.cats if printed.results else ()) if c.code}
    out = []
    for c in categories:
        e = entries.get(c.code)
        if e is not None and e.statuses and c.guessed:
            c = InferredCategory(c.code, e.label, tuple(e.statuses), c.count, c.written, False)
        out.append(c)
    have = {c.code for c in out}
    for code in [*entries, *labels]:
        if code not in have and (code in LETTER_GUESS or code in entries):
            e = entries.get(code)
            statuses = tuple(e.statuses) if e is not None and e.statuses else (LETTER_GUESS.get(code, "for_reference"),)
            out.append(InferredCategory(code, e.label if e is not None else labels[code], statuses, 0, (), not (e and e.statuses)))
            have.add(code)
    return sorted(out, key=lambda c: c.code)


@dataclass
class NewParams:
    """What :func:`new_params` wrote and found: the file, the scheme (and whether it was inferred),
    the ledger's rows, and warnings for the user."""

    path: Path
    scheme_from: str
    categories: list[InferredCategory]
    params: ReportParams
    rows_read: int = 0
    rows_rejected: int = 0
    problems: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    rows_set_aside: int = 0  # totals and note rows: neither accepted nor rejected
    problem_warnings: int = 0  # ledger warnings (rows kept but flagged: a formula-looking cell, a hidden row …)


def _relative(path: Path, folder: Path) -> str:
    try:
        return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return path.resolve().as_posix()


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def new_params(target: str | Path, ledger: str | Path, identity: dict, from_params: str | Path | None = None,
               published: str | Path | None = None, overwrite: bool = False) -> NewParams:
    """Write a params file for a new report.

    Args:
        target: the params file to write (``params/<report>.yaml``); its stem is the report id.
        ledger: the new report's ledger (written relative to ``target``'s folder).
        identity: ``title``, ``jurisdiction``, ``body``, ``session``, ``year`` (``jurisdiction`` and
            ``body`` may be missing when ``from_params`` gives them).
        from_params: last year's (or a sister report's) params file: its scheme and working settings.
        published: a claims file (the format of ``published:``) holding this report's printed figures.
        overwrite: replace ``target`` if it exists.

    Returns:
        :class:`NewParams`; the file is validated by loading it, and the ledger read with it.

    Raises:
        ParamsError: ``target`` exists, the ledger or a given file is missing, ``from_params``
            cannot be read, identity is incomplete, or the written file does not validate (it is
            then removed).
        LedgerError: the ledger cannot be read at all.
    """
    target, ledger = Path(target), Path(ledger)
    if target.exists() and not overwrite:
        raise ParamsError(f"{target}: already exists (choose a new file name, or --force to replace it)")
    if not ledger.is_file():
        raise ParamsError(f"{ledger}: " + ("is a folder, not a ledger file" if ledger.is_dir() else "ledger file not found"))
    old: dict = {}
    if from_params is not None:
        raw = read_yaml(Path(from_params), ParamsError, "params file")
        if not isinstance(raw, dict):
            raise ParamsError(f"{from_params}: expected a mapping of keys at the top level")
        old = raw
    ident = {k: identity.get(k) if identity.get(k) not in (None, "") else old.get(k) if k in ("jurisdiction", "body") else None
             for k in IDENTITY}
    missing = [k for k, v in ident.items() if v in (None, "")]
    if missing:
        raise ParamsError(f"{target}: give {', '.join('--' + k for k in missing)} (the new report's identity)")

    claims = printed = None
    if published is not None:
        claims = read_yaml(Path(published), ParamsError, "claims file")
        if isinstance(claims, dict) and "result_scheme" in claims:
            raise ParamsError(f"{published}: a params file, not a claims file: --published takes the figures this "
                              "report's government printed, in the claims format (README, Published-report audit)")
        try:
            [printed] = load_claims(Path(published))
        except ValueError as exc:  # ClaimsError, or several reports in one file
            raise ParamsError(str(exc) if isinstance(exc, ClaimsError) else f"{published}: holds several reports; give one") from None

    folder = target.resolve().parent
    data: dict = {**ident, "language": old.get("language") or "en", "ledger": _relative(ledger, folder)}
    if identity.get("jurisdiction") in (None, "") and isinstance(old.get("translations"), dict):
        # last year's jurisdiction, so its name in other languages too (the title and notes are last year's own)
        names = {lang: {"jurisdiction": v["jurisdiction"]} for lang, v in old["translations"].items()
                 if isinstance(v, dict) and v.get("jurisdiction")}
        if names:
            data["translations"] = names
    sheet = old.get("ledger_sheet")
    if "result_scheme" in old:
        try:
            scheme = ResultScheme.model_validate(old["result_scheme"])
        except Exception as exc:
            raise ParamsError(f"{from_params}: key 'result_scheme' is not valid ({exc})") from None
        counts = ledger_categories(ledger, sheet)
        categories = [InferredCategory(c.code, c.label, c.statuses, 0, (), False) for c in scheme.categories]
        data["result_scheme"] = old["result_scheme"]
        scheme_from = f"from {from_params}"
    else:
        counts = ledger_categories(ledger, sheet)
        categories = with_printed_categories(infer_scheme(counts), printed)
        if not categories:
            raise ParamsError(f"{ledger}: no result category is written in the ledger, so no scheme can be inferred; "
                              "give --from a params file with a result_scheme")
        data["result_scheme"] = {
            "id": f"{target.stem}-inferred",
            "source": GENERATED_TEXTS["inferred_scheme"],
            "categories": [{"code": c.code, "label": c.label, "statuses": list(c.statuses)} for c in categories],
        }
        scheme_from = "inferred from the ledger"
    for key in CARRIED:
        if key in old:
            data[key] = old[key]
    notebook = _notebook(folder, from_params, old)
    if notebook is not None:
        data["notebook"] = notebook
    data.setdefault("reply_deadline", {"months_after_assignment": 3, "source": GENERATED_TEXTS["default_deadline"]})
    if published is not None:
        data["published"] = claims
    text = _header(target, from_params, scheme_from) + _dump(data).replace("\nledger: ", LANGUAGE_NOTE + "\nledger: ", 1)
    if scheme_from.startswith("inferred"):
        text = _mark_guesses(text, categories)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    try:
        params = load_report_params(target)
    except ParamsError:
        target.unlink()
        raise
    loaded = read_ledger(params.ledger, params)
    if scheme_from.startswith("from"):
        by_code = Counter(loaded.proposals["result_category"])
        categories = [InferredCategory(c.code, c.label, c.statuses, by_code.get(c.code, 0), (), False) for c in categories]
    result = NewParams(target, scheme_from, categories, params, loaded.rows_read, len(loaded.rejected),
                       Counter(loaded.problems["rule"]), published_identity_warnings(params), len(loaded.set_aside),
                       int((loaded.problems["severity"] == "warning").sum()))
    unknown = loaded.problems[loaded.problems["rule"] == "category_not_in_scheme"]
    if len(unknown):
        values = ", ".join(sorted(set(unknown["value"].astype(str)))[:8])
        result.warnings.append(f"{len(unknown)} ledger row(s) carry a category the scheme does not have ({values}): "
                               "add it to result_scheme or correct the ledger")
    return result


def _notebook(folder: Path, from_params, old: dict) -> str | None:
    """The ``--from`` file's own ``notebook:``, relative to the new file's folder; ``None`` when it
    has none (the project's notebook is then the default)."""
    if not isinstance(old.get("notebook"), str):
        return None
    return _relative(Path(from_params).resolve().parent / old["notebook"], folder)


def _header(target: Path, from_params, scheme_from: str) -> str:
    lines = [
        f"# {target.name}: params file for a new report, written by `proposal-stats new`.",
        f"# Result scheme {scheme_from}." + (" Letters mean different things in different places:" if "inferred" in scheme_from else ""),
    ]
    if "inferred" in scheme_from:
        lines.append("# check each label and its statuses (lines marked CHECK) against the printed report.")
    if from_params:
        lines.append(f"# Working settings (language, deadline, units, aliases, privacy) copied from {Path(from_params).name};")
        lines.append("# its published: block, synthetic_fields and synthetic_note were NOT copied.")
    lines += [
        "# Add `published:` with the figures this report's government printed, to check them against the ledger;",
        "# add `synthetic_fields:` if any ledger column is synthetic. Render: proposal-stats report " + target.as_posix(),
    ]
    return "\n".join(lines) + "\n"


def _mark_guesses(text: str, categories: list[InferredCategory]) -> str:
    """Add ``# CHECK …`` after the lines of an inferred scheme a person must check."""
    by_code = {c.code: c for c in categories}
    out, current = [], None
    for line in text.splitlines():
        m = re.match(r"\s*- code: ['\"]?([^'\"]+?)['\"]?$", line)
        if m:
            current = by_code.get(m.group(1))
        stripped = line.strip()
        if current is not None and stripped.startswith("label:") and current.label == f"{current.code}类":
            line += "  # CHECK: write the category's printed wording"
        elif current is not None and stripped.startswith("statuses:"):
            line += ("  # CHECK: a guess" if current.guessed else "  # from the words of the label; CHECK")
        out.append(line)
    return "\n".join(out) + "\n"
