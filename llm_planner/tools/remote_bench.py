"""`python -m llm_planner bench --remote`: planning in-process vs on a shared server, in one run.

Same model file, same threads, same tasks: the local backend first, then the same
planner against `python -m llama_cpp.server` on 127.0.0.1 (started here unless
`--server-url` names one), then N planners at once sharing that server, each with
its own client, pulling tasks from one queue (tasks per second and per-task latency).
Figures, not assertions: machines are noisy, so compare within one run.
"""

from __future__ import annotations

import gc
import queue
import statistics
import sys
import threading
import time
from pathlib import Path

from llm_planner.planning.planner import Planner, open_planner_backend
from llm_planner.planning.settings import PlannerSettings
from llm_planner.tools.bench import percentile, plan_task_file
from llm_planner.tools.settings import load_settings


def _row(label: str, result: dict) -> str:
    latencies = result["latencies"]
    return (f"{label:34} {result['accuracy']:>16} {result['valid']:7.1%} "
            f"{statistics.median(latencies):6.2f} {percentile(latencies, 0.95):6.2f}")


def _shared_load(settings: PlannerSettings, tasks: list[str], planners: int) -> dict:
    """`planners` planners (threads, one client each) drain one task queue; wall time and latencies."""
    work: queue.Queue[str] = queue.Queue()
    for task in tasks:
        work.put(task)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    clients = [Planner(open_planner_backend(settings), settings) for _ in range(planners)]

    def drain(planner: Planner) -> None:
        while True:
            try:
                task = work.get_nowait()
            except queue.Empty:
                return
            outcome = planner.plan(task)
            with lock:
                latencies.append(outcome.latency_s)
                if outcome.state == "error":
                    errors.append(f"{outcome.reason}: {outcome.detail}")

    threads = [threading.Thread(target=drain, args=(p,)) for p in clients]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    return {"tasks_per_s": len(tasks) / wall, "latencies": latencies, "errors": errors}


def run_remote_bench(task_files: list[Path], model_path: str | None, server_url: str | None,
                     concurrency: list[int]) -> int:
    from llm_planner.tools.inference_server import start_server, stop_server

    local_settings = load_settings(PlannerSettings, "planner_node", model_path=model_path)
    header = f"{'backend / tasks':34} {'accuracy':>16} {'valid':>7} {'p50 s':>6} {'p95 s':>6}"
    table = [header, "-" * len(header)]
    local = Planner(open_planner_backend(local_settings), local_settings)
    local.warm_up()
    local_results = {}
    for tasks in task_files:
        local_results[tasks] = plan_task_file(local, tasks)
        table.append(_row(f"local   {tasks.name}", local_results[tasks]))
        print(table[-1], file=sys.stderr)
    del local
    gc.collect()  # the server gets the cores and the memory to itself

    server = None
    if server_url is None:
        server, server_url = start_server(model_path, n_threads=local_settings.n_threads, n_ctx=local_settings.n_ctx)
        print(f"started llama_cpp.server at {server_url}", file=sys.stderr)
    remote_settings = local_settings.model_copy(update={"backend": "openai", "openai_url": server_url,
                                                        "openai_timeout_s": 120.0})
    try:
        remote = Planner(open_planner_backend(remote_settings), remote_settings)
        remote.warm_up()
        same, total = 0, 0
        for tasks in task_files:
            result = plan_task_file(remote, tasks)
            table.append(_row(f"remote  {tasks.name}", result))
            print(table[-1], file=sys.stderr)
            same += sum(a == b for a, b in zip(result["plans"], local_results[tasks]["plans"], strict=True))
            total += len(result["plans"])
        table.append(f"identical plans, remote vs local: {same}/{total}")
        load_tasks = local_results[task_files[0]]["tasks"]
        table += ["", f"shared server, {len(load_tasks)} tasks of {task_files[0].name} from one queue:",
                  f"{'planners':>8} {'tasks/s':>8} {'p50 s':>6} {'p95 s':>6} {'errors':>6}"]
        for planners in concurrency:
            load = _shared_load(remote_settings, load_tasks, planners)
            table.append(f"{planners:8d} {load['tasks_per_s']:8.2f} {statistics.median(load['latencies']):6.2f} "
                         f"{percentile(load['latencies'], 0.95):6.2f} {len(load['errors']):6d}")
            print(table[-1], *load["errors"][:3], file=sys.stderr)
    finally:
        if server is not None:
            stop_server(server)
    print("\n".join(table))
    return 0
