"""The LLM engine: llama.cpp (llama-cpp-python) running a GGUF model in-process.

The fixed prompt prefix is tokenized once and stays in llama.cpp's KV cache, so a
task costs only its own tokens plus the plan's; the evaluated prefix is also kept on disk
(prompt_cache.py), so a restart does not evaluate it again. The task text is tokenized with
special tokens disabled: a task cannot smuggle in chat-template control tokens. Where the plan language
leaves only one token possible (the space before a number, a number's only grounded digits, a line's end),
that token is taken without sampling and evaluated in one batch with the token before it: one pass of
the model instead of one per token, and the same plan, since greedy decoding had no other choice there.
"""

from __future__ import annotations

import string
import time
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Protocol

import numpy as np

from llm_planner.plan.language import Language
from llm_planner.planning.prompt_cache import PromptCache, default_directory
from llm_planner.planning.settings import DEFAULT_END_BIAS, DEFAULT_N_CTX, PlannerSettings

_TOP_K = 64
_SENTINEL = "\u2063TASK\u2063"
_ALPHABET = string.printable  # every character the plan language has (test_plan_text checks the grammar's)
_MOST_FORCED = 8  # tokens taken without sampling in a row, at most


class ContextFull(ValueError):
    """The prompt, the task and the longest plan do not fit the context window: the task is too long to read."""

    reason = "task_too_long"


class Backend(Protocol):
    """What the planner needs from an engine."""

    def stream(self, messages: list[dict[str, str]], language: Language, max_tokens: int) -> Iterator[str]:
        """Yield the completion of the chat, constrained to the plan language, piece by piece."""
        ...


