"""The planner's settings: the model, the engine and the limits it validates against.

Its own module so the planner and the engines it opens both import it, and neither imports the other.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from llm_planner.plan.limits import Limits

# Added to the end-of-generation scores. A small model tends to append a step nobody asked
# for ("... and wave") rather than stop. 3 fixed 4 and broke 2 of the 110 held-out 2-3 tasks, and
# took held-out 4 (written later) from 50/60 to 53/60 (README, "Measured").
DEFAULT_END_BIAS = 3.0
# The prompt alone is about 2000 tokens: room for it, a long task (2000 characters of Devanagari are
# about as many tokens) and the plan.
DEFAULT_N_CTX = 4096


def at_start(default: object, description: str, **constraints: object):
    """A setting read once, when the engine starts: as a ROS parameter it is read-only, so a
    run-time change is refused with a reason instead of being accepted and silently ignored."""
    return Field(default, description=description, json_schema_extra={"read_only": True}, **constraints)


class PlannerSettings(Limits):
    """Planner node settings: the model, the engine and the limits it validates against."""

    model_path: str | None = at_start(None, "GGUF file to load; empty = the packaged default model")
    model_sha256: str | None = at_start(None, "expected SHA-256 of model_path; empty = not checked")
    n_threads: int = at_start(2, "CPU threads for llama.cpp", ge=1, le=64)
    n_ctx: int = at_start(DEFAULT_N_CTX, "context window in tokens", ge=512, le=32768)
    end_bias: float = at_start(
        DEFAULT_END_BIAS, "added to the end-of-plan score: favours stopping over appending unrequested steps "
        "(backend local)", ge=0, le=20)
    prompt_cache: bool = at_start(
        True, "keep the evaluated prompt prefix on disk, so the next start loads it in about a second instead of "
        "evaluating it (about 25 s on 2 cores; backend local)")
    prompt_cache_dir: str = at_start("", "where; empty = $XDG_CACHE_HOME/llm_planner/prompts (~/.cache)")
    max_tokens: int = Field(96, ge=8, le=1024, description="most tokens the model may write for one plan")
    max_task_chars: int = Field(2000, ge=10, le=100000, description="longer tasks are rejected unread")
    queue_depth: int = Field(32, ge=1, le=1024, description="tasks waiting beyond this are dropped with a status")
    normalize_task: bool = Field(
        True, description="rewrite number words as digits and units as metres, degrees, seconds before the model")
    ground_numbers: bool = Field(
        True, description="a plan may only use the task's own numbers (after normalize_task) and 90, 180, 360")
    ground_gestures: bool = Field(
        True, description="a plan may hold only the gestures the task has words for (any after a greeting, a hand)")
    ground_stops: bool = Field(
        True, description="a plan may hold a stop only if the task has a word that may ask for one (stop, halt, still)")
    screen_hazards: bool = Field(
        True, description="refuse a task that names a hazard (edge, stairs, running, jumping...) before the model")
    stream_steps: bool = Field(True, description="publish each valid step as soon as it is decoded (final=false)")
    backend: Literal["local", "openai"] = at_start(
        "local", "local: llama.cpp in this process; openai: an OpenAI-compatible server at openai_url")
    openai_url: str = at_start("http://127.0.0.1:8080/v1", "the server's API base URL (backend openai)")
    openai_model: str = at_start("", "model name sent to the server; empty = the server's default")
    openai_api_key_env: str = at_start(
        "LLM_PLANNER_API_KEY", "environment variable holding the server's API key (never a parameter)")
    openai_timeout_s: float = at_start(10.0, "most seconds one attempt may take", gt=0, le=300)
    openai_max_retries: int = at_start(
        1, "retries of a request that failed before its answer began streaming", ge=0, le=10)

    @field_validator("model_path", "model_sha256", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """ROS parameters and YAML have no null: an empty string means unset."""
        return None if value == "" else value
