"""A picture of one task: where the robot walked, where the plan meant it to go, and its gestures.

A plot says at a glance what a list of poses does not (a turn the wrong way, a walk cut
short). Takes plain data (poses in the odom frame, x and y in m, yaw in rad), no ROS, and
draws without a display (matplotlib's Agg canvas, no pyplot state), at a fixed size.
"""

from __future__ import annotations

import math
import textwrap
import unicodedata
import warnings
from collections.abc import Sequence
from pathlib import Path

from matplotlib import font_manager
from matplotlib.figure import Figure

from llm_planner.plan.places import Place
from llm_planner.plan.route import Pose, moved

FIGSIZE_IN, DPI = (8.0, 6.0), 100  # 800 x 600 pixels
PATH_COLOR, PLAN_COLOR, HEADING_COLOR = "#1f77b4", "#ff7f0e", "#08306b"
GESTURE_COLOR, START_COLOR, END_COLOR = "#9467bd", "#2ca02c", "#d62728"
PLACE_COLOR = "#7f7f7f"
# Fonts with CJK glyphs, used for a task's text where installed (DejaVu Sans has none: boxes, no crash).
_FALLBACK_FONTS = ("Noto Sans CJK JP", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Droid Sans Fallback")


def _fonts() -> list[str]:
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return ["DejaVu Sans", *[name for name in _FALLBACK_FONTS if name in installed]]


def _title(task: str, width: int = 70, lines: int = 3) -> str:
    """The task wrapped to fit the figure; wide (CJK) characters take about two columns each."""
    if any(unicodedata.east_asian_width(c) in "WF" for c in task):
        width //= 2
    wrapped = textwrap.wrap(" ".join(task.split()) or "(no task text)", width)
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1] + "…"
    return "\n".join(wrapped)


def _heading_samples(path: Sequence[Pose], spacing_m: float, spacing_rad: float = math.radians(30)) -> list[Pose]:
    """Poses along the path at least spacing_m apart in distance, or spacing_rad in heading."""
    chosen = [path[0]]
    for pose in path[1:]:
        if moved(chosen[-1], pose, spacing_m, spacing_rad):
            chosen.append(pose)
    return chosen


def waypoint_labels(planned: Sequence[Pose]) -> list[tuple[str, Pose]]:
    """Step numbers at the waypoint each step ends on ('1-2' where a walk and a turn end at one spot)."""
    labels: list[tuple[list[int], Pose]] = []
    for number, pose in enumerate(planned[1:], 1):
        if labels and math.dist(labels[-1][1][:2], pose[:2]) < 1e-6:
            labels[-1][0].append(number)
        else:
            labels.append(([number], pose))
    return [(str(n[0]) if len(n) == 1 else f"{n[0]}-{n[-1]}", pose) for n, pose in labels]


def _limits(points: Sequence[tuple[float, float]]) -> tuple[tuple[float, float], tuple[float, float], float]:
    """x and y limits around all points with a margin, and the larger extent (at least 1 m)."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    pad = 0.15 * span
    return (min(xs) - pad, max(xs) + pad), (min(ys) - pad, max(ys) + pad), span


def save_plot(out: str | Path, task: str, path: Sequence[Pose], planned: Sequence[Pose] = (),
              gestures: Sequence[tuple[str, Pose]] = (), outcome: str = "", places: Sequence[Place] = ()) -> Path:
    """Draw the walked path with heading arrows, the planned waypoints, the gestures and the robot's known
    places (odom frame) that lie in view of them; write a PNG."""
    out = Path(out)
    points = [p[:2] for p in (*path, *planned, *(pose for _, pose in gestures))]
    places = [p for p in places if p.frame == "odom"]
    xlim, ylim, span = _limits(points or [(p.x, p.y) for p in places] or [(0.0, 0.0)])
    places = [p for p in places if xlim[0] <= p.x <= xlim[1] and ylim[0] <= p.y <= ylim[1]]
    fig = Figure(figsize=FIGSIZE_IN, dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    fig.suptitle(_title(task), fontsize=12, fontfamily=_fonts())
    if outcome:
        ax.set_title(outcome, fontsize=9, color="#555555")
    if path:
        ax.plot([p[0] for p in path], [p[1] for p in path], color=PATH_COLOR, linewidth=4, solid_capstyle="round",
                label="walked (from odometry)", zorder=2)
        arrows = _heading_samples(path, span / 5)
        length = 0.08 * span
        ax.quiver([p[0] for p in arrows], [p[1] for p in arrows],
                  [length * math.cos(p[2]) for p in arrows], [length * math.sin(p[2]) for p in arrows],
                  angles="xy", scale_units="xy", scale=1, color=HEADING_COLOR, width=0.003, headwidth=5,
                  headlength=6, headaxislength=5, zorder=4,
                  label="heading")
    if planned:
        ax.plot([p[0] for p in planned], [p[1] for p in planned], linestyle="--", linewidth=1.8, color=PLAN_COLOR,
                marker="o", markersize=6, markerfacecolor="white", label="planned waypoints (step numbers)", zorder=3)
        for text, pose in waypoint_labels(planned):
            ax.annotate(text, pose[:2], xytext=(8, -14), textcoords="offset points", color=PLAN_COLOR, fontsize=9,
                        fontweight="bold")
    for index, place in enumerate(places):
        ax.plot(place.x, place.y, marker="s", markersize=9, color=PLACE_COLOR, linestyle="none", zorder=1,
                label="known place" if index == 0 else None)
        ax.annotate(place.name, (place.x, place.y), xytext=(6, 6), textcoords="offset points", color=PLACE_COLOR,
                    fontsize=9)
    for index, (name, pose) in enumerate(gestures):
        ax.plot(pose[0], pose[1], marker="*", markersize=18, color=GESTURE_COLOR, linestyle="none", zorder=7,
                label="gesture" if index == 0 else None)
        ax.annotate(name, pose[:2], xytext=(8, 8), textcoords="offset points", color=GESTURE_COLOR, fontsize=10)
    start = path[0] if path else (planned[0] if planned else None)
    if start is not None:
        ax.plot(start[0], start[1], marker="o", markersize=11, color=START_COLOR, linestyle="none", label="start",
                zorder=6)
    if path:
        ax.plot(path[-1][0], path[-1][1], marker="s", markersize=13, markerfacecolor="none", markeredgewidth=2.5,
                color=END_COLOR, linestyle="none", label="end", zorder=6)
    ax.update_datalim([(xlim[0], ylim[0]), (xlim[1], ylim[1])])  # margins, and room for arrows and labels
    ax.margins(0)
    ax.autoscale_view()
    ax.set_aspect("equal", adjustable="datalim")
    ax.grid(True, color="#dddddd")
    ax.set_xlabel("x (m, odom frame)")
    ax.set_ylabel("y (m, odom frame)")
    if ax.get_legend_handles_labels()[0]:
        fig.legend(loc="outside lower center", ncols=3, fontsize=9, frameon=False)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from")  # characters no installed font has
        fig.savefig(out, dpi=DPI)
    return out
