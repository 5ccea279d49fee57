"""`python -m llm_planner bench --latency`: time to motion, ours against a naive baseline, in one run.

Both systems plan the same tasks with the same model file on a standing simulated robot
behind a real bridge over DDS; the first controller request that moves the robot
(non-zero SetVelocity or a gesture) is observed on the controller topics.

- naive: the same rules and examples (examples as JSON), `Llama.reset()` before each task,
  `create_chat_completion` with a JSON-schema grammar, the whole plan decoded, then published.
- ours: the planner as shipped (prefix kept in the KV cache, compact output under a GBNF
  grammar, each valid step published as soon as its line is decoded).
- action: what a user sees: an `execute_task` goal to the task server, through planner_node and
  the bridge, timed from the goal to the first motion request and to the goal's result. It runs
  after the two in-process systems are freed, so they never share the cores with it.

The engine floor per task is (prompt tokens not cached / prefill rate) + (output tokens /
decode rate), with both rates measured in this run, so our overhead above it is visible.
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
from pathlib import Path

from llm_planner.plan.schema import Plan, plan_json_schema
from llm_planner.planning import prompt
from llm_planner.tools.bench import percentile

SETTLE_S = 3.0
ACTION_TIMEOUT_S = 60.0  # per goal, to its result


def _naive_messages(task: str) -> list[dict[str, str]]:
    chat = [{"role": "system", "content": prompt.RULES + "\nAnswer with the plan as JSON: {\"steps\": [...]}."}]
    for example, plan in prompt.EXAMPLES:
        chat += [{"role": "user", "content": example}, {"role": "assistant", "content": json.dumps(plan.to_jsonable())}]
    return [*chat, {"role": "user", "content": task}]


class NaivePlanner:
    """What a first implementation does: no cache reuse, JSON output, publish when done."""

    def __init__(self, model_path: Path, n_threads: int) -> None:
        from llama_cpp import Llama, LlamaGrammar

        self.llm = Llama(model_path=str(model_path), n_ctx=4096, n_threads=n_threads, n_threads_batch=n_threads,
                         verbose=False)
        self.grammar = LlamaGrammar.from_json_schema(json.dumps(plan_json_schema()), verbose=False)

    def plan(self, task: str) -> dict:
        self.llm.reset()
        reply = self.llm.create_chat_completion(_naive_messages(task), grammar=self.grammar, temperature=0.0,
                                                max_tokens=256)
        try:
            return Plan.model_validate_json(reply["choices"][0]["message"]["content"]).to_jsonable()
        except ValueError:
            return {"steps": []}


def engine_rates(backend, batch: int) -> dict[str, float]:
    """Tokens per second of this engine, measured now with the planner's own settings and cache.

    `prefill_task`: a `batch`-token prompt suffix after the cached prefix, which is what a task
    costs (small batches run far below the large-batch rate, `prefill_bulk`); `decode`: one
    token per evaluation, which is what decoding is.
    """
    llm = backend._llm
    tokens = backend._tokens(prompt.messages("walk forward one meter, wait two seconds, then walk back one meter"))
    cached = len(backend._prefix[1])

    def timed(start: int, chunk: list[int], repeats: int = 5) -> float:
        times = []
        for _ in range(repeats):
            llm.n_tokens = start
            began = time.monotonic()
            llm.eval(chunk)
            times.append(time.monotonic() - began)
        return statistics.median(times)

    llm.n_tokens = 0
    began = time.monotonic()
    llm.eval(tokens[:cached])
    bulk = cached / (time.monotonic() - began)
    batch = min(batch, len(tokens) - cached - 1)
    rates = {"prefill_bulk": bulk, "prefill_task": batch / timed(cached, tokens[cached:cached + batch])}
    rates["decode"] = 1.0 / timed(cached + batch, tokens[cached + batch:cached + batch + 1])  # one token after it
    llm.n_tokens = 0
    return rates


def run_latency_bench(tasks_file: Path, model_path: str | None) -> int:
    from llm_planner.tools.bringup import SIM_BRIDGE, isolate_dds, start_node, stop_all

    isolate_dds(keep_existing=True)
    import rclpy
    from rclpy.executors import SingleThreadedExecutor

    from llm_planner.planning.backend import open_backend
    from llm_planner.planning.planner import Planner
    from llm_planner.planning.settings import PlannerSettings
    from llm_planner.tools.settings import load_settings
    from llm_planner.tools.stack_client import StackClient

    tasks = [json.loads(line) for line in tasks_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    settings = load_settings(PlannerSettings, "planner_node", model_path=model_path)
    backend = open_backend(settings)
    ours = Planner(backend, settings)
    ours.warm_up()
    batch = round(statistics.median(len(backend._llm.tokenize(t["task"].encode(), add_bos=False)) for t in tasks)) + 5
    rates = engine_rates(backend, batch)
    ours.warm_up()
    naive = NaivePlanner(backend.model_path, settings.n_threads)
    engine = (f"engine ({backend.model_path.name}): prefill {rates['prefill_bulk']:.0f} tok/s in bulk, "
              f"{rates['prefill_task']:.0f} tok/s for a {batch}-token task; decode {rates['decode']:.1f} tok/s")
    print(engine, file=sys.stderr)

    processes = [start_node("sim_robot", {"initial_fsm": 500}),
                 start_node("bridge_node", {**SIM_BRIDGE, "workspace_radius_m": 100.0})]
    rclpy.init()
    client = StackClient("latency_bench")
    executor = SingleThreadedExecutor()
    executor.add_node(client)
    threading.Thread(target=executor.spin, daemon=True).start()
    serial = iter(range(1_000_000))

    def publish(plan_id: str, task: str, steps: list, final: bool) -> None:
        client.send_plan(plan_id, steps, task, final)

    def settle() -> None:
        """Stop whatever runs and stand in locomotion before the next measurement."""
        plan_id = f"settle-{next(serial)}"
        publish(plan_id, "settle", [{"primitive": "stop"}], True)
        client.wait_for(lambda c: c.final_event(plan_id) is not None, 15.0)
        publish(plan_id + "b", "settle", [{"primitive": "stand_up"}], True)
        client.wait_for(lambda c: c.final_event(plan_id + "b") is not None, 15.0)

    rows = []
    try:
        client.wait_for(lambda c: c.state is not None and c.others_on("plan") > 0, 30.0)
        for task in tasks:
            row = {"id": task["id"]}
            for system in ("naive", "ours"):
                settle()
                plan_id = f"{system}-{task['id']}-{next(serial)}"
                client.first_motion, client.sent_at = None, time.monotonic()
                started = client.sent_at
                if system == "naive":
                    steps = naive.plan(task["task"])["steps"]
                else:
                    def on_prefix(prefix, _s, plan_id=plan_id, task=task, row=row, started=started):
                        row.setdefault("ours_first_step_s", time.monotonic() - started)
                        publish(plan_id, task["task"], prefix.to_jsonable()["steps"], False)
                    outcome = ours.plan(task["task"], on_prefix)
                    steps = (outcome.plan_object() or {}).get("steps", [])
                    row["floor_s"] = (backend.last_uncached_tokens / rates["prefill_task"]
                                      + backend.last_output_tokens / rates["decode"])
                publish(plan_id, task["task"], steps, True)
                row[f"{system}_plan_s"] = time.monotonic() - started
                if steps:
                    client.wait_for(lambda c: c.first_motion is not None, SETTLE_S)
                moved = client.first_motion
                row[f"{system}_motion_s"] = moved - started if moved is not None else None
            rows.append(row)
            print(json.dumps(row), file=sys.stderr)
        del ours, naive, backend  # frees both models before the planner node loads its own
        processes += _through_the_action(client, tasks, rows, settle, model_path)
    finally:
        executor.shutdown()
        client.destroy_node()
        rclpy.try_shutdown()
        stop_all(processes)
    print(engine)
    _print_table(rows)
    return 0


def _through_the_action(client, tasks: list[dict], rows: list[dict], settle, model_path: str | None) -> list:
    """Each task as an `execute_task` goal through a planner node and the task server; adds
    action_motion_s and action_result_s to each row. Returns the processes it started."""
    from llm_planner_interfaces.action import ExecuteTask
    from rclpy.action import ActionClient

    from llm_planner.tools.bringup import start_node
    from llm_planner.tools.stack_client import MODEL_READY_S

    processes = [start_node("planner_node", {"model_path": model_path} if model_path else None),
                 start_node("task_server")]
    action = ActionClient(client, ExecuteTask, "execute_task")
    if not (action.wait_for_server(timeout_sec=120.0) and client.wait_for_planner(MODEL_READY_S, processes)):
        print("action: the task server or the planner node did not come up", file=sys.stderr)
        return processes
    for task, row in zip(tasks, rows, strict=True):
        settle()
        ended = threading.Event()
        client.first_motion, client.sent_at = None, time.monotonic()
        started = client.sent_at

        def on_goal(future, ended=ended) -> None:
            handle = future.result()
            if handle.accepted:
                handle.get_result_async().add_done_callback(lambda _f: ended.set())
            else:
                ended.set()

        action.send_goal_async(ExecuteTask.Goal(task=task["task"])).add_done_callback(on_goal)
        if ended.wait(ACTION_TIMEOUT_S):
            row["action_result_s"] = time.monotonic() - started
        moved = client.first_motion
        row["action_motion_s"] = moved - started if moved is not None else None
        print(json.dumps({"id": row["id"], **{k: v for k, v in row.items() if k.startswith("action")}}),
              file=sys.stderr)
    action.destroy()
    return processes


def _print_table(rows: list[dict]) -> None:
    def column(key: str) -> list[float]:
        return [r[key] for r in rows if r.get(key) is not None]

    print(f"{'measure':38} {'p50 s':>7} {'p95 s':>7}")
    for key, label in [("naive_plan_s", "naive: task -> plan published"),
                       ("ours_first_step_s", "ours: task -> first step published"),
                       ("ours_plan_s", "ours: task -> plan final"),
                       ("naive_motion_s", "naive: task -> first motion request"),
                       ("ours_motion_s", "ours: task -> first motion request"), ("floor_s", "engine floor (ours)"),
                       ("action_motion_s", "action: goal -> first motion request"),
                       ("action_result_s", "action: goal -> result (task done)")]:
        print(f"{label:38} {percentile(column(key), 0.5):7.3f} {percentile(column(key), 0.95):7.3f}")
    both = [r for r in rows if r.get("naive_motion_s") and r.get("ours_motion_s")]
    if both:
        naive_p50 = statistics.median(r["naive_motion_s"] for r in both)
        ratio = naive_p50 / statistics.median(r["ours_motion_s"] for r in both)
        print(f"first motion, naive p50 / ours p50 over {len(both)} moving tasks: {ratio:.2f}x")
    overhead = [r["ours_plan_s"] / r["floor_s"] - 1 for r in rows if r.get("floor_s")]
    if overhead:
        print(f"ours above the engine floor (task -> plan final): p50 {statistics.median(overhead):+.1%}")
