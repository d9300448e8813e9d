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


def _loc(err: dict) -> str:
    parts = [str(p) for p in err["loc"]]
    while parts and parts[-1] in _UNION_BRANCHES:
        parts.pop()
    return ".".join(parts) or "(top level)"


def _short(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def validation_message(exc: ValidationError, prefix: str = "") -> str:
    """One line for a pydantic error: the first problem (an unknown key first, since a misspelt key
    also makes the right one "missing"), and how many more there are."""
    errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
    err = errors[0]
    where = prefix + _loc(err)
    if err["type"] == "extra_forbidden":
        msg = f"unknown key '{where}'"
    elif err["type"] == "missing":
        msg = f"missing key '{where}'"
    elif where == "report_id" and err["type"] == "string_pattern_mismatch":
        msg = (
            f"report_id {err.get('input')!r} (the file name, unless report_id is set) may hold only "
            "lowercase letters, digits, '.', '_' and '-'"
        )
    else:
        msg = f"key '{where}': {err['msg']} (got {_short(err.get('input'))})"
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    return msg + more
