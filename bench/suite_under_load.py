#!/usr/bin/env python3
"""Does the whole suite hold on a busy machine? The README's test command, run `--runs` times in a row
while `--load` busy-looping processes (default: one per core) contend for the cores, as on a shared
CI machine. Prints each run's pytest summary and wall time; exits 0 only when every run passed.

    .venv/bin/python bench/suite_under_load.py [--runs 3] [--load N] [-- extra pytest arguments]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from llm_planner.tools.bench import busy  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--load", type=int, default=os.cpu_count() or 1, help="busy-looping processes meanwhile")
    parser.add_argument("--log-dir", type=Path, default=Path("/tmp"), help="each run's full output goes here")
    parser.add_argument("pytest_args", nargs="*", help="after --: passed to pytest")
    args = parser.parse_args()
    load = [multiprocessing.Process(target=busy, daemon=True) for _ in range(args.load)]
    for process in load:
        process.start()
    outcomes = []
    try:
        for run in range(1, args.runs + 1):
            log = args.log_dir / f"suite_under_load_{run}.log"
            started = time.monotonic()
            with log.open("w") as out:
                code = subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test",
                                        *args.pytest_args], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
            minutes, seconds = divmod(time.monotonic() - started, 60)
            summary = next((line.strip("= \n") for line in reversed(log.read_text().splitlines())
                            if " in " in line and ("passed" in line or "failed" in line)), "no summary")
            outcomes.append(code == 0)
            print(f"run {run}/{args.runs} with {args.load} busy process(es): exit {code}, {summary}, "
                  f"wall {int(minutes)} min {seconds:.0f} s (log {log})", flush=True)
    finally:
        for process in load:
            process.terminate()
    print(f"{sum(outcomes)} of {len(outcomes)} runs passed under load")
    return 0 if all(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
