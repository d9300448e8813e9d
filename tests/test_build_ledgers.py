"""The reference ledgers are exactly what the build script makes from the published figures."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_committed_ledgers_match_the_build_script():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_ledgers.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
