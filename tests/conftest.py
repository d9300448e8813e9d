"""Shared fixtures: the project's reference params, and copies of them pointed at temp folders."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CITY = ROOT / "params" / "chuxiong-city-2022.yaml"
PREFECTURE = ROOT / "params" / "chuxiong-prefecture-2023.yaml"
#: The params files the project ships. A user adds their own to params/ (as the README says): tests
#: name these, never "every file in params/", so a user's file cannot break them.
SHIPPED_PARAMS = ("chuxiong-city-2022.yaml", "chuxiong-city-2023-synthetic.yaml", "chuxiong-prefecture-2023.yaml", "published-audit.yaml")


def params_copy(src: Path, folder: Path, **overrides) -> Path:
    """Write a copy of a params file into ``folder`` with absolute paths and the given overrides;
    the output goes to ``folder/out`` unless overridden."""
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    data["ledger"] = str((src.parent / data["ledger"]).resolve())
    data["notebook"] = str(ROOT / "notebooks" / "annual_report.ipynb")
    data["output_dir"] = str(folder / "out")
    data.update(overrides)
    path = folder / src.name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def city_params(tmp_path) -> Path:
    return params_copy(CITY, tmp_path)


@pytest.fixture
def params(tmp_path):
    """The reference city's params, loaded, as of 2026-01-01 (so no ledger date is in the future)."""
    from proposal_stats.params import load_params

    return load_params(params_copy(CITY, tmp_path, as_of="2026-01-01"))


def ledger_file(tmp_path: Path, text: str, name: str = "l.csv", encoding: str = "utf-8") -> Path:
    """``text`` written as a ledger file ``tmp_path/name`` in ``encoding``."""
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path
