"""The prompt cache: a prefix loaded from disk is the state evaluating it leaves (the real model),
a file is never used for another model, context or prefix, a damaged one is ignored, and few are kept."""

from __future__ import annotations

import os

import numpy as np
import pytest

from llm_planner.planning import model_store, prompt
from llm_planner.planning.backend import LlamaBackend
from llm_planner.planning.planner import Planner
from llm_planner.planning.prompt_cache import SUFFIX, PromptCache

TASKS = ["walk forward two meters then wave", "turn left 90 degrees", "swim across the lake"]


@pytest.fixture(scope="module")
def two_planners(tmp_path_factory) -> tuple[Planner, Planner, PromptCache]:
    """One planner that evaluated its prefix (and saved it), one that loaded it."""
    path, _digest = model_store.resolve(None, None)
    cache = PromptCache(tmp_path_factory.mktemp("prompts"), path, 2048)
    evaluated = Planner(LlamaBackend(path, prompt_cache=cache))
    evaluated.warm_up()
    loaded = Planner(LlamaBackend(path, prompt_cache=cache))
    loaded.warm_up()
    return evaluated, loaded, cache


def logits_after(backend: LlamaBackend, task: str) -> np.ndarray:
    tokens = backend._tokens(prompt.messages(task))
    backend._llm.n_tokens = len(backend._prefix[1])
    backend._llm.eval(tokens[backend._llm.n_tokens:])
    return np.ctypeslib.as_array(backend._llm._ctx.get_logits(), shape=(backend._n_vocab,)).copy()


@pytest.mark.model
def test_a_loaded_prefix_is_the_state_evaluation_leaves(two_planners) -> None:
    evaluated, loaded, cache = two_planners
    assert not evaluated.backend.prefix_from_cache and loaded.backend.prefix_from_cache
    assert len(list(cache.directory.glob("*" + SUFFIX))) == 1
    for task in TASKS:
        np.testing.assert_allclose(logits_after(loaded.backend, task), logits_after(evaluated.backend, task),
                                   rtol=0, atol=1e-3, err_msg=task)
        assert loaded.plan(task).plan_object() == evaluated.plan(task).plan_object(), task
        assert loaded.backend.last_uncached_tokens < 40  # only the task was evaluated, not the prefix


@pytest.mark.model
def test_a_damaged_or_foreign_file_is_not_used(two_planners) -> None:
    _, loaded, cache = two_planners
    prefix = loaded.backend._prefix[1]
    file = cache.path(prefix)
    saved = file.read_bytes()
    try:
        file.write_bytes(saved[: len(saved) // 3])  # cut short, as by a full disk
        assert not cache.load(loaded.backend._llm, prefix) and loaded.backend._llm.n_tokens == 0
        file.write_bytes(b"\0" * 4096)
        assert not cache.load(loaded.backend._llm, prefix) and loaded.backend._llm.n_tokens == 0
        file.write_bytes(saved)
        other = cache.path(prefix[:-1])
        other.write_bytes(saved)  # a file whose tokens are not the ones asked for
        assert not cache.load(loaded.backend._llm, prefix[:-1]) and loaded.backend._llm.n_tokens == 0
        other.unlink()
        assert cache.load(loaded.backend._llm, prefix) and loaded.backend._llm.n_tokens == len(prefix)
    finally:
        file.write_bytes(saved)
    assert loaded.plan(TASKS[0]).state == "planned"


def test_a_file_is_named_for_the_model_the_context_and_the_prefix(tmp_path) -> None:
    model = tmp_path / "model.gguf"
    model.write_bytes(b"one")
    names = {PromptCache(tmp_path, model, 2048).path([1, 2, 3]), PromptCache(tmp_path, model, 4096).path([1, 2, 3]),
             PromptCache(tmp_path, model, 2048).path([1, 2, 4])}
    model.write_bytes(b"other")  # another model file under the same name
    names.add(PromptCache(tmp_path, model, 2048).path([1, 2, 3]))
    assert len(names) == 4


def test_only_the_most_recently_used_files_are_kept(tmp_path) -> None:
    model = tmp_path / "model.gguf"
    model.write_bytes(b"m")
    cache = PromptCache(tmp_path / "prompts", model, 2048, keep=3)
    cache.directory.mkdir()
    for age in range(6):
        old = cache.directory / f"{age}{SUFFIX}"
        old.write_bytes(b"x")
        os.utime(old, ns=(age * 10**9, age * 10**9))
    cache._prune()
    assert sorted(f.name for f in cache.directory.iterdir()) == [f"{age}{SUFFIX}" for age in (3, 4, 5)]
