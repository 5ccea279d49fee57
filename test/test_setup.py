"""The README's set-up, run a second time, skips what is done: no pip, no interface build, the model only
re-checked."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(not (REPO / ".venv" / ".llm_planner-setup").is_file(), reason="not set up by scripts/setup.sh")
def test_a_second_setup_run_installs_nothing() -> None:
    result = subprocess.run(["bash", "scripts/setup.sh"], cwd=REPO, capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "setup: .venv is up to date" in result.stderr
    assert "installing" not in result.stderr and "Collecting" not in result.stderr
    for package in sorted(p.name for p in (REPO / "interfaces").iterdir() if p.is_dir()):
        assert f"setup: interface package {package} is up to date" in result.stderr  # not rebuilt
    assert '"sha256": "' in result.stderr  # the model was verified again, not rebuilt
