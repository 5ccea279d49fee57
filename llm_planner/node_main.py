"""The one `main` every node runs: init, spin until Ctrl-C or SIGTERM, shut down cleanly."""

from __future__ import annotations

from collections.abc import Callable

import rclpy
from rclpy.executors import ExternalShutdownException
from rclpy.node import Node


def spin_node(make_node: Callable[[], Node], args: list[str] | None = None) -> None:
    """Run one node; a shutdown by signal exits 0 (launch and the tests rely on it)."""
    rclpy.init(args=args)
    node = make_node()
    try:
        rclpy.spin(node)
    except (KeyboardInterrupt, ExternalShutdownException):
        pass
    except RuntimeError:
        if rclpy.ok():
            raise
        # Ctrl-C shut the context down while the executor was taking a message (rclpy's signal
        # handling races the take under load): that is a normal shutdown, not a failure
    finally:
        node.destroy_node()
        rclpy.try_shutdown()
