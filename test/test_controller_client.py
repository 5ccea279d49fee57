"""The bridge's controller client without ROS: responses matched by id, timeouts, codes, cancellation."""

from __future__ import annotations

import threading
import time

import pytest

from robot_bridge.controller_client import ControllerClient, ControllerError
from robot_bridge.protocol import SPORT, Code, ControllerState, Request, Response


class Transport:
    """Records what the client sends; answers each request after `delay` with `code` unless told not to."""

    def __init__(self, code: int = Code.OK, delay: float | None = 0.0) -> None:
        self.code, self.delay = code, delay
        self.sent: list[Request] = []
        self.client = ControllerClient(self.send)

    def send(self, _service: str, request: Request) -> None:
        self.sent.append(request)
        if self.delay is not None:
            answer = Response.to(request, self.code)
            threading.Timer(self.delay, self.client.on_response, [answer]).start()


def test_concurrent_calls_get_their_own_responses_by_identity() -> None:
    transport = Transport(delay=None)
    results: dict[int, Response] = {}
    threads = [threading.Thread(target=lambda n=n: results.__setitem__(n, transport.client.call(SPORT, 7000 + n)))
               for n in (1, 2)]
    for thread in threads:
        thread.start()
    while len(transport.sent) < 2:
        time.sleep(0.01)
    for request in reversed(transport.sent):  # answered in the opposite order
        transport.client.on_response(Response.to(request, Code.OK, {"data": request.api_id}))
    for thread in threads:
        thread.join(2.0)
    assert {n: r.data for n, r in results.items()} == {1: '{"data": 7001}', 2: '{"data": 7002}'}


def test_identity_ids_are_monotonic_nanoseconds_never_repeated() -> None:
    """As the vendor's client makes them: a restarted bridge never reuses an id an old answer may carry."""
    transport = Transport()
    before = time.monotonic_ns()
    for _ in range(200):
        transport.client.send(SPORT, 7001)
    ids = [r.header.identity.id for r in transport.sent]
    assert ids == sorted(set(ids)) and ids[0] >= before


def test_a_query_answers_to_its_callback_and_unanswered_ones_are_dropped() -> None:
    transport = Transport(delay=None)
    answers: list[Response] = []
    transport.client.query(SPORT, 7001, answers.append, timeout=0.1)
    first = transport.sent[-1]
    time.sleep(0.15)
    transport.client.query(SPORT, 7002, answers.append, timeout=0.1)  # drops the first, now late
    transport.client.on_response(Response.to(first, Code.OK, {"data": 500}))
    transport.client.on_response(Response.to(transport.sent[-1], Code.OK, {"data": 0}))
    assert [a.header.identity.api_id for a in answers] == [7002]
    transport.client.query(SPORT, 7001, answers.append, timeout=1.0)
    transport.client.on_response(Response.to(transport.sent[-1], 7301))  # a refusal is no answer
    assert len(answers) == 1 and transport.client.answered.is_set()


def test_a_missing_answer_is_a_timeout_and_a_refusal_carries_its_code() -> None:
    with pytest.raises(ControllerError) as silent:
        Transport(delay=None).client.call(SPORT, 7101, {"data": 4}, timeout=0.2)
    assert silent.value.code == Code.TIMEOUT
    with pytest.raises(ControllerError) as refused:
        Transport(code=7404).client.call(SPORT, 7101, {"data": 4}, timeout=1.0)
    assert refused.value.code == 7404


def test_fire_and_forget_requests_are_still_checked() -> None:
    fine = Transport()
    fine.client.send(SPORT, 7105, {"velocity": [0.1, 0, 0], "duration": 0.3})
    fine.client.await_sent(1.0)  # answered 0: nothing raised
    refused = Transport(code=7301)
    refused.client.send(SPORT, 7105, {"velocity": [0.1, 0, 0], "duration": 0.3})
    with pytest.raises(ControllerError) as error:
        refused.client.await_sent(1.0)
    assert error.value.code == 7301
    silent = Transport(delay=None)
    silent.client.send(SPORT, 7105, {"velocity": [0.1, 0, 0], "duration": 0.3})
    silent.client.check_sent(0.5)  # not late yet
    time.sleep(0.25)
    with pytest.raises(ControllerError) as late:
        silent.client.check_sent(0.2)
    assert late.value.code == Code.TIMEOUT
    silent.client.send(SPORT, 7105, {"velocity": [0.0, 0, 0], "duration": 0.3})
    silent.client.forget_sent()
    silent.client.check_sent(0.0)  # forgotten


