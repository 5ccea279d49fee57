"""spin_node tells rclpy's Ctrl-C race (an error mid-take, context going down) from a real failure.

Each case runs in its own interpreter: spin_node owns rclpy's default context, which this test
process shares with the DDS tests.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import sys, threading
    import rclpy
    from rclpy.node import Node
    from llm_planner import node_main

    node_main.SIGNAL_SHUTDOWN_GRACE_S = 0.5
    shut_down_by_signal = sys.argv[1] == "signal"

    def spin_that_races(node):
        if shut_down_by_signal:  # as rclpy's signal thread does, a moment after the error
            threading.Timer(0.2, rclpy.shutdown).start()
        raise RuntimeError("Unable to convert call argument '0' to Python object")

    rclpy.spin = spin_that_races
    node_main.spin_node(lambda: Node("spin_node_probe"))
    print("returned")
""")


def _run(case: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", SCRIPT, case], capture_output=True, text=True, timeout=60)


def test_an_error_while_the_context_goes_down_is_a_clean_shutdown():
    result = _run("signal")
    assert (result.returncode, result.stdout.strip()) == (0, "returned"), result.stderr


def test_an_error_while_the_context_stays_up_is_raised():
    result = _run("fault")
    assert result.returncode == 1 and "returned" not in result.stdout
    assert "Unable to convert call argument" in result.stderr
