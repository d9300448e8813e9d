"""Ledgers (台账): read CSV/TSV/XLSX/Parquet, match headers, normalise values, check rows against named rules, build the data model.
May import: the top layer only (``params``, ``terms``, ``yamlfile``); never ``published``, ``stats`` or ``reporting``.
"""

from .model import Ledger, LedgerError, file_sha256, read_ledger
from .readers import LedgerReadError
from .rules import RULES, Rule

__all__ = ["Ledger", "LedgerError", "LedgerReadError", "RULES", "Rule", "file_sha256", "read_ledger"]
