"""Keeping the translation catalogs whole: extract every message, update the catalogs, check them.

Babel does the work; this module only says where the messages are (every ``*.py`` of the package
and every template under ``reporting/templates/``), which names mark them, and what a complete
catalog is. ``scripts/catalogs.py`` runs it from the command line; the test suite runs
:func:`problems` on every shipped catalog, so a sentence added without its translation fails.

Message ids are English. Two conventions meet here: in templates (Jinja2 new-style gettext) every
message is %-formatted, so a literal percent sign is written ``%%``; in Python a :class:`Msg` is
formatted only when it has arguments. Placeholders are always named (``%(n)s``); a message is
flagged ``python-format`` (and its placeholders checked) when it has one.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

from .i18n import DOMAIN, LOCALE_DIR, SOURCE_LANGUAGE, catalog_path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
POT_FILE = LOCALE_DIR / f"{DOMAIN}.pot"
#: Functions whose first argument is a message id (besides Babel's own: _, gettext, ngettext, N_ …).
KEYWORDS = {"Msg": (1,)}
METHOD_MAP = [("reporting/templates/offline_report/**", "ignore"), ("reporting/templates/**.j2", "jinja2"), ("**.py", "python")]
OPTIONS_MAP = {"reporting/templates/**.j2": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true", "trimmed": "false"}}
_PLACEHOLDER = re.compile(r"%\((\w+)\)")
_HEADER = {"project": "proposal_stats", "copyright_holder": "the proposal_stats authors", "msgid_bugs_address": ""}


def extract():
    """Every message of the package, as a Babel ``Catalog`` (the ``.pot`` template's content)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    catalog = Catalog(domain=DOMAIN, fuzzy=False, **_HEADER)
    keywords = {**DEFAULT_KEYWORDS, **KEYWORDS}
    # Babel warns about every f-string among a call's other arguments (Msg("…", fraction=f"{k}/{n}")):
    # those are values, not messages, so the warnings are noise.
    with contextlib.redirect_stderr(io.StringIO()):
        found = list(extract_from_dir(PACKAGE_DIR, METHOD_MAP, OPTIONS_MAP, keywords=keywords, comment_tags=("Translators:",),
                                      strip_comment_tags=True))
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(f"proposal_stats/{filename}", lineno)], auto_comments=comments, context=context)
    return _format_flags(catalog)


def _format_flags(catalog):
    """``python-format`` only on messages with a named placeholder: Babel guesses it from any ``%``
    ("95% limits" looks like ``% li``), and would then check a format that is not one."""
    for message in catalog:
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            message.flags.discard("python-format")
            if any(_PLACEHOLDER.search(i) for i in ids):
                message.flags.add("python-format")
    return catalog


def write_template() -> Path:
    """Extract the messages into ``locale/messages.pot`` (sorted by message id, no line numbers, so
    the file changes only when a message does)."""
    from babel.messages.pofile import write_po

    POT_FILE.parent.mkdir(parents=True, exist_ok=True)
    with POT_FILE.open("wb") as f:
        write_po(f, extract(), width=100, sort_output=True, omit_header=False, include_lineno=False)
    return POT_FILE


def read_catalog(language: str):
    """The ``.po`` catalog of ``language`` as a Babel ``Catalog``."""
    from babel.messages.pofile import read_po

    with catalog_path(language).open("rb") as f:
        return _format_flags(read_po(f, locale=language.replace("-", "_"), domain=DOMAIN))


def languages() -> list[str]:
    """Languages with a catalog (English needs none)."""
    from .i18n import available_languages

    return [lang for lang in available_languages() if lang != SOURCE_LANGUAGE]


def update(language: str | None = None) -> list[Path]:
    """Merge the template into the catalog of ``language`` (default: every catalog): new messages
    are added untranslated, changed ones marked fuzzy, gone ones made obsolete."""
    from babel.messages.pofile import write_po

    template = extract()
    written = []
    for lang in [language] if language else languages():
        catalog = read_catalog(lang)
        catalog.update(template, update_header_comment=False)
        path = catalog_path(lang)
        with path.open("wb") as f:
            write_po(f, catalog, width=100, sort_output=True, include_lineno=False, ignore_obsolete=False)
        written.append(path)
    return written


def init(language: str) -> Path:
    """Start the catalog of a new language from the template (every message untranslated)."""
    from babel.core import Locale
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    path = catalog_path(language)
    if path.exists():
        raise FileExistsError(f"{path} exists: run update instead")
    catalog = Catalog(locale=Locale.parse(language.replace("-", "_")), domain=DOMAIN, **_HEADER)
    catalog.update(extract())
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=100, sort_output=True, include_lineno=False)
    return path


class _AnyArgs(dict):
    def __missing__(self, key):
        return 0


def _formats(text: str) -> bool:
    try:
        text % _AnyArgs()
        return True
    except (ValueError, TypeError, KeyError):
        return False


def problems(language: str) -> Iterator[str]:
    """Every reason the catalog of ``language`` is not fit to ship: a message of the package it
    lacks or leaves untranslated or fuzzy, a translation whose placeholders differ from its message
    id's or that formats where the id does not (or the other way round), and Babel's own checks."""
    catalog = read_catalog(language)
    if catalog.fuzzy:
        yield "the catalog's header is fuzzy (its plural forms would be ignored): review it and remove the fuzzy flag"
    for message in extract():
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        where = message.locations[0][0] if message.locations else "?"
        if found is None:
            yield f"missing: {message.id!r} ({where})"
            continue
        strings = found.string if isinstance(found.string, tuple) else (found.string,)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if not all(strings) or "fuzzy" in found.flags:
            yield f"{'fuzzy' if 'fuzzy' in found.flags else 'untranslated'}: {message.id!r} ({where})"
            continue
        for string in strings:
            if set(_PLACEHOLDER.findall(string)) != set(_PLACEHOLDER.findall(ids[-1])):
                yield f"placeholders differ: {message.id!r} -> {string!r}"
            elif _formats(string) != _formats(ids[-1]):
                yield f"a %% that formats differently: {message.id!r} -> {string!r}"
    for message, errors in catalog.check():
        for error in errors:
            yield f"babel: {message.id!r}: {error}"
