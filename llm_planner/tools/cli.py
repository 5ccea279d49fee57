"""`python -m llm_planner {plan,model,bringup,demo,watch,bench,serve}`: results on stdout, logs on stderr."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from llm_planner.planning.settings import DEFAULT_N_CTX
from llm_planner.tools.settings import load_settings

EXIT_ERROR = 2


def _planner(model_path: str | None, server_url: str | None = None):
    from llm_planner.plan.places import SIM_WORLD
    from llm_planner.planning.planner import Planner, open_planner_backend
    from llm_planner.planning.settings import PlannerSettings

    remote = {"backend": "openai", "openai_url": server_url} if server_url else {}
    settings = load_settings(PlannerSettings, "planner_node", model_path=model_path, **remote)
    planner = Planner(open_planner_backend(settings), settings, SIM_WORLD)
    planner.warm_up()
    return planner


def _batch_rows(path: Path):
    """(id, task, error) per non-empty line of a tasks file; a bad line is an error row, not fatal."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            task = row["task"]
            yield (str(row.get("id", number)), task, None)
        except (ValueError, KeyError, TypeError) as error:
            yield (str(number), line[:200], f"line {number}: not a {{\"task\": ...}} object ({error})")


def cmd_plan(args: argparse.Namespace) -> int:
    if args.batch is None and args.task is None:
        print("error: give a TASK or --batch IN.jsonl --out OUT.jsonl", file=sys.stderr)
        return EXIT_ERROR
    if args.batch is not None and args.out is None:
        print("error: --batch needs --out", file=sys.stderr)
        return EXIT_ERROR
    try:
        planner = _planner(args.model_path, args.server_url)
    except Exception as error:  # noqa: BLE001 - any load failure is an error exit with its reason
        print(f"error: cannot load the model: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_ERROR
    if args.batch is None:
        outcome = planner.plan(args.task)
        if outcome.state == "error":
            print(f"error: {outcome.reason}: {outcome.detail}", file=sys.stderr)
            return EXIT_ERROR
        print(f"{outcome.state} in {outcome.latency_s:.2f} s {outcome.detail}", file=sys.stderr)
        print(json.dumps(outcome.plan_object(), ensure_ascii=False))
        return 0
    rows = list(_batch_rows(Path(args.batch)))
    with open(args.out, "w", encoding="utf-8") as out:
        for done, (task_id, task, error) in enumerate(rows, 1):
            row = {"id": task_id, "task": task, "plan": None, "reason": None, "latency_s": None}
            if error is None:
                outcome = planner.plan(task)
                row.update(plan=outcome.plan_object(), reason=outcome.reason, latency_s=round(outcome.latency_s, 4))
                if outcome.state == "error":
                    error = f"{outcome.reason}: {outcome.detail}"
            if error is not None:
                row["error"] = error
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.flush()
            print(f"[{done}/{len(rows)}] {task_id}: {json.dumps(row['plan'], ensure_ascii=False)}", file=sys.stderr)
    return 0


def cmd_model(args: argparse.Namespace) -> int:
    from llm_planner.planning.model_store import ModelError, resolve

    try:
        path, digest = resolve(args.model_path, None)
    except ModelError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
    print(json.dumps({"path": str(path), "sha256": digest}))
    if args.check:
        from llm_planner.planning.backend import check_engine

        print(f"engine ok: a batch of 64 tokens in {check_engine(path):.2f} s", file=sys.stderr)
    return 0


def cmd_bringup(args: argparse.Namespace) -> int:
    from llm_planner.tools.bringup import SIM_BRIDGE, STACK, raise_on_stop_signals, start_node, stop_all

    raise_on_stop_signals()
    overrides = {"planner_node": {"model_path": args.model_path} if args.model_path else {}, "bridge_node": SIM_BRIDGE}
    processes: list = []
    try:
        processes += [start_node(name, overrides.get(name), args.namespace, args.log_level)
                      for name in STACK]
        while all(p.poll() is None for p in processes):
            time.sleep(0.2)
        print("error: a node exited; stopping the others", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 0
    finally:
        stop_all(processes)


def cmd_demo(args: argparse.Namespace) -> int:
    from llm_planner.tools.demo import run_demo

    return run_demo(args.task, model_path=args.model_path, timeout_s=args.timeout, plot=args.plot)


def cmd_watch(args: argparse.Namespace) -> int:
    from llm_planner.tools.watch import run_watch

    if args.count is not None and args.count < 1:
        print("error: --count must be at least 1", file=sys.stderr)
        return EXIT_ERROR
    return run_watch(args.namespace, count=args.count, plot=args.plot)


def cmd_serve(args: argparse.Namespace) -> int:
    import os
    import subprocess

    from llm_planner.planning.model_store import ModelError
    from llm_planner.tools.inference_server import server_command

    try:
        command = server_command(args.model_path, args.host, args.port, args.n_threads, args.n_ctx,
                                 os.environ.get(args.api_key_env) or None)
    except ModelError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
    print(f"serve: planners reach this server with backend:=openai openai_url:=http://{args.host}:{args.port}/v1",
          file=sys.stderr)
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from llm_planner.tools.bench import DEFAULT_TASKS, run_bench

    tasks = [Path(t) for t in args.tasks] or DEFAULT_TASKS
    if args.remote:
        from llm_planner.tools.remote_bench import run_remote_bench

        planners = [int(n) for n in args.planners.split(",")]
        return run_remote_bench(tasks, (args.model or [None])[0], args.server_url, planners)
    if args.latency:
        from llm_planner.tools.latency_bench import run_latency_bench

        return run_latency_bench(tasks[0], (args.model or [None])[0])
    overrides = dict(item.split("=", 1) for item in args.setting or [])
    return run_bench(tasks, args.model or [None], verbose=args.verbose, overrides=overrides)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m llm_planner", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    plan = sub.add_parser("plan", help="plan one task, or a batch file")
    plan.add_argument("task", nargs="?")
    plan.add_argument("--batch", metavar="IN.jsonl")
    plan.add_argument("--out", metavar="OUT.jsonl")
    plan.add_argument("--server-url", metavar="URL", help="plan on this OpenAI-compatible server (backend openai)")
    plan.set_defaults(func=cmd_plan)
    model = sub.add_parser("model", help="print the model's path and SHA-256 (assembling the default)")
    model.set_defaults(func=cmd_model)
    model.add_argument("--check", action="store_true", help="also evaluate a batch with the engine (setup runs it)")
    bringup = sub.add_parser("bringup", help="run planner, bridge and simulated robot until Ctrl-C")
    bringup.add_argument("--namespace", default="")
    bringup.add_argument("--log-level", default="")
    bringup.set_defaults(func=cmd_bringup)
    demo = sub.add_parser("demo", help="bring up the stack, run one task on the simulated robot, print its end state")
    demo.add_argument("task")
    demo.add_argument("--timeout", type=float, default=180.0, help="give up after this many seconds")
    demo.set_defaults(func=cmd_demo)
    watch = sub.add_parser("watch", help="show the tasks of a running stack live (sends nothing) until Ctrl-C")
    watch.add_argument("--namespace", default="", help="the stack's namespace, as given to bringup")
    watch.add_argument("--count", type=int, default=None, metavar="N", help="exit after N tasks have ended")
    watch.set_defaults(func=cmd_watch)
    for command in (demo, watch):
        command.add_argument("--plot", metavar="OUT.png", default=None,
                             help="draw the path walked, the plan and the gestures of each task that ends")
    bench = sub.add_parser("bench", help="accuracy, valid-plan rate and latency per model on task files")
    bench.add_argument("tasks", nargs="*", help="task files (default: public, public-hard and held-out sets)")
    bench.add_argument("--model", action="append", metavar="PATH", help="a GGUF to compare (repeatable)")
    bench.add_argument("--verbose", action="store_true",
                       help="show the wrongly planned tasks (never those of the held-out sets)")
    bench.add_argument("--setting", action="append", metavar="KEY=VALUE",
                       help="a planner setting for this run, e.g. ground_numbers=false (repeatable)")
    bench.add_argument("--latency", action="store_true",
                       help="time to first motion, ours vs a naive baseline, on the first task file")
    bench.add_argument("--remote", action="store_true",
                       help="local vs a shared llama_cpp.server, and the server's throughput with several planners")
    bench.add_argument("--server-url", metavar="URL", help="with --remote: measure this server instead of starting one")
    bench.add_argument("--planners", default="1,2,4", help="with --remote: planners sharing the server (default 1,2,4)")
    bench.set_defaults(func=cmd_bench)
    serve = sub.add_parser("serve", help="run an OpenAI-compatible inference server for planners (backend openai)")
    serve.add_argument("--host", default="127.0.0.1", help="0.0.0.0 to serve other machines")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--n-threads", type=int, default=2)
    serve.add_argument("--n-ctx", type=int, default=DEFAULT_N_CTX)
    serve.add_argument("--api-key-env", default="LLM_PLANNER_API_KEY",
                       help="environment variable with the key clients must send (unset: no key)")
    serve.set_defaults(func=cmd_serve)
    for command in (plan, model, bringup, demo, serve):
        command.add_argument("--model-path", default=None, help="a GGUF file instead of the packaged default")
    args = parser.parse_args(argv)
    return args.func(args)
