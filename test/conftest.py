"""Test-wide set-up: every run gets its own DDS domain, confined to this machine."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from llm_planner.tools.bringup import isolate_dds

# CI runs the same examples every time (a red CI must mean a change broke something);
# local runs keep exploring new random examples.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

isolate_dds()  # before any rclpy import: this run's DDS traffic is its own
# Bridges remember places under $XDG_STATE_HOME: this run's own, never the user's (nor another run's)
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="llm_planner_state_")
# Planners keep evaluated prompts under $XDG_CACHE_HOME: shared by this run's planners (each prompt is
# evaluated once per run, then loaded), never the user's
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="llm_planner_cache_")
for _run_dir in (os.environ["XDG_STATE_HOME"], os.environ["XDG_CACHE_HOME"]):  # 140 MB of prompts a run
    atexit.register(shutil.rmtree, _run_dir, ignore_errors=True)

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "test"))


@pytest.hookimpl(hookwrapper=True)
def pytest_pycollect_makemodule(module_path, parent):
    """A test module that skips itself at import (a missing optional package) skips alone.

    launch_testing's pytest plugin imports every test module while pytest lays out the directory;
    a module-level importorskip would then skip the whole directory (no test run at all). Give
    pytest a plain Module instead: it imports the file again when collecting it and skips just that file.
    """
    outcome = yield
    if outcome.excinfo is not None and issubclass(outcome.excinfo[0], pytest.skip.Exception):
        outcome.force_result(pytest.Module.from_parent(parent, path=module_path))


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "model: loads the real model (tens of seconds each); "
                            "`-m 'not model'` runs the rest while iterating, CI runs everything")


@pytest.fixture(scope="session")
def rclpy_session():
    """rclpy initialised once for the tests that talk DDS from this process."""
    import rclpy

    rclpy.init()
    yield rclpy
    rclpy.try_shutdown()


@pytest.fixture
def stack_clients(rclpy_session):
    """`make(namespace)` gives a StackClient for that namespace, spun on a background executor."""
    import threading

    from rclpy.executors import SingleThreadedExecutor

    from llm_planner.tools.stack_client import StackClient

    executor = SingleThreadedExecutor()
    clients: list[StackClient] = []

    def make(namespace: str) -> StackClient:
        client = StackClient(f"test_client_{namespace or 'root'}_{len(clients)}", namespace=namespace)
        executor.add_node(client)
        clients.append(client)
        return client

    spinner = threading.Thread(target=executor.spin, daemon=True)
    spinner.start()
    yield make
    executor.shutdown()
    spinner.join(timeout=5.0)
    for client in clients:
        client.destroy_node()
