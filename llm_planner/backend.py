"""The LLM engine: llama.cpp (llama-cpp-python) running a GGUF model in-process.

The fixed prompt prefix is tokenized once and stays in llama.cpp's KV cache, so a
task costs only its own tokens plus the plan's. The task text is tokenized with
special tokens disabled: a task cannot smuggle in chat-template control tokens.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)
_SENTINEL = "\u2063TASK\u2063"


class Backend(Protocol):
    """What the planner needs from an engine."""

    def stream(self, messages: list[dict[str, str]], grammar: str, max_tokens: int) -> Iterator[str]:
        """Yield the constrained completion of the chat piece by piece."""
        ...


class LlamaBackend:
    """llama-cpp-python with prefix caching, greedy decoding and a GBNF grammar."""

    def __init__(self, model_path: Path, n_threads: int = 2, n_ctx: int = 2048) -> None:
        from llama_cpp import Llama
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        started = time.monotonic()
        self.model_path = Path(model_path)
        self._llm = Llama(
            model_path=str(model_path), n_ctx=n_ctx, n_threads=n_threads, n_threads_batch=n_threads,
            n_batch=512, verbose=False,
        )
        template = self._llm.metadata.get("tokenizer.chat_template")
        if not template:
            raise ValueError(f"{model_path} has no chat template; use an instruction-tuned GGUF")
        eos, bos = self._llm.token_eos(), self._llm.token_bos()
        self._formatter = Jinja2ChatFormatter(
            template=template,
            eos_token=self._llm._model.token_get_text(eos) if eos != -1 else "",
            bos_token=self._llm._model.token_get_text(bos) if bos != -1 else "",
        )
        self._grammars: dict[str, object] = {}
        self._prefix: tuple[str, list[int], str] | None = None
        self.load_s = time.monotonic() - started
        self.last_prompt_tokens = 0
        self.last_output_tokens = 0

    def _tokens(self, messages: list[dict[str, str]]) -> list[int]:
        """Prompt tokens: the cached prefix tokens + the task (no special tokens) + the template's tail."""
        head_messages = messages[:-1]
        task = messages[-1]["content"]
        key = repr(head_messages)
        if self._prefix is None or self._prefix[0] != key:
            rendered = self._formatter(messages=[*head_messages, {"role": "user", "content": _SENTINEL}]).prompt
            head, tail = rendered.split(_SENTINEL)
            self._prefix = (key, self._llm.tokenize(head.encode(), add_bos=False, special=True), tail)
        _, prefix_tokens, tail = self._prefix
        return (
            prefix_tokens
            + self._llm.tokenize(task.encode(), add_bos=False, special=False)
            + self._llm.tokenize(tail.encode(), add_bos=False, special=True)
        )

    def _grammar(self, text: str):
        from llama_cpp import LlamaGrammar

        if text not in self._grammars:
            self._grammars[text] = LlamaGrammar.from_string(text, verbose=False)
        return self._grammars[text]

    def stream(self, messages: list[dict[str, str]], grammar: str, max_tokens: int) -> Iterator[str]:
        tokens = self._tokens(messages)
        self.last_prompt_tokens = len(tokens)
        self.last_output_tokens = 0
        chunks = self._llm.create_completion(
            tokens, grammar=self._grammar(grammar), max_tokens=max_tokens, temperature=0.0, stream=True,
        )
        for chunk in chunks:
            self.last_output_tokens += 1
            yield chunk["choices"][0]["text"]

    def warm_up(self, messages: list[dict[str, str]], grammar: str) -> None:
        """Evaluate the fixed prefix now, so the first real task pays only for itself."""
        for _ in self.stream(messages, grammar, max_tokens=1):
            pass


def open_backend(model_path: str | None, model_sha256: str | None, n_threads: int, n_ctx: int) -> LlamaBackend:
    """Resolve (assembling the packaged default if needed), verify and load the model."""
    from llm_planner.model_store import resolve

    path, _digest = resolve(model_path, model_sha256)
    return LlamaBackend(path, n_threads=n_threads, n_ctx=n_ctx)
