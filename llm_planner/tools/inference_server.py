"""A shared inference server for `backend: openai`: llama-cpp-python's OpenAI-compatible server.

`python -m llm_planner serve` runs `python -m llama_cpp.server` on the packaged default
model (verified by its SHA-256) or any GGUF, with the settings planners need when they
share it: `interrupt_requests` off, so one robot's request never cuts another's plan short.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from llm_planner.planning.model_store import resolve
from llm_planner.planning.settings import DEFAULT_N_CTX


def server_command(model_path: str | None, host: str, port: int, n_threads: int, n_ctx: int,
                   api_key: str | None = None) -> list[str]:
    """The llama_cpp.server command line for the model (resolved and verified now)."""
    path, _digest = resolve(model_path, None)
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(path), "--host", host, "--port", str(port),
               "--n_ctx", str(n_ctx), "--n_threads", str(n_threads), "--n_threads_batch", str(n_threads),
               "--interrupt_requests", "False"]
    if api_key:
        command += ["--api_key", api_key]
    return command


def free_port() -> int:
    """A TCP port nobody listens on now (for tests and benchmarks on 127.0.0.1)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ready(url: str, timeout_s: float, process: subprocess.Popen | None = None, api_key: str | None = None) -> bool:
    """True once GET {url}/models answers with a model list; False on timeout or if `process` exits."""
    deadline = time.monotonic() + timeout_s
    request = urllib.request.Request(f"{url}/models")
    if api_key:
        request.add_header("Authorization", f"Bearer {api_key}")
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(request, timeout=1.0) as answer:
                if json.load(answer).get("data"):
                    return True
        except (OSError, urllib.error.URLError, ValueError):
            pass
        time.sleep(0.2)
    return False


def start_server(model_path: str | None = None, port: int | None = None, n_threads: int = 2, n_ctx: int = DEFAULT_N_CTX,
                 api_key: str | None = None, log=subprocess.DEVNULL) -> tuple[subprocess.Popen, str]:
    """Start a server on 127.0.0.1 and wait until it answers; returns (process, API base URL)."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}/v1"
    process = subprocess.Popen(server_command(model_path, "127.0.0.1", port, n_threads, n_ctx, api_key),
                               stdout=log, stderr=log)
    if not wait_ready(url, 120.0, process, api_key):
        process.kill()
        process.wait()
        raise RuntimeError(f"llama_cpp.server did not come up on {url} (exit code {process.returncode})")
    return process, url


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
