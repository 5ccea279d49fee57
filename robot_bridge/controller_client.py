"""Request/response calls and observed state of a controller, independent of the transport.

The bridge node feeds responses and state messages in from ROS callbacks; the plan
runs in its own thread and blocks here on a matched response (by identity.id) or on
the observed state reaching a condition, each with a timeout.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable

from pydantic import ValidationError

from robot_bridge.protocol import Code, ControllerState, Request, Response


class ControllerError(RuntimeError):
    """A call or a confirmation that failed; `code` is a protocol code or our own reason string."""

    def __init__(self, code: int | str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


class ControllerClient:
    """Thread-safe: `send` is called from the plan thread, `on_*` from ROS callbacks."""

    def __init__(self, send: Callable[[str, str], None], state_timeout_s: float = 0.5) -> None:
        self._send = send
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[threading.Event, list[Response]]] = {}
        self._lock = threading.Lock()
        self._state_changed = threading.Condition()
        self.state: ControllerState | None = None
        self.state_received = 0.0
        self.state_timeout_s = state_timeout_s

    # --- transport side -------------------------------------------------
    def on_response(self, text: str) -> None:
        try:
            response = Response.model_validate_json(text)
        except ValidationError:
            return
        with self._lock:
            waiter = self._pending.pop(response.header.identity.id, None)
        if waiter is not None:
            waiter[1].append(response)
            waiter[0].set()

    def on_state(self, text: str) -> None:
        try:
            state = ControllerState.model_validate_json(text)
        except ValidationError:
            return
        with self._state_changed:
            self.state = state
            self.state_received = time.monotonic()
            self._state_changed.notify_all()

    # --- plan side ------------------------------------------------------
    def send(self, service: str, api_id: int, parameter: dict | None = None) -> int:
        """Fire a request without waiting (motion refreshes); returns its id."""
        request_id = next(self._ids)
        self._send(service, Request.make(request_id, api_id, parameter).model_dump_json())
        return request_id

    def call(self, service: str, api_id: int, parameter: dict | None = None, timeout: float = 1.0) -> Response:
        """Send and wait for the matching response; raises ControllerError on timeout or non-zero code."""
        request_id = next(self._ids)
        event, box = threading.Event(), []
        with self._lock:
            self._pending[request_id] = (event, box)
        self._send(service, Request.make(request_id, api_id, parameter).model_dump_json())
        if not event.wait(timeout):
            with self._lock:
                self._pending.pop(request_id, None)
            raise ControllerError(Code.TIMEOUT, f"{service} api {api_id}: no response within {timeout:.1f} s")
        response = box[0]
        if response.code != Code.OK:
            raise ControllerError(response.code, f"{service} api {api_id} answered code {response.code}")
        return response

    def fresh_state(self) -> ControllerState:
        """The latest state, or ControllerError('state_stale') when none arrived recently."""
        with self._state_changed:
            if self.state is None or time.monotonic() - self.state_received > self.state_timeout_s:
                raise ControllerError("state_stale", f"no controller/state for {self.state_timeout_s} s")
            return self.state

    def wait_until(self, predicate: Callable[[ControllerState], bool], timeout: float,
                   cancelled: threading.Event | None = None) -> ControllerState:
        """Block until the observed state satisfies `predicate`; ControllerError on timeout or staleness."""
        deadline = time.monotonic() + timeout
        while True:
            state = self.fresh_state()
            if predicate(state):
                return state
            if cancelled is not None and cancelled.is_set():
                raise ControllerError("cancelled", "cancelled")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ControllerError("not_confirmed", "the controller acknowledged but its state never confirmed it")
            with self._state_changed:
                self._state_changed.wait(min(remaining, 0.1))
