"""A figure of the report: one measured quantity for Trainbook and its peer, the ratio, and
the target the ratio (or Trainbook's value) must meet."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field


def median(values: list[float]) -> float | None:
    """The median of the finite values, or None when there are none."""
    finite = [value for value in values if value is not None and math.isfinite(value)]
    return statistics.median(finite) if finite else None


def quantile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank quantile (0…1) of the finite values, or None when there are none."""
    ordered = sorted(value for value in values if value is not None and math.isfinite(value))
    if not ordered:
        return None
    return ordered[min(max(round(fraction * (len(ordered) - 1)), 0), len(ordered) - 1)]


def rotations(names: list[str], runs: int) -> list[list[str]]:
    """The order of the contestants in each run: rotated by one each run, so that every one
    takes every position and slow drift of the machine falls on all of them alike."""
    return [names[run % len(names) :] + names[: run % len(names)] for run in range(runs)]


@dataclass
class Figure:
    """One row of the table.

    `trainbook` and `peer` are the medians shown; `samples` keeps every run's value. With
    `max_ratio`, the target is trainbook / peer ≤ max_ratio (lower is better: times, memory);
    with `min_value`, Trainbook's own value must reach it (accuracy); with `max_value`, Trainbook's
    own value must not exceed it (a regret no worse than the peer's within the standard error).
    """

    key: str
    group: str
    name: str
    unit: str
    trainbook: float | None
    peer_name: str
    peer: float | None
    max_ratio: float | None = None
    min_value: float | None = None
    max_value: float | None = None
    note: str = ""
    samples: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.trainbook is None or self.peer is None or self.peer == 0:
            return None
        return self.trainbook / self.peer

    @property
    def target(self) -> str:
        if self.max_ratio is not None:
            return f"≤ {self.max_ratio:g}×"
        if self.min_value is not None:
            return f"≥ {format_value(self.min_value, self.unit)}"
        if self.max_value is not None:
            return f"≤ {format_value(self.max_value, self.unit)}"
        return ""

    @property
    def met(self) -> bool | None:
        """Whether the target is met; None without a target or without the values it needs."""
        if self.max_ratio is not None:
            ratio = self.ratio
            return None if ratio is None else ratio <= self.max_ratio
        if self.min_value is not None:
            return None if self.trainbook is None else self.trainbook >= self.min_value
        if self.max_value is not None:
            return None if self.trainbook is None else self.trainbook <= self.max_value
        return None

    def as_json(self) -> dict:
        return {
            "key": self.key, "group": self.group, "name": self.name, "unit": self.unit,
            "trainbook": self.trainbook, "peer_name": self.peer_name, "peer": self.peer,
            "ratio": self.ratio, "target": self.target or None, "met": self.met,
            "note": self.note or None, "samples": self.samples,
        }  # fmt: skip


def format_value(value: float | None, unit: str) -> str:
    """A value with three significant digits and its unit ("0.981 s", "7.66 ms", "951 MiB")."""
    if value is None:
        return "—"
    if unit == "":
        return f"{value:.3f}"
    magnitude = abs(value)
    text = f"{value:.3g}" if magnitude < 1000 else f"{value:,.0f}"
    if "e" in text:
        text = f"{value:.2e}"
    return f"{text} {unit}"


def format_ratio(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:.2f}×"