class LlamaBackend:
    """llama-cpp-python with prefix caching, greedy decoding and a GBNF grammar."""

    def __init__(self, model_path: Path, n_threads: int = 2, n_ctx: int = DEFAULT_N_CTX,
                 end_bias: float = DEFAULT_END_BIAS, prompt_cache: PromptCache | None = None,
                 force_tokens: bool = True) -> None:
        import llama_cpp
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
        self._pieces: dict[int, str | None] = {}
        self._n_vocab = self._llm.n_vocab()
        vocab = self._llm._model.vocab
        self._end_tokens = frozenset(t for t in (eos, self._llm._model.token_eot()) if t != -1) | frozenset(
            t for t in range(self._n_vocab) if llama_cpp.llama_vocab_is_eog(vocab, t))
        self._end_bias = end_bias
        self._end_ids = np.fromiter(self._end_tokens, dtype=np.intp)
        self._prefix: tuple[str, list[int], str] | None = None
        self._cache = prompt_cache
        self._force = force_tokens
        self.prefix_from_cache = False  # whether the last warm-up loaded the prefix from the prompt cache
        self.load_s = time.monotonic() - started
        self.last_uncached_tokens = 0
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

    def _piece(self, token: int) -> str | None:
        """The text of one token, or None for control tokens and partial UTF-8 (never valid plan text)."""
        if token not in self._pieces:
            try:
                text = self._llm.detokenize([token]).decode("utf-8")
            except UnicodeDecodeError:
                text = ""
            self._pieces[token] = text or None
        return self._pieces[token]

    def _choose(self, logits: np.ndarray, text: str, language: Language) -> int | None:
        """Greedy under the plan language: the highest-scoring token that keeps `text` a plan prefix.

        Scans candidates best first, so the result equals grammar-constrained greedy decoding,
        but usually checks only a few tokens instead of filtering the whole vocabulary.
        Returns None to end the output (an end-of-generation token, only after a whole plan).
        `end_bias` is added to the end tokens' scores first (in place: the next eval rewrites them):
        a small model tends to append a step nobody asked for rather than stop.
        """
        if self._end_bias:
            logits[self._end_ids] += self._end_bias
        top = np.argpartition(-logits, _TOP_K)[:_TOP_K]
        ranked = [top[np.argsort(-logits[top])], None]
        for candidates in ranked:
            if candidates is None:
                candidates = np.argsort(-logits)[_TOP_K:]
            for token in candidates.tolist():
                if token in self._end_tokens:
                    if language.status(text) == "complete":
                        return None
                    continue
                piece = self._piece(token)
                if piece is not None and language.status(text + piece) != "invalid":
                    return token
        return None

    @cached_property
    def _single_tokens(self) -> tuple[dict[str, int], frozenset[str]]:
        """The one token of each character that has exactly one, and the first two characters of every longer
        token: a character is forced only where no longer token could start with it and stay in the language."""
        ids: dict[str, list[int]] = {}
        starts = set()
        for token in range(self._n_vocab):
            piece = self._piece(token)
            if piece is not None and len(piece) == 1:
                ids.setdefault(piece, []).append(token)
            elif piece is not None:
                starts.add(piece[:2])
        return {piece: found[0] for piece, found in ids.items() if len(found) == 1}, frozenset(starts)

    def _forced(self, text: str, language: Language) -> list[int]:
        """The tokens that must follow `text`: each the only token that keeps the plan in its language."""
        single, starts = self._single_tokens
        forced: list[int] = []
        while len(forced) < _MOST_FORCED and language.status(text) == "prefix":
            possible = [c for c in _ALPHABET if language.status(text + c) != "invalid"]
            if len(possible) != 1 or possible[0] not in single:
                break
            char = possible[0]
            if any(char + c in starts and language.status(text + char + c) != "invalid" for c in _ALPHABET):
                break
            forced.append(single[char])
            text += char
        return forced

    def _cached(self, tokens: list[int], limit: int) -> int:
        """How many of the first `limit` tokens the KV cache already holds (its common prefix with them)."""
        llm, common = self._llm, 0
        limit = min(llm.n_tokens, limit)
        while common < limit and llm.input_ids[common] == tokens[common]:
            common += 1
        return common

    def stream(self, messages: list[dict[str, str]], language: Language, max_tokens: int) -> Iterator[str]:
        llm = self._llm
        tokens = self._tokens(messages)
        if len(tokens) + max_tokens > llm.n_ctx():
            raise ContextFull(f"the prompt and the task are {len(tokens)} tokens; with a plan of up to {max_tokens} "
                              f"they need more than the context's {llm.n_ctx()} (n_ctx)")
        common = self._cached(tokens, len(tokens) - 1)  # evaluate at least one token so the logits are fresh
        llm.n_tokens = common
        self.last_uncached_tokens = len(tokens) - common
        self.last_output_tokens = 0
        llm.eval(tokens[common:])
        text = ""
        while self.last_output_tokens < max_tokens:
            logits = np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(self._n_vocab,))
            token = self._choose(logits, text, language)
            if token is None:
                return
            batch = [token]
            text += self._pieces[token]
            if self._force:
                batch += self._forced(text, language)[:max_tokens - self.last_output_tokens - 1]
                text += "".join(self._pieces[forced] for forced in batch[1:])
            for taken in batch:
                self.last_output_tokens += 1
                yield self._pieces[taken]
            llm.eval(batch)

    def warm_up(self, messages: list[dict[str, str]], language: Language) -> None:
        """Have the fixed prefix evaluated now, so the first real task pays only for itself: from the
        prompt cache if it holds it, else evaluated (only past what is cached in memory) and saved."""
        llm = self._llm
        if self._force:
            self._single_tokens  # noqa: B018 - read the vocabulary now (0.4 s), not on the first task
        self._tokens(messages)
        prefix = self._prefix[1]
        common = self._cached(prefix, len(prefix))
        self.prefix_from_cache = False
        if common == len(prefix):
            return
        if self._cache is not None and self._cache.load(llm, prefix):
            self.prefix_from_cache = True
            return
        llm.n_tokens = common
        llm.eval(prefix[common:])
        if self._cache is not None:
            self._cache.save(llm, prefix)


def check_engine(model_path: Path, tokens: int = 64) -> float:
    """Evaluate one batch of `tokens` with the model; return the seconds it took.

    A single token takes another code path than a batch: a llama.cpp built for a CPU that advertises AMX
    but runs in a virtual machine that does not enable it loads, answers one token, then dies on the
    first batch. Setup runs this to find out, in a process of its own."""
    from llama_cpp import Llama

    llm = Llama(model_path=str(model_path), n_ctx=512, n_batch=512, verbose=False)
    batch = llm.tokenize(("walk forward one meter, then turn left " * tokens).encode())[:tokens]
    started = time.monotonic()
    llm.eval(batch)
    return time.monotonic() - started


def open_backend(settings: PlannerSettings) -> LlamaBackend:
    """Resolve (assembling the packaged default if needed), verify and load the settings' model."""
    from llm_planner.planning.model_store import resolve

    path, _digest = resolve(settings.model_path, settings.model_sha256)
    cache = None
    if settings.prompt_cache:
        cache = PromptCache(Path(settings.prompt_cache_dir).expanduser() if settings.prompt_cache_dir
                            else default_directory(), path, settings.n_ctx)
    return LlamaBackend(path, n_threads=settings.n_threads, n_ctx=settings.n_ctx, end_bias=settings.end_bias,
                        prompt_cache=cache)
