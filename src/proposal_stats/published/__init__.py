"""Published reports: printed numbers and the arithmetic audit of the figures a government printed, over one report or a corpus.
May import: the top layer only (``params``, ``claims_format``, ``yamlfile``, ``terms``); never ``ledger``, ``stats`` or ``reporting``.
"""

from .audit import KINDS, Finding, audit, comparable_resolution_share
from .corpus import Corpus, load_corpus
from .printed import PrintedNumber, parse_percent

__all__ = ["KINDS", "Corpus", "Finding", "PrintedNumber", "audit", "comparable_resolution_share", "load_corpus", "parse_percent"]
