"""Start the stack's nodes as OS processes, one per node, as the launch file does.

Used by `python -m llm_planner bringup` / `demo` and by the integration tests on
machines without the ROS 2 launch system.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from llm_planner.ros.supervision import PARENT_ENV
from llm_planner.tools.settings import config_dir

LOOPBACK_PROFILE = "fastdds_loopback.xml"
SIM_BRIDGE = {"start_armed": True, "sim_world_places": True}
"""Parameters of a bridge that drives the simulated robot: armed from the start (a real robot's starts disarmed)."""

NODES = {
    "planner_node": "llm_planner.planner_node",
    "bridge_node": "robot_bridge.bridge_node",
    "sim_robot": "robot_bridge.sim.sim_robot",
    "task_server": "llm_planner.tools.task_server",
}
STACK = ("sim_robot", "bridge_node", "planner_node", "task_server")
"""The nodes `python -m llm_planner bringup` starts, in order."""


def isolate_dds(keep_existing: bool = False) -> None:
    """Confine this process's DDS traffic (and its children's) to this machine and a random domain.

    Call before rclpy is imported. Tests and benches take a fresh domain every run, so runs and
    sessions sharing the machine never hear each other; `keep_existing` respects a domain the
    user chose (demo). Loopback comes from config/fastdds_loopback.xml, a Fast DDS profile that
    also meets Cyclone DDS peers (the vendor's SDK in the conformance tests, a G1):
    ROS_AUTOMATIC_DISCOVERY_RANGE=LOCALHOST would not.
    """
    wanted = {"ROS_DOMAIN_ID": str(random.SystemRandom().randint(1, 100)),
              "FASTDDS_DEFAULT_PROFILES_FILE": str(config_dir() / LOOPBACK_PROFILE),
              "ROS_AUTOMATIC_DISCOVERY_RANGE": "SUBNET"}  # the profile allows only 127.0.0.1
    for name, value in wanted.items():
        if not (keep_existing and name in os.environ):
            os.environ[name] = value


def _ros_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def node_command(
    name: str, parameters: Mapping[str, object] | None = None, namespace: str = "", log_level: str = ""
) -> list[str]:
    """The command line that runs one node with its config file and parameter overrides."""
    command = [sys.executable, "-m", NODES[name], "--ros-args"]
    params_file = config_dir() / f"{name}.yaml"
    if params_file.is_file():
        command += ["--params-file", str(params_file)]
    for key, value in (parameters or {}).items():
        command += ["-p", f"{key}:={_ros_value(value)}"]
    if namespace:
        command += ["-r", f"__ns:=/{namespace.strip('/')}"]
    if log_level:
        command += ["--log-level", log_level]
    return command


def start_node(name: str, parameters: Mapping[str, object] | None = None, namespace: str = "",
               log_level: str = "", stdout=None, stderr=None) -> subprocess.Popen:
    """Start one node process; its output goes to our stderr unless told otherwise."""
    env = dict(os.environ)
    env[PARENT_ENV] = str(os.getpid())  # the node stops by itself once this process is gone
    source_root = str(Path(__file__).resolve().parents[2])  # runs from a source checkout too
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [source_root, env.get("PYTHONPATH")]))
    return subprocess.Popen(
        node_command(name, parameters, namespace, log_level),
        stdout=stdout if stdout is not None else sys.stderr,
        stderr=stderr if stderr is not None else sys.stderr,
        env=env,
    )


def child_pids(pid: int) -> list[int]:
    """The processes `pid` started and that still run (Linux /proc)."""
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def running(pid: int) -> bool:
    """True while `pid` runs; a zombie has stopped (only its exit status waits for its new parent)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def raise_on_stop_signals() -> None:
    """SIGINT, SIGTERM and SIGHUP raise KeyboardInterrupt in the main thread, so a supervisor's
    `finally: stop_all(...)` runs for each of them: also for a SIGINT the shell told us to
    ignore (a script's background job), and for the SIGTERM of systemd, `docker stop` or `kill`."""
    def stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)


def stop_all(processes: Iterable[subprocess.Popen], timeout: float = 10.0) -> list[int]:
    """Ask every process to stop (SIGINT, as Ctrl-C would), then kill stragglers; return codes.

    10 s, as long as launch lets a node take before SIGKILL: 16 nodes stopping at once on 2
    cores take about 1 s, but once in a CI run under load a bridge took longer than 5 s."""
    processes = list(processes)
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    deadline = time.monotonic() + timeout
    for process in processes:
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return [process.returncode for process in processes]
