"""The package's layers: imports run downward only (docs/architecture.md).

reporting → stats → ledger | published → the top layer (params, claims_format, terms, yamlfile, textcodec).
``cli`` and the package ``__init__`` sit above everything and may import anything.
"""

from __future__ import annotations

import ast

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "src" / "proposal_stats"
BOTTOM = {"params", "claims_format", "terms", "yamlfile", "messages", "textcodec"}
#: Layer → the layers it may import (its own included).
ALLOWED = {
    "bottom": {"bottom"},
    "ledger": {"ledger", "bottom"},
    "published": {"published", "bottom"},
    "stats": {"stats", "ledger", "published", "bottom"},
    "reporting": {"reporting", "stats", "ledger", "published", "bottom"},
}


def _layer(dotted: str) -> str | None:
    """``proposal_stats.x.y`` → its layer; ``None`` for the top (``cli``, the package itself)."""
    parts = dotted.split(".")[1:]
    if not parts or parts[0] in ("cli", "__init__", "__version__"):
        return None
    return "bottom" if parts[0] in BOTTOM else parts[0]


def _imports(path):
    """Every package module ``path`` imports, at any depth (imports inside functions count too)."""
    module = "proposal_stats." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [target] if node.module else [f"{target}.{a.name}" for a in node.names]
            yield from (n for n in names if n.startswith("proposal_stats"))
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("proposal_stats"))


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_downward(path):
    module = "proposal_stats." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    layer = _layer(module)
    if layer is None:
        return
    wrong = [t for t in _imports(path) if _layer(t) is not None and _layer(t) not in ALLOWED[layer]]
    assert not wrong, f"{module} ({layer}) imports upward or sideways: {wrong}"


def test_the_checker_sees_an_upward_import(tmp_path):
    # The rule above must be able to fail: a stats module importing reporting is caught.
    assert _layer("proposal_stats.reporting.report") not in ALLOWED["stats"]
    assert _layer("proposal_stats.stats.units") in ALLOWED["reporting"]
    assert _layer("proposal_stats.ledger.model") not in ALLOWED["published"]


@pytest.mark.parametrize("package", sorted(ALLOWED.keys() - {"bottom"}))
def test_each_subpackage_says_what_it_does_and_may_import(package):
    import importlib

    doc = importlib.import_module(f"proposal_stats.{package}").__doc__ or ""
    lines = [line for line in doc.strip().splitlines() if line.strip()]
    assert len(lines) == 2, f"{package}/__init__ docstring: two lines, what it does and what it may import"
    assert lines[1].startswith("May import:")


def test_public_names_import_from_the_package():
    import proposal_stats

    for name in proposal_stats.__all__:
        assert getattr(proposal_stats, name) is not None
    from proposal_stats import Ledger, read_ledger  # the names researchers use in their own notebooks

    assert Ledger.__name__ == "Ledger" and callable(read_ledger)
