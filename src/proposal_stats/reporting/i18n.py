"""The reports' languages: gettext catalogs (Babel) and the Jinja2 environment that renders with them.

Every sentence a reader sees is written once, in English, as a message id: in the templates
(``{{ _("Headline figures") }}``), in the chart code (``t(Msg("proposals"))``), and below ``reporting``
as :class:`~proposal_stats.messages.Msg` / :func:`~proposal_stats.messages.N_`. A language other
than English is a catalog, ``locale/<ll_CC>/LC_MESSAGES/messages.po`` beside this module; adding a
language is adding a catalog (``scripts/catalogs.py init LANG``), nothing else.

Catalogs are read from the ``.po`` files themselves and compiled in memory by Babel on first use
(a few milliseconds): no ``.mo`` file is built at install or kept in git, so a fresh clone, an
editable install and a wheel all work with no build step, and a catalog can never be out of date
with its compiled form. ``scripts/catalogs.py check`` (and the test suite) is the compile step's
check: it fails on a fuzzy or untranslated entry and on a placeholder a translation drops.

Language tags are BCP 47 as users write them (``en``, ``zh-CN``); catalog folders use gettext's
``zh_CN``.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..messages import Msg

LOCALE_DIR = Path(__file__).parent / "locale"
TEMPLATE_DIR = Path(__file__).parent / "templates"
DOMAIN = "messages"
#: The language message ids are written in: it needs no catalog.
SOURCE_LANGUAGE = "en"


class UnknownLanguage(ValueError):
    """A language with no catalog; ``str(err)`` names the languages there are."""


def _folder(language: str) -> str:
    return language.replace("-", "_")


def available_languages() -> tuple[str, ...]:
    """``en`` and every language with a catalog, e.g. ``("en", "zh-CN")``."""
    found = sorted(p.parent.parent.name.replace("_", "-") for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (SOURCE_LANGUAGE, *found)


def check_language(language: str) -> str:
    """``language`` as the catalog spells it (tags are case-insensitive and ``_`` is ``-``: ``zh_cn``
    is ``zh-CN``); raise :class:`UnknownLanguage` when there is no catalog for it."""
    known = {tag.lower(): tag for tag in available_languages()}
    found = known.get(str(language).replace("_", "-").lower())
    if found is None:
        raise UnknownLanguage(f"no catalog for language {language!r}; available: {', '.join(available_languages())}")
    return found


def catalog_path(language: str) -> Path:
    """The ``.po`` file of ``language`` (which need not exist)."""
    return LOCALE_DIR / _folder(language) / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of ``language`` (English: no catalog, message ids are English).

    Raises:
        UnknownLanguage: no catalog for ``language``.
    """
    language = check_language(language)
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with catalog_path(language).open("rb") as f:
        catalog = read_po(f, locale=_folder(language), domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)  # a fuzzy (unchecked) translation is never shown
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@dataclass(frozen=True)
class Translator:
    """Translates message ids and :class:`~proposal_stats.messages.Msg` into one language.

    ``t("proposals")`` (a message id), ``t(Msg("%(n)s late replies", n=3))``, ``t.ngettext("%(num)s row", "%(num)s rows", n)``.
    Anything else (data: a unit's name, a number) is returned as it is.
    """

    language: str = SOURCE_LANGUAGE

    @property
    def _catalog(self) -> gettext.NullTranslations:
        return translations(self.language)

    def __call__(self, text: Any) -> Any:
        """A :class:`Msg` or a message id (``str``) in this language; anything else unchanged."""
        if isinstance(text, Msg):
            return self.message(text)
        if isinstance(text, str):
            return self._catalog.gettext(text)
        return text

    def message(self, msg: Msg) -> str:
        """``msg`` in this language. Arguments that are messages are translated too; the others
        (numbers, the ledger's text) are inserted as they are."""
        out = self._catalog.gettext(msg.msgid)
        return out % {k: self.value(v) for k, v in msg.args.items()} if msg.args else out

    def value(self, value: Any) -> Any:
        """A :class:`Msg` translated, a list of them joined with the language's separator; anything
        else (data) unchanged. The templates' ``tr`` filter."""
        if isinstance(value, (list, tuple)):
            return self.join(value)
        return self.message(value) if isinstance(value, Msg) else value

    def gettext(self, text: str) -> str:
        """``text`` (a message id) in this language."""
        return self._catalog.gettext(text)

    def ngettext(self, singular: str, plural: str, count: int, **args: Any) -> str:
        """The plural form for ``count``, formatted (``%(num)s`` is the count)."""
        return self._catalog.ngettext(singular, plural, count) % {"num": count, **{k: self.value(v) for k, v in args.items()}}

    def pgettext(self, context: str, text: str) -> str:
        """``text`` in a context, where one English word has several translations."""
        return self._catalog.pgettext(context, text)

    def join(self, items) -> str:
        """Items (messages translated) joined with the language's list separator ("、" in Chinese)."""
        return self.pgettext("list separator", ", ").join(str(self.value(i)) for i in items)


def code(value: Any) -> Markup:
    """``value`` as escaped ``<code>`` (trusted markup made from untrusted text)."""
    return Markup("<code>%s</code>") % value


@cache
def environment(language: str):
    """The Jinja2 environment of ``language``: templates in ``templates/``, autoescape on (every
    value is escaped unless it is :class:`~markupsafe.Markup`), undefined names are errors
    (``StrictUndefined``), and ``_``/``ngettext``/``pgettext`` wired to the catalog (new-style
    gettext: ``_("%(n)s rows", n=3)``, values escaped, a literal ``%`` written ``%%``)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    t = Translator(check_language(language))
    env.install_gettext_translations(translations(language), newstyle=True)
    # Punctuation that differs by language: "Rule: text" / "规则：文字"; "One. Two." / "一。二。" (a
    # setting, like GNOME's "default:LTR": the translation says "no" where sentences are not spaced).
    spaced = t.pgettext("typography: answer yes or no", "sentences are separated by a space: yes") != "no"
    env.globals.update(language=language, t=t, colon=t.pgettext("label separator", ": "), sp=" " if spaced else "")
    env.filters.update(tr=t.value, join_list=t.join, code=code)
    return env


def render(template: str, language: str, **data: Any) -> str:
    """Render ``templates/<template>`` in ``language`` with ``data``."""
    return environment(language).get_template(template).render(**data)
