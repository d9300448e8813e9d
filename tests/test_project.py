"""Project hygiene a new user relies on."""

from __future__ import annotations

import re

from .conftest import ROOT


def _bash_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, flags=re.S)]


def test_ci_runs_exactly_the_readme_test_command():
    readme_commands = _bash_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    test_command = next(c for c in readme_commands if "pytest" in c)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == test_command


def test_every_rule_is_documented_in_the_readme_with_its_severity():
    from proposal_stats.ledger.rules import RULES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        assert f"| `{rule.name}` | {rule.severity} |" in readme, rule.name
