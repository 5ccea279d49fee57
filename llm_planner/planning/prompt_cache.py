"""The evaluated prompt prefix on disk, so a planner starts in seconds instead of re-reading its prompt.

Evaluating the fixed prefix (rules, examples, known places: about 1,700 tokens) is most of a
planner's start: 26 s on 2 cores, against 2 s to load the model. llama.cpp saves one sequence's KV
cache to a file and loads it back (`llama_state_seq_save_file`, `llama_state_seq_load_file`); the
result is the state evaluation would have left, so plans are the same (test_prompt_cache checks the
logits). A file is named by a hash of everything the state depends on: the model file (path, size,
modification time), the context size, the llama-cpp-python version and the prefix tokens, and the
tokens stored in it are compared on load, so a stale or foreign file is never used. Files are
written to a temporary name and renamed (two planners may share the directory), and only the
`keep` most recently used are kept. Any failure costs only the time: the prefix is evaluated.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
from pathlib import Path

KEEP = 8  # files kept: a few models and sets of places
SUFFIX = ".kv"


def default_directory() -> Path:
    """$XDG_CACHE_HOME/llm_planner/prompts (~/.cache/llm_planner/prompts)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "llm_planner" / "prompts"


class PromptCache:
    """Saved prefixes of one model in one context size."""

    def __init__(self, directory: Path, model_path: Path, n_ctx: int, keep: int = KEEP) -> None:
        import llama_cpp

        self.directory, self.keep = directory, keep
        stat = model_path.stat()
        self._identity = f"{model_path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{n_ctx}|{llama_cpp.__version__}"

    def path(self, tokens: list[int]) -> Path:
        digest = hashlib.sha256(self._identity.encode())
        digest.update(ctypes.string_at((ctypes.c_int32 * len(tokens))(*tokens), 4 * len(tokens)))
        return self.directory / (digest.hexdigest()[:32] + SUFFIX)

    def load(self, llm, tokens: list[int]) -> bool:
        """Put the saved state of `tokens` into `llm` (a llama_cpp.Llama); False when there is none."""
        import llama_cpp

        path = self.path(tokens)
        if not path.is_file():
            return False
        stored = (llama_cpp.llama_token * len(tokens))()
        count = ctypes.c_size_t(0)
        llm._ctx.kv_cache_seq_rm(-1, 0, -1)
        read = llama_cpp.llama_state_seq_load_file(llm._ctx.ctx, str(path).encode(), 0, stored, len(tokens),
                                                   ctypes.byref(count))
        if not read or count.value != len(tokens) or list(stored) != tokens:
            llm._ctx.kv_cache_seq_rm(-1, 0, -1)
            llm.n_tokens = 0
            return False
        llm.input_ids[:len(tokens)] = tokens
        llm.n_tokens = len(tokens)
        path.touch()  # most recently used
        return True

    def save(self, llm, tokens: list[int]) -> bool:
        """Save the state of `tokens`, which `llm` has just evaluated (its first len(tokens) positions)."""
        import llama_cpp

        if llm.n_tokens < len(tokens) or list(llm.input_ids[:len(tokens)]) != tokens:
            return False
        path = self.path(tokens)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            written = llama_cpp.llama_state_seq_save_file(llm._ctx.ctx, str(temporary).encode(), 0,
                                                          (llama_cpp.llama_token * len(tokens))(*tokens), len(tokens))
            if not written:
                return False
            os.replace(temporary, path)
        except OSError:
            return False
        finally:
            temporary.unlink(missing_ok=True)
        self._prune()
        return True

    def _prune(self) -> None:
        """Remove all but the `keep` most recently used files (another planner may be pruning too)."""
        used = []
        for file in self.directory.glob("*" + SUFFIX):
            try:
                used.append((file.stat().st_mtime_ns, file))
            except FileNotFoundError:
                continue
        for _, old in sorted(used, reverse=True)[self.keep:]:
            old.unlink(missing_ok=True)
