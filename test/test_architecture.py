"""The import rules of DESIGN.md ("Parts and who may import whom"), as import-linter contracts (.importlinter).

The second test proves the contracts can fail: a copy of the tree with one deliberately wrong
import (the simulated robot reaching into the bridge's motion code) must be refused.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("importlinter", reason="import-linter is not installed (pip install import-linter)")

REPO = Path(__file__).resolve().parent.parent


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """`lint-imports` on the tree at `root`, importing its packages from there (not from the install)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    script = ("import sys; sys.path.insert(0, sys.argv[1]); "
              "from importlinter.cli import lint_imports_command; lint_imports_command(['--no-cache'])")
    return subprocess.run([sys.executable, "-c", script, str(root)], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_the_tree_keeps_every_import_rule():
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_wrong_import_breaks_the_rules(tmp_path):
    for package in ("llm_planner", "robot_bridge"):
        shutil.copytree(REPO / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / ".importlinter", tmp_path)
    controller = tmp_path / "robot_bridge" / "sim" / "controller.py"
    controller.write_text(controller.read_text() + "\nfrom robot_bridge import motion  # noqa: E402,F401\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "robot_bridge.sim.controller -> robot_bridge.motion" in result.stdout
