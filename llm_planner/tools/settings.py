"""Node settings as pydantic models: one definition gives ROS parameters, YAML and CLI defaults.

Imports neither ROS nor anything of ours beyond pydantic, so command-line tools read
the same `config/*.yaml` files the nodes get as ROS parameter files.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel

S = TypeVar("S", bound=BaseModel)

PACKAGE = "llm_planner"


def config_dir() -> Path:
    """`config/` of a source checkout, else the installed package share directory."""
    source = Path(__file__).resolve().parents[2] / "config"
    if source.is_dir():
        return source
    try:
        from ament_index_python.packages import get_package_share_directory

        return Path(get_package_share_directory(PACKAGE)) / "config"
    except Exception:  # noqa: BLE001 - no ament index: fall back to the source layout
        return source


def yaml_parameters(path: Path, node_name: str) -> dict:
    """The `ros__parameters` of `node_name` (keyed plainly, `/name`, `/**/name` or `/**`) in a ROS 2 parameter file."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    merged: dict = {}
    for key in ("/**", node_name, f"/{node_name}", f"/**/{node_name}"):
        section = document.get(key) or {}
        merged.update(section.get("ros__parameters") or {})
    return merged


def load_settings(model: type[S], node_name: str, path: Path | None = None, **overrides: object) -> S:
    """Settings for a node without ROS: model defaults < config file < explicit overrides."""
    path = path or config_dir() / f"{node_name}.yaml"
    values = yaml_parameters(path, node_name) if path.is_file() else {}
    values = {k: v for k, v in values.items() if k in model.model_fields}
    values.update({k: v for k, v in overrides.items() if v is not None})
    return model(**values)
