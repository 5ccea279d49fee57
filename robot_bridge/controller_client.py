"""Request/response calls and observed state of a controller, independent of the transport.

The bridge node feeds responses and the assembled robot state in from ROS callbacks; the plan
runs in its own thread and blocks here on a matched response (by identity id, unique per request
as the vendor's client makes them: monotonic nanoseconds) or on the observed state reaching a
condition, each with a timeout. Queries (`query`) answer to a callback instead: the bridge polls
the FSM that way when `sportmodestate` is silent.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from robot_bridge.protocol import Code, ControllerState, Request, Response


class ControllerError(RuntimeError):
    """A call or a confirmation that failed; `code` is a protocol code or our own reason string."""

    def __init__(self, code: int | str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


class ControllerClient:
    """Thread-safe: `send` is called from the plan thread, `on_*` from ROS callbacks."""

    def __init__(self, send: Callable[[str, Request], None], state_timeout_s: float = 0.5) -> None:
        self._send = send
        self._last_id = 0
        self._pending: dict[int, tuple[threading.Event, list[Response]]] = {}
        self._queries: dict[int, tuple[float, Callable[[Response], None]]] = {}  # id -> (sent at, on answer)
        self._sent: dict[int, tuple[float, str]] = {}  # `send` requests awaiting their answer: id -> (sent at, what)
        self._sent_error: ControllerError | None = None
        self._lock = threading.Lock()
        self._gate = threading.Lock()  # a cancellable call's check-and-send vs `interrupt`
        self._state_changed = threading.Condition()
        self.state: ControllerState | None = None
        self.state_received = 0.0
        self.state_timeout_s = state_timeout_s
        self.answered = threading.Event()  # any response seen: the response path is connected
        self._unseen: Callable[[ControllerState], bool] | None = None  # what would show the last `interrupt`

    def _next_id(self) -> int:
        """A fresh identity id: monotonic nanoseconds, as the vendor's client, and never repeated."""
        with self._lock:
            self._last_id = max(self._last_id + 1, time.monotonic_ns())
            return self._last_id

    # --- transport side -------------------------------------------------
    def on_response(self, response: Response) -> None:
        self.answered.set()
        with self._lock:
            query = self._queries.pop(response.header.identity.id, None)
            waiter = self._pending.pop(response.header.identity.id, None)
            sent = self._sent.pop(response.header.identity.id, None)
            if sent is not None and response.code != Code.OK and self._sent_error is None:
                self._sent_error = ControllerError(response.code, f"{sent[1]} answered code {response.code}")
        if waiter is not None:
            waiter[1].append(response)
            waiter[0].set()
        if query is not None and response.code == Code.OK:
            query[1](response)

    def on_state(self, state: ControllerState) -> None:
        with self._state_changed:
            self.state = state
            self.state_received = time.monotonic()
            if self._unseen is not None and self._unseen(state):
                self._unseen = None
            self._state_changed.notify_all()

    # --- plan side ------------------------------------------------------
    def send(self, service: str, api_id: int, parameter: dict | None = None) -> int:
        """Fire a request without blocking (motion refreshes); returns its id.

        Its answer is still awaited: `check_sent` raises for a non-zero code or a missing answer.
        """
        request_id = self._next_id()
        with self._lock:
            self._sent[request_id] = (time.monotonic(), f"{service} api {api_id}")
        self._send(service, Request.make(request_id, api_id, parameter))
        return request_id

    def query(self, service: str, api_id: int, on_answer: Callable[[Response], None], timeout: float) -> None:
        """Ask without waiting: `on_answer` gets a code-0 response; unanswered queries are dropped after `timeout`."""
        request_id = self._next_id()
        now = time.monotonic()
        with self._lock:
            for late in [i for i, (at, _) in self._queries.items() if now - at > timeout]:
                del self._queries[late]
            self._queries[request_id] = (now, on_answer)
        self._send(service, Request.make(request_id, api_id))

    def forget_sent(self) -> None:
        """Stop awaiting the answers of earlier `send`s (a new control loop starts clean)."""
        with self._lock:
            self._sent.clear()
            self._sent_error = None

    def check_sent(self, timeout: float) -> None:
        """ControllerError for a `send` answered with a non-zero code or unanswered for `timeout` s."""
        with self._lock:
            error, self._sent_error = self._sent_error, None
            now = time.monotonic()
            late = [what for sent_at, what in self._sent.values() if now - sent_at > timeout]
            if error is None and late:
                error = ControllerError(Code.TIMEOUT, f"{late[0]}: no response within {timeout:.1f} s")
            if error is not None:
                self._sent.clear()
        if error is not None:
            raise error

    def await_sent(self, timeout: float, cancelled: threading.Event | None = None) -> None:
        """Wait until every `send` is answered with code 0; ControllerError otherwise."""
        while True:
            if cancelled is not None and cancelled.is_set():
                raise ControllerError("cancelled", "cancelled")
            self.check_sent(timeout)
            with self._lock:
                if not self._sent:
                    return
            time.sleep(0.01)

    def call(self, service: str, api_id: int, parameter: dict | None = None, timeout: float = 1.0,
             cancelled: threading.Event | None = None) -> Response:
        """Send and wait for the matching response; raises ControllerError on timeout or non-zero code.

        With `cancelled`: nothing is sent once it is set (see `interrupt`), and the wait ends when it is set.
        """
        request_id = self._next_id()
        event, box = threading.Event(), []
        with self._lock:
            self._pending[request_id] = (event, box)
        try:
            with self._gate:
                if cancelled is not None and cancelled.is_set():
                    raise ControllerError("cancelled", "cancelled")
                self._send(service, Request.make(request_id, api_id, parameter))
            deadline = time.monotonic() + timeout
            while not event.wait(min(0.05, max(0.0, deadline - time.monotonic()))):
                if cancelled is not None and cancelled.is_set():
                    raise ControllerError("cancelled", "cancelled")
                if time.monotonic() >= deadline:
                    raise ControllerError(Code.TIMEOUT, f"{service} api {api_id}: no response within {timeout:.1f} s")
        finally:
            with self._lock:
                self._pending.pop(request_id, None)
        response = box[0]
        if response.code != Code.OK:
            raise ControllerError(response.code, f"{service} api {api_id} answered code {response.code}")
        return response

    def fresh_state(self) -> ControllerState:
        """The latest state, or ControllerError('state_stale') when none arrived recently."""
        with self._state_changed:
            if self.state is None:
                raise ControllerError("state_stale", "no robot state yet (odometry with a known FSM)")
            if time.monotonic() - self.state_received > self.state_timeout_s:
                raise ControllerError("state_stale", f"no robot state (odometry with a fresh FSM) for "
                                      f"{self.state_timeout_s} s")
            return self.state

    def await_fresh_state(self, timeout: float, cancelled: threading.Event | None = None) -> ControllerState:
        """Like `fresh_state`, but give the state stream `timeout` s to (re)appear before a step commands anything.

        A bridge that has just started may get a plan before DDS has matched its state subscription.
        """
        deadline = time.monotonic() + timeout
        while True:
            if cancelled is not None and cancelled.is_set():
                raise ControllerError("cancelled", "cancelled")
            try:
                return self.fresh_state()
            except ControllerError:
                if time.monotonic() >= deadline:
                    raise
            with self._state_changed:
                self._state_changed.wait(min(0.05, max(0.0, deadline - time.monotonic())))

    def interrupt(self, cancelled: threading.Event | None, service: str, api_id: int, parameter: dict | None = None,
                  shows: Callable[[ControllerState], bool] | None = None) -> None:
        """Send one request (the e-stop's Damp) and set `cancelled` at once: no `call` made with it follows.

        `shows`: the state that shows the request took effect; until one arrives, `settled_state` waits for it.
        """
        with self._gate:
            with self._state_changed:
                self._unseen = shows
            self.send(service, api_id, parameter)
            if cancelled is not None:
                cancelled.set()

    def settled_state(self, timeout: float, cancelled: threading.Event | None = None) -> ControllerState:
        """The latest state once it shows the last `interrupt`: a plan sent just after an e-stop's reset can
        reach the bridge before the robot's next FSM report, and a state from before the Damp says locomotion."""
        unseen = self._unseen
        if unseen is None:
            return self.fresh_state()
        return self.wait_until(unseen, timeout, cancelled, "the e-stop's Damp")

    def wait_until(self, predicate: Callable[[ControllerState], bool], timeout: float,
                   cancelled: threading.Event | None = None, expected: str = "the requested state") -> ControllerState:
        """Block until the observed state satisfies `predicate`; ControllerError on timeout or staleness."""
        deadline = time.monotonic() + timeout
        while True:
            if cancelled is not None and cancelled.is_set():
                raise ControllerError("cancelled", "cancelled")
            state = self.fresh_state()
            if predicate(state):
                return state
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ControllerError(
                    "not_confirmed",
                    f"acknowledged, but {expected} was not observed within {timeout:.1f} s (robot reports fsm "
                    f"{state.fsm_id}, mode {state.fsm_mode}, arm action {state.arm_action.id})")
            with self._state_changed:
                self._state_changed.wait(min(remaining, 0.1))
