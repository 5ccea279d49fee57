#!/usr/bin/env python3
"""What reading a task costs before the model sees it: normalization (numbers, units, corrections,
glosses) and the hazard screen, per task of every bench set, in milliseconds. No model is loaded:
this is the part of task -> first motion that understanding adds on top of decoding.

    .venv/bin/python bench/understanding_cost.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from llm_planner.plan.places import SIM_WORLD  # noqa: E402
from llm_planner.planning.normalize import normalize  # noqa: E402
from llm_planner.planning.planner import Planner  # noqa: E402
from llm_planner.tools.bench import percentile  # noqa: E402


class _NoEngine:
    """The screen needs a planner, never its engine."""

    def stream(self, *_args):
        return iter(())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over all tasks (the first warms caches)")
    args = parser.parse_args()
    tasks = [json.loads(line)["task"] for path in sorted((ROOT / "bench").glob("tasks_*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    try:
        from llm_planner.plan.hazards import named_hazards
    except ImportError:  # an older commit: its screen scanned for itself
        named_hazards = None
    planner = Planner(_NoEngine(), places=SIM_WORLD)
    times: list[float] = []
    for _ in range(args.rounds):
        times = []
        for task in tasks:
            started = time.perf_counter()
            read = normalize(task)
            if named_hazards is not None:  # one scan serves the screen and the located hazards
                planner._screen(read.text, named_hazards(read.text, read.languages))
            else:
                try:
                    planner._screen(read.text, read.languages)
                except TypeError:  # before the screen read the languages
                    planner._screen(read.text)
            times.append((time.perf_counter() - started) * 1000)
    print(f"{len(tasks)} tasks, last of {args.rounds} rounds: normalize + hazard screen "
          f"p50 {statistics.median(times):.2f} ms, p95 {percentile(times, 0.95):.2f} ms, max {max(times):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