def test_after_an_interrupt_no_cancellable_call_goes_out() -> None:
    transport = Transport()
    cancelled = threading.Event()
    transport.client.interrupt(cancelled, SPORT, 7101, {"data": 1})
    assert cancelled.is_set() and [r.params() for r in transport.sent] == [{"data": 1}]
    with pytest.raises(ControllerError) as error:
        transport.client.call(SPORT, 7101, {"data": 4}, cancelled=cancelled)
    assert error.value.code == "cancelled" and len(transport.sent) == 1


def test_cancelling_ends_the_wait_for_an_answer_at_once() -> None:
    transport = Transport(delay=None)
    cancelled = threading.Event()
    threading.Timer(0.1, cancelled.set).start()
    began = time.monotonic()
    with pytest.raises(ControllerError) as error:
        transport.client.call(SPORT, 7101, {"data": 4}, timeout=5.0, cancelled=cancelled)
    assert error.value.code == "cancelled" and time.monotonic() - began < 1.0


def test_an_unconfirmed_state_says_what_was_expected_and_what_was_seen() -> None:
    client = Transport().client
    state = ControllerState(stamp=0.0, fsm_id=1, position=[0, 0, 0], velocity=[0, 0, 0], yaw=0.0)
    client.on_state(state)
    with pytest.raises(ControllerError) as error:
        client.wait_until(lambda s: s.fsm_id == 4, 0.2, expected="fsm 4")
    assert error.value.code == "not_confirmed"
    assert "fsm 4 was not observed" in str(error.value) and "robot reports fsm 1" in str(error.value)
    time.sleep(0.6)
    with pytest.raises(ControllerError) as stale:
        client.fresh_state()
    assert stale.value.code == "state_stale"


def test_a_step_waits_briefly_for_the_state_stream_then_says_it_never_came() -> None:
    client = Transport().client
    with pytest.raises(ControllerError) as never:
        client.await_fresh_state(0.2)
    assert never.value.code == "state_stale" and "yet" in str(never.value)
    state = ControllerState(stamp=0.0, fsm_id=500, position=[0, 0, 0], velocity=[0, 0, 0], yaw=0.0)
    threading.Timer(0.2, client.on_state, [state]).start()
    started = time.monotonic()
    assert client.await_fresh_state(2.0).fsm_id == 500
    assert time.monotonic() - started < 1.5  # returned when the state came, not at the deadline
    cancelled = threading.Event()
    cancelled.set()
    with pytest.raises(ControllerError) as stopped:
        client.await_fresh_state(2.0, cancelled)
    assert stopped.value.code == "cancelled"


def test_after_an_interrupt_posture_is_decided_from_a_state_that_shows_it() -> None:
    """A plan just after an e-stop's reset may beat the robot's next FSM report: the old state says locomotion."""
    client = Transport().client
    walking, damped = (ControllerState(stamp=0.0, fsm_id=fsm, position=[0, 0, 0], velocity=[0, 0, 0], yaw=0.0)
                       for fsm in (500, 1))
    client.on_state(walking)
    assert client.settled_state(0.1).fsm_id == 500  # nothing interrupted: the latest state stands
    client.interrupt(None, SPORT, 7101, {"data": 1}, shows=lambda s: s.fsm_id == 1)
    client.on_state(walking)  # a report from before the Damp took effect
    threading.Timer(0.2, client.on_state, [damped]).start()
    assert client.settled_state(2.0).fsm_id == 1
    client.on_state(walking)  # shown once: later states are taken as they come (someone stood it up)
    assert client.settled_state(0.1).fsm_id == 500
    client.interrupt(None, SPORT, 7101, {"data": 1}, shows=lambda s: s.fsm_id == 1)
    client.on_state(walking)
    with pytest.raises(ControllerError) as ignored:  # a robot that never shows the Damp is not driven
        client.settled_state(0.2)
    assert ignored.value.code == "not_confirmed" and "the e-stop's Damp" in str(ignored.value)
