"""`python -m llm_planner bench`: planner accuracy, refusals, valid-plan rate and latency, per model, in one table.

Runs the batch planner over each task file with each model (loaded once), scores the
rows with the evaluation scorer (`bench/score.py`, a copy of the shared one), and
prints one row per model and task file: accuracy, refusal recall (must-refuse tasks
refused or rejected), false refusals (tasks to plan that were refused or rejected),
valid plans and latency; then accuracy per language for the tasks that name theirs.
Held-out sets (`tasks_heldout*`) are scored as totals only: `--verbose` never lists their
tasks, so nobody tunes the planner to them. Figures, not assertions: machines are noisy.
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
DEFAULT_TASKS = [BENCH_DIR / name for name in (
    "tasks_public.jsonl", "tasks_hard.jsonl", "tasks_heldout.jsonl", "tasks_heldout2.jsonl", "tasks_heldout3.jsonl",
    "tasks_heldout4.jsonl", "tasks_heldout5.jsonl", "tasks_heldout6.jsonl", "tasks_heldout7.jsonl",
    "tasks_heldout8.jsonl", "tasks_heldout9.jsonl", "tasks_heldout10.jsonl", "tasks_heldout11.jsonl",
    "tasks_heldout12.jsonl", "tasks_heldout13.jsonl", "tasks_heldout14.jsonl", "tasks_heldout15.jsonl",
    "tasks_heldout16.jsonl", "tasks_heldout17.jsonl",
    "tasks_places.jsonl")]


def busy() -> None:
    """A busy-looping process's body: load for the benches that need contended cores."""
    while True:
        pass


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
    latencies, valid, plans, refusals = [], 0, [], {"must": 0, "refused": 0, "should": 0, "false": 0}
    by_language: dict[str, list[int]] = {}
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as out:
        for row in rows:
            outcome = planner.plan(row["task"])
            refused = outcome.state in ("refused", "rejected")
            must = row["expected"] == [[]]
            refusals["must" if must else "should"] += 1
            refusals["refused" if must else "false"] += refused
            latencies.append(outcome.latency_s)
            plans.append(outcome.plan_object())
            valid += outcome.state in ("planned", "refused") or (
                outcome.state == "rejected" and outcome.reason != "invalid_plan")
            out.write(json.dumps({"id": row.get("id"), "task": row["task"], "plan": outcome.plan_object(),
                                  "reason": outcome.reason, "latency_s": outcome.latency_s},
                                 ensure_ascii=False) + "\n")
    accuracy, wrong = _score(tasks, Path(out.name))
    Path(out.name).unlink()
    for row, line in zip(rows, _judged(tasks, plans)):
        if "lang" in row:
            by_language.setdefault(row["lang"], []).append(line)
    return {"accuracy": accuracy, "wrong": wrong, "valid": valid / len(rows), "latencies": latencies,
            "plans": plans, "tasks": [row["task"] for row in rows], "refusals": refusals,
            "by_language": by_language}


def _judged(tasks: Path, plans: list[dict | None]) -> list[int]:
    """1 or 0 per task: whether its plan is one the scorer accepts (the scorer's own matching)."""
    sys.path.insert(0, str(BENCH_DIR))
    try:
        from score import plan_matches
    finally:
        sys.path.remove(str(BENCH_DIR))
    rows = [json.loads(line) for line in tasks.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [int(plan_matches(row["expected"], plan)) for row, plan in zip(rows, plans)]


def _fraction(part: int, whole: int) -> str:
    return f"{part}/{whole}" if whole else "-"


def run_bench(task_files: list[Path], model_paths: list[str | None], verbose: bool = False,
              overrides: dict[str, object] | None = None) -> int:
    from llm_planner.plan.places import SIM_WORLD
    from llm_planner.planning.backend import open_backend
    from llm_planner.planning.planner import Planner
    from llm_planner.planning.settings import PlannerSettings

    header = (f"{'model':36} {'tasks':22} {'accuracy':>16} {'refused':>8} {'false ref':>9} {'valid':>7} "
              f"{'p50 s':>6} {'p95 s':>6}")
    table = [header, "-" * len(header)]
    languages: dict[str, list[int]] = {}
    for model_path in model_paths:
        settings = load_settings(PlannerSettings, "planner_node", model_path=model_path, **(overrides or {}))
        backend = open_backend(settings)
        planner = Planner(backend, settings, SIM_WORLD)  # the simulated world's places, as the sets assume
        planner.warm_up()
        name = Path(backend.model_path).name
        for tasks in task_files:
            result = plan_task_file(planner, tasks)
            if verbose and result["wrong"] and not tasks.name.startswith("tasks_heldout"):
                print(result["wrong"], file=sys.stderr)
            latencies, refusals = result["latencies"], result["refusals"]
            table.append(f"{name[:36]:36} {tasks.name[:22]:22} {result['accuracy']:>16} "
                         f"{_fraction(refusals['refused'], refusals['must']):>8} "
                         f"{_fraction(refusals['false'], refusals['should']):>9} "
                         f"{result['valid']:7.1%} {statistics.median(latencies):6.2f} "
                         f"{percentile(latencies, 0.95):6.2f}")
            print(table[-1], file=sys.stderr)
            if tasks.name.startswith("tasks_heldout"):
                for lang, judged in result["by_language"].items():
                    languages.setdefault(f"{name[:36]} {lang}", []).extend(judged)
    if languages:
        table += ["", "accuracy per language (held-out sets that name it):"]
        table += [f"  {key:40} {sum(v)}/{len(v)} = {sum(v) / len(v):.1%}" for key, v in sorted(languages.items())]
    print("\n".join(table))
    return 0
