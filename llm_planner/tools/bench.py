"""`python -m llm_planner bench`: planner accuracy, valid-plan rate and latency, per model, in one table.

Runs the batch planner over each task file with each model (loaded once), scores the
rows with the evaluation scorer (`bench/score.py`, a copy of the shared one), and
prints one row per model and task file. Figures, not assertions: machines are noisy.
"""

from __future__ import annotations

import json
import math
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from llm_planner.tools.settings import load_settings

BENCH_DIR = Path(__file__).resolve().parents[2] / "bench"
DEFAULT_TASKS = [BENCH_DIR / name for name in ("tasks_public.jsonl", "tasks_heldout.jsonl", "tasks_heldout2.jsonl",
                                               "tasks_heldout3.jsonl", "tasks_heldout4.jsonl")]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else math.nan


def _score(tasks: Path, rows: Path) -> tuple[str, str]:
    """(accuracy text, the scorer's WRONG lines) from the evaluation scorer."""
    result = subprocess.run([sys.executable, str(BENCH_DIR / "score.py"), str(tasks), str(rows)],
                            capture_output=True, text=True, check=False)
    lines = result.stdout.strip().splitlines()
    figure = lines[-1] if lines else "scorer failed: " + result.stderr.strip()[-200:]
    return figure.split(";")[0].replace("accuracy ", ""), "\n".join(lines[:-1])


def plan_task_file(planner, tasks: Path) -> dict:
    """Plan every task of a file once: accuracy (by the scorer), valid-plan rate, latencies, plans."""
    rows = [json.loads(line) for line in tasks.read_text(encoding="utf-8").splitlines() if line.strip()]
    latencies, valid, plans = [], 0, []
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as out:
        for row in rows:
            outcome = planner.plan(row["task"])
            latencies.append(outcome.latency_s)
            plans.append(outcome.plan_object())
            valid += outcome.state in ("planned", "refused") or (
                outcome.state == "rejected" and outcome.reason != "invalid_plan")
            out.write(json.dumps({"id": row.get("id"), "task": row["task"], "plan": outcome.plan_object(),
                                  "reason": outcome.reason, "latency_s": outcome.latency_s},
                                 ensure_ascii=False) + "\n")
    accuracy, wrong = _score(tasks, Path(out.name))
    Path(out.name).unlink()
    return {"accuracy": accuracy, "wrong": wrong, "valid": valid / len(rows), "latencies": latencies,
            "plans": plans, "tasks": [row["task"] for row in rows]}


def run_bench(task_files: list[Path], model_paths: list[str | None], verbose: bool = False) -> int:
    from llm_planner.planning.backend import open_backend
    from llm_planner.planning.planner import Planner
    from llm_planner.planning.settings import PlannerSettings

    header = f"{'model':44} {'MB':>6} {'tasks':24} {'accuracy':>16} {'valid':>7} {'p50 s':>6} {'p95 s':>6}"
    table = [header, "-" * len(header)]
    for model_path in model_paths:
        settings = load_settings(PlannerSettings, "planner_node", model_path=model_path)
        backend = open_backend(settings)
        planner = Planner(backend, settings)
        planner.warm_up()
        name = Path(backend.model_path).name
        size_mb = Path(backend.model_path).stat().st_size / 1e6
        for tasks in task_files:
            result = plan_task_file(planner, tasks)
            if verbose and result["wrong"]:
                print(result["wrong"], file=sys.stderr)
            latencies = result["latencies"]
            table.append(f"{name[:44]:44} {size_mb:6.0f} {tasks.name[:24]:24} {result['accuracy']:>16} "
                         f"{result['valid']:7.1%} {statistics.median(latencies):6.2f} "
                         f"{percentile(latencies, 0.95):6.2f}")
            print(table[-1], file=sys.stderr)
    print("\n".join(table))
    return 0
