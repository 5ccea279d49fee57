"""The one `main` every node runs: init, spin until Ctrl-C or SIGTERM, shut down cleanly."""

from __future__ import annotations

import time
from collections.abc import Callable

import rclpy
from rclpy.executors import ExternalShutdownException
from rclpy.node import Node

# rclpy shuts the context down from its own thread just after a signal; this is how long we wait
SIGNAL_SHUTDOWN_GRACE_S = 2.0


def spin_node(make_node: Callable[[], Node], args: list[str] | None = None) -> None:
    """Run one node; a shutdown by signal exits 0 (launch and the tests rely on it)."""
    rclpy.init(args=args)
    node = make_node()
    try:
        rclpy.spin(node)
    except (KeyboardInterrupt, ExternalShutdownException):
        pass
    except RuntimeError:
        # Ctrl-C can interrupt the executor inside a message take ("Unable to convert call
        # argument"), before rclpy's signal thread has shut the context down: that is a
        # normal shutdown only if the context does go down within the grace time
        if not context_shuts_down(SIGNAL_SHUTDOWN_GRACE_S):
            raise
    finally:
        node.destroy_node()
        rclpy.try_shutdown()


def context_shuts_down(grace_s: float) -> bool:
    """True once the default context is shut down, False if it is still up after `grace_s`."""
    deadline = time.monotonic() + grace_s
    while rclpy.ok():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)
    return True
