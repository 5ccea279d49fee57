"""A process exit (status 0) after a delay that fires even while the interpreter is stuck inside C code.

A node's teardown once hung inside rcl's node fini (DDS) while holding the GIL, so a Python watchdog
thread (threading.Timer) never woke, and the node was killed with -9 ten seconds after its SIGINT.
A POSIX timer whose expiry runs `_exit(0)` on a thread of the C library's own needs no Python at
all. faulthandler's own watchdog would also fire, but it exits with status 1, which launch and our
tests read as a crash; a stopped node whose teardown hangs has done its work and exits 0.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable

_CLOCK_MONOTONIC = 1
_SIGEV_THREAD = 2  # the expiry calls a function on a new thread (glibc and musl)


class _SigEvent(ctypes.Structure):
    """struct sigevent on Linux (64 bytes on x86_64 and aarch64), its SIGEV_THREAD member spelled out."""

    _fields_ = [
        ("value", ctypes.c_void_p),  # union sigval: the one argument the function is called with
        ("signo", ctypes.c_int),
        ("notify", ctypes.c_int),
        ("function", ctypes.c_void_p),
        ("attributes", ctypes.c_void_p),
        ("_pad", ctypes.c_byte * 32),
    ]


class _TimeSpec(ctypes.Structure):
    _fields_ = [("seconds", ctypes.c_long), ("nanoseconds", ctypes.c_long)]


class _TimerSpec(ctypes.Structure):
    _fields_ = [("interval", _TimeSpec), ("value", _TimeSpec)]


def _libc() -> ctypes.CDLL:
    """The C library holding timer_create (librt before glibc 2.34)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if hasattr(libc, "timer_create"):
        return libc
    return ctypes.CDLL(ctypes.util.find_library("rt"), use_errno=True)


def exit_after(seconds: float) -> Callable[[], None]:
    """Arm an exit with status 0 in `seconds`; returns the call that disarms it."""
    libc = _libc()
    event = _SigEvent(value=0, notify=_SIGEV_THREAD, function=ctypes.cast(libc._exit, ctypes.c_void_p).value)
    timer = ctypes.c_void_p()
    if libc.timer_create(_CLOCK_MONOTONIC, ctypes.byref(event), ctypes.byref(timer)) != 0:
        raise OSError(ctypes.get_errno(), "timer_create failed")
    whole = int(seconds)
    spec = _TimerSpec(value=_TimeSpec(whole, int((seconds - whole) * 1e9)))
    if libc.timer_settime(timer, 0, ctypes.byref(spec), None) != 0:
        libc.timer_delete(timer)
        raise OSError(ctypes.get_errno(), "timer_settime failed")
    return lambda: libc.timer_delete(timer)
