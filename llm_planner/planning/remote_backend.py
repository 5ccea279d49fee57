"""The LLM engine on a shared inference server that speaks the OpenAI HTTP API.

For a fleet, or a robot whose computer is too small for the model it needs: the
planner sends the same prompt to `POST {url}/chat/completions` with the plan
language's GBNF grammar (llama.cpp's llama-server and `python -m llama_cpp.server`
honour the `grammar` field), streams the answer, and checks every piece against the
same `Language` the local decoder uses. A server that ignores the grammar, answers
garbage, is down or too slow ends the task with a `RemoteError` and its reason,
never with a plan: validation and limits stay on the robot.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

from llm_planner.plan.language import Language

# Chat-template control tokens look like <|im_end|>; a server tokenizes the prompt with them
# enabled, so a task could close the user turn early. Breaking "<|" keeps the text readable.
_CONTROL_OPEN = "<|"
# The warm-up request makes a cold server evaluate the whole fixed prompt (seconds on a CPU,
# more when busy); no robot waits on it, so it may take far longer than a task.
WARM_UP_TIMEOUT_S = 120.0


class RemoteError(RuntimeError):
    """The server could not give a plan; `reason` is machine-readable (goes on planner/status)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def _neutralize(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    """The task (last message) with chat control-token openers broken up; the fixed prompt unchanged."""
    *head, task = messages
    return [*head, {**task, "content": task["content"].replace(_CONTROL_OPEN, "< |")}]


class OpenAIBackend:
    """Plans on an OpenAI-compatible server: constrained by grammar there, checked again here.

    Retries: the client retries a request that failed before any answer arrived (connection
    refused, HTTP 408/409/429/5xx, a timeout) `max_retries` times with exponential back-off
    starting at 0.5 s. Once the answer is streaming it is never retried (steps may already
    have been handed on); `timeout_s` bounds each attempt from request to last piece.
    """

    def __init__(self, url: str, model: str = "", api_key_env: str = "", timeout_s: float = 10.0,
                 max_retries: int = 1) -> None:
        import openai

        self.url = url.rstrip("/")
        self.model = model or "default"
        self.timeout_s = timeout_s
        key = os.environ.get(api_key_env, "") if api_key_env else ""
        self._client = openai.OpenAI(base_url=self.url, api_key=key or "unused", max_retries=max_retries)

    def stream(self, messages: list[dict[str, str]], language: Language, max_tokens: int,
               timeout_s: float | None = None) -> Iterator[str]:
        """The answer's pieces as they arrive; `timeout_s` (default: the backend's) bounds the attempt."""
        import openai

        timeout_s = timeout_s or self.timeout_s
        started = time.monotonic()
        try:
            response = self._client.chat.completions.create(
                model=self.model, messages=_neutralize(messages), max_tokens=max_tokens, temperature=0.0,
                stream=True, extra_body={"grammar": language.grammar()},
                timeout=openai.Timeout(timeout_s, connect=min(timeout_s, 3.0)),
            )
        except openai.APITimeoutError as error:
            raise RemoteError("server_timeout", f"{self.url}: no answer within {timeout_s} s") from error
        except openai.APIConnectionError as error:
            raise RemoteError("server_unreachable", f"{self.url}: {error.__cause__ or error}") from error
        except openai.APIStatusError as error:
            raise RemoteError("server_error", f"{self.url}: HTTP {error.status_code}: {error.message}") from error
        text, finish = "", None
        with response:
            try:
                for chunk in response:
                    if time.monotonic() - started > timeout_s:
                        raise RemoteError("server_timeout", f"{self.url}: plan not finished within {timeout_s} s")
                    if not chunk.choices:
                        continue
                    choice = chunk.choices[0]
                    piece = (choice.delta.content or "") if choice.delta else ""
                    finish = choice.finish_reason or finish
                    if not piece:
                        continue
                    text += piece
                    if language.status(text) == "invalid":
                        raise RemoteError("server_garbage", f"{self.url}: output outside the plan language: {text!r}")
                    yield piece
            except openai.APITimeoutError as error:
                raise RemoteError("server_timeout", f"{self.url}: answer stalled for {timeout_s} s") from error
            except (openai.APIError, ValueError) as error:  # a broken stream, or chunks that are not JSON
                raise RemoteError("server_garbage", f"{self.url}: {type(error).__name__}: {error}") from error
        if finish is None:
            # llama_cpp.server with interrupt_requests (its default) cuts a stream short when
            # another request arrives: a partial plan must never pass for a whole one.
            raise RemoteError("server_incomplete", f"{self.url}: the answer ended without a finish reason: {text!r}")

    def warm_up(self, messages: list[dict[str, str]], language: Language) -> None:
        """One short request, so the server has the fixed prompt prefix in its cache."""
        for _ in self.stream(messages, language, max_tokens=1, timeout_s=max(self.timeout_s, WARM_UP_TIMEOUT_S)):
            pass
