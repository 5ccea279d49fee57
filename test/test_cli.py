"""The command-line contract of DESIGN.md, run as a user would (subprocesses, real model)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from llm_planner.planning import model_store


def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "llm_planner", *args], capture_output=True, text=True,
                          timeout=timeout)


def test_model_prints_path_and_pinned_sha():
    result = run("model")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["sha256"] == model_store.MODELS[model_store.DEFAULT_MODEL].sha256
    assert info["path"].endswith(".gguf")


@pytest.mark.model
def test_plan_prints_only_the_plan_on_stdout():
    result = run("plan", "turn right 45 degrees")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"steps": [{"primitive": "turn", "direction": "right", "angle_deg": 45.0}]}


def test_plan_with_missing_model_is_an_error_exit():
    result = run("plan", "walk forward 1 meter", "--model-path", "/nonexistent/model.gguf")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "model file not found" in result.stderr


@pytest.mark.model
def test_batch_writes_one_row_per_line(tmp_path):
    tasks = tmp_path / "in.jsonl"
    tasks.write_text('{"id": "a", "task": "step back half a meter"}\n'
                     'not json\n'
                     '\n'
                     '{"task": "teleport to Mars"}\n'
                     '{"id": "c", "task": ""}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run("plan", "--batch", str(tasks), "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "2", "4", "c"]
    assert rows[0]["plan"] == {"steps": [{"primitive": "walk", "direction": "backward", "distance_m": 0.5}]}
    assert rows[0]["latency_s"] > 0
    assert rows[1]["plan"] is None and "not a" in rows[1]["error"]
    assert rows[2]["plan"] == {"steps": [], "reason": "not_possible"}
    assert rows[3]["plan"] == {"steps": [], "reason": "empty_task"}
