"""Reading YAML input files strictly, with one-line errors (shared by params and claims files)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from .terms import RESOLUTION_STATUSES

#: A printed code: text, stripped, not blank ("A", "甲"; quote it in YAML).
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
#: A normalised resolution status (``domain.md`` §1.4).
Status = Literal[RESOLUTION_STATUSES]  # type: ignore[valid-type]


class StrictModel(BaseModel):
    """Base of every input model: an unknown key is an error, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)

# Names pydantic adds to an error's location for the branch of a union; not keys the user wrote.
_UNION_BRANCHES = {"decimal", "int", "none", "str", "float", "date", "bool", "[key]", ""}


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key given twice in one mapping (plain YAML keeps the last)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"key '{key}' is given twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: Path, error: type[Exception], what: str):
    """The YAML document in ``path``; any problem raises ``error`` with a one-line message.

    Raises:
        error: missing or unreadable file, invalid YAML (with its line), a key given twice, or an
            impossible value such as ``2022-02-30``.
    """
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader)
    except FileNotFoundError:
        raise error(f"{path}: {what} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read {what} ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise error(f"{path}: not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    except ValueError as exc:  # YAML that parses but holds an impossible value, e.g. 2022-02-30
        raise error(f"{path}: not valid YAML: {exc}") from None


def _loc(err: dict, branched: set[tuple] = frozenset()) -> str:
    """The key an error is about. A union's branch name ends the location only when several
    branches failed at that key (``branched``): a key of its own called ``date`` stays."""
    parts = [str(p) for p in err["loc"]]
    while parts and parts[-1] in _UNION_BRANCHES and tuple(parts[:-1]) in branched:
        parts.pop()
    return ".".join(parts) or "(top level)"


def _branched(errors: list[dict]) -> set[tuple]:
    """Locations where more than one union branch failed (the same key, different last names)."""
    seen: dict[tuple, set] = {}
    for err in errors:
        parts = tuple(str(p) for p in err["loc"])
        if parts and parts[-1] in _UNION_BRANCHES:
            seen.setdefault(parts[:-1], set()).add(parts[-1])
    return {k for k, v in seen.items() if len(v) > 1}


def _short(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def validation_problems(exc: ValidationError, prefix: str = "", known: dict[str, list[str]] | None = None) -> list[str]:
    """Every problem of a pydantic error, one short sentence each naming the key, unknown keys first
    (a misspelt key also makes the right one "missing"; the unknown one is the cause).

    Args:
        exc: the validation error.
        prefix: put before each key (``"reports.2."``).
        known: parent key (``""`` for the top level) → the keys allowed there, to suggest the
            nearest one for an unknown key ("did you mean 'jurisdiction'?").
    """
    out: list[str] = []
    meant: set[str] = set()  # keys a misspelt key was suggested for: their "missing" is the same mistake
    branched = _branched(exc.errors())
    for err in sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden"):
        where = prefix + _loc(err, branched)
        if err["type"] == "extra_forbidden":
            close = _suggestion(err, known)
            msg = f"unknown key '{where}'" + (f" (did you mean '{close}'?)" if close else "")
            if close:
                meant.add(".".join([*where.split(".")[:-1], close]))
        elif err["type"] == "missing":
            if where in meant:
                continue
            msg = f"missing key '{where}'"
        elif where == "report_id" and err["type"] == "string_pattern_mismatch":
            msg = (
                f"report_id {err.get('input')!r} (the file name, unless report_id is set) may hold only "
                "lowercase letters, digits, '.', '_' and '-'"
            )
        else:
            msg = f"key '{where}': {err['msg'].removeprefix('Value error, ')} (got {_short(err.get('input'))})"
        if msg not in out:  # a union reports one problem once per branch
            out.append(msg)
    return out


def _suggestion(err: dict, known: dict[str, list[str]] | None) -> str:
    """The allowed key nearest a misspelt one, or ``""``."""
    if not known:
        return ""
    import difflib

    parts = [str(p) for p in err["loc"]]
    parent = ".".join(p for p in parts[:-1] if not p.isdigit())
    close = difflib.get_close_matches(parts[-1], known.get(parent, []), n=1, cutoff=0.75)
    return close[0] if close else ""


def problems_message(path, problems: list[str]) -> str:
    """``path: problem`` for one problem; for several, a first line counting them and one indented
    line per problem, so every mistake is fixed in one go."""
    if len(problems) == 1:
        return f"{path}: {problems[0]}"
    return f"{path}: {len(problems)} problems:\n" + "\n".join(f"  - {p}" for p in problems)


def validation_message(exc: ValidationError, prefix: str = "") -> str:
    """Every problem of a pydantic error (see :func:`validation_problems`): one line for one
    problem, else one line each after a count."""
    problems = validation_problems(exc, prefix)
    return problems[0] if len(problems) == 1 else f"{len(problems)} problems:\n" + "\n".join(f"  - {p}" for p in problems)
