"""Sentences for people, written once in English and shown in the report's language.

Code below ``reporting`` (the ledger reader, the published-report audit, the statistics) writes the
sentences a reader sees: a rejected row's reason, an audit finding, a signal's summary. It writes
them as :class:`Msg`: an English ``str`` (so logs, CSV files, JSON and the console keep working
unchanged) that also remembers its message id (the English template) and its arguments, so that
:mod:`proposal_stats.reporting.i18n` can show the same sentence from a translation catalog.

Fixed terms that are looked up rather than written out (a rule's summary, a finding kind's meaning,
a figure's definition) are marked with :func:`N_`, which returns its argument unchanged: it only
tells the catalog extractor (Babel, ``scripts/catalogs.py``) that the string is to be translated.

Message ids use Python's ``%(name)s`` placeholders, the form gettext tools check: a translation
that drops or renames a placeholder fails ``scripts/catalogs.py check`` and the test suite.
"""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Mark ``message`` for translation; return it unchanged (gettext's ``gettext_noop``)."""
    return message


class Msg(str):
    """An English sentence that keeps its message id and arguments for translation.

    ``Msg("the row has %(n)s cells", n=3) == "the row has 3 cells"``; ``.msgid`` is the template,
    ``.args`` the arguments (themselves ``Msg`` when they are words to translate; a list is shown
    joined with ", ", in the report with the language's own separator). A message with no arguments
    is not formatted, so a literal ``%`` needs no escaping there.
    """

    msgid: str
    args: dict[str, Any]

    def __new__(cls, msgid: str, /, **args: Any) -> Msg:
        shown = {k: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v for k, v in args.items()}
        self = super().__new__(cls, msgid % shown if args else msgid)
        self.msgid, self.args = msgid, args
        return self

    def __reduce__(self):  # pickling (multiprocessing, caches) keeps the message id
        return (_rebuild, (self.msgid, self.args))


def _rebuild(msgid: str, args: dict[str, Any]) -> Msg:
    return Msg(msgid, **args)


def message_column(values, index=None):
    """``values`` (messages, text, ``None``) as a ``pandas.Series`` of dtype ``object`` that keeps
    each :class:`Msg`, for a DataFrame column a report shows in its language.

    A table built the ordinary way loses the messages: pandas infers a ``str`` column from values
    that are all strings (a ``Msg`` is one), and numpy casts a ``str`` subclass to ``str``
    (``np.full``, ``to_numpy``), so only each message's English would be left. Put the column in
    with this (``frame[col] = message_column(texts, frame.index)``) after building the frame.
    """
    import pandas as pd

    return pd.Series(list(values), index=index, dtype=object)
