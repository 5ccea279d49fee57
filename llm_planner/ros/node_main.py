"""The one `main` every node runs: init, spin until Ctrl-C, SIGTERM or SIGHUP, shut down cleanly.

The node installs its own SIGINT/SIGTERM handlers, which only set a flag that the spin loop
checks at least every `WAKE_PERIOD_S`. With rclpy's handlers, KeyboardInterrupt was raised
wherever the main thread happened to be: inside a message take it surfaced as a RuntimeError,
while the node was still being built it killed the process (exit -2), and under the test
suite's load a few bridges never woke from their wait at all (bench/shutdown_stress.py).
A node started by our supervisor also stops when that supervisor dies without stopping it.
Teardown is bounded: once, in CI, a simulated robot stayed inside rcl's node teardown (DDS) for
more than 10 s after a SIGINT and was killed; a node whose teardown outlasts `TEARDOWN_LIMIT_S`
says where it was stuck and exits 0 anyway, since it has stopped serving and the OS frees the rest.
Both watchdogs run outside Python (faulthandler's thread and a POSIX timer), for that hang held the GIL.
"""

from __future__ import annotations

import faulthandler
import signal
import threading
from collections.abc import Callable

import rclpy
from rclpy.executors import ExternalShutdownException, SingleThreadedExecutor
from rclpy.node import Node
from rclpy.signals import SignalHandlerOptions

from llm_planner.ros.exit_timer import exit_after
from llm_planner.ros.supervision import supervisor_gone

WAKE_PERIOD_S = 0.1  # the longest a stop request waits for the executor to look at it
STOP_REPORT_S = 5.0  # a node not gone this long after a stop signal prints every thread's stack
TEARDOWN_REPORT_S = 5.0  # a teardown this long prints every thread's stack, to say where it hangs
TEARDOWN_LIMIT_S = 6.0  # the longest destroying the node and the context may take (launch kills after 10 s)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _stopping(stop: threading.Event) -> None:
    """A stop signal: end the spin loop; should the node still be here after STOP_REPORT_S, say where it
    is stuck (a watchdog thread of faulthandler's, which works while the main thread is inside C code)."""
    if not stop.is_set():
        faulthandler.dump_traceback_later(STOP_REPORT_S, exit=False)
    stop.set()


def spin_node(make_node: Callable[[], Node], args: list[str] | None = None) -> None:
    """Run one node; a stop by signal exits 0 (launch and the tests rely on it)."""
    stop = threading.Event()
    rclpy.init(args=args, signal_handler_options=SignalHandlerOptions.NO)
    for signum in STOP_SIGNALS:
        signal.signal(signum, lambda *_: _stopping(stop))
    node = make_node()
    executor = SingleThreadedExecutor()
    executor.add_node(node)
    orphaned = supervisor_gone()
    try:
        while not stop.is_set() and rclpy.ok():
            executor.spin_once(timeout_sec=WAKE_PERIOD_S)
            if orphaned():
                node.get_logger().warning("the supervisor that started this node is gone: stopping")
                break
    except ExternalShutdownException:
        pass  # something else shut the context down: that is a stop too
    finally:
        faulthandler.dump_traceback_later(TEARDOWN_REPORT_S, exit=False)
        disarm = exit_after(TEARDOWN_LIMIT_S)
        executor.shutdown()
        node.destroy_node()
        rclpy.try_shutdown()
        disarm()
        faulthandler.cancel_dump_traceback_later()
