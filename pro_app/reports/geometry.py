"""Coordinates for the hand-written SVG charts: pure arithmetic, no drawing library."""
from __future__ import annotations

from dataclasses import dataclass

from .data import Series

WIDTH, HEIGHT = 320, 170
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 14, 34
# Visit labels are centred under their point: the plot leaves room for half of the first and
# last label, measured generously (0.62 em a character at 11 px), so that "Mois 12" is never cut.
LABEL_EM, LABEL_FONT = 0.62, 11


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    value: float
    flagged: bool
    prorated: bool


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    segments: list[str]  # polyline point lists; a missing visit breaks the line
    markers: list[Marker]
    y_ticks: list[tuple[float, str]]
    x_labels: list[tuple[float, str]]
    threshold_y: float | None
    plot: tuple[float, float, float, float]  # left, top, right, bottom


def _x(index: int, count: int, left: float = LEFT, right: float = RIGHT) -> float:
    span = WIDTH - left - right
    return left + (span / 2 if count == 1 else span * index / (count - 1))


def label_width(label: str) -> float:
    return len(label) * LABEL_EM * LABEL_FONT


def _margins(labels: list[str]) -> tuple[float, float]:
    """Left and right plot margins wide enough for the first and last visit labels."""
    if len(labels) < 2:
        return LEFT, RIGHT
    return max(LEFT, label_width(labels[0]) / 2 + 2), max(RIGHT, label_width(labels[-1]) / 2 + 2)


def _y(value: float, maximum: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / maximum)


def line_chart(series: Series, visit_labels: list[str], ticks: tuple[float, ...]) -> LineChart:
    count = len(series.points)
    left, right = _margins(visit_labels)
    segments, current, markers = [], [], []
    for index, point in enumerate(series.points):
        if point.value is None:
            segments, current = _close(segments, current), []
            continue
        x, y = _x(index, count, left, right), _y(point.value, series.maximum)
        current.append(f"{x:.1f},{y:.1f}")
        markers.append(Marker(x, y, point.value, bool(point.flags), point.prorated))
    segments = _close(segments, current)
    threshold = None if series.threshold is None else _y(series.threshold, series.maximum)
    return LineChart(WIDTH, HEIGHT, segments, markers,
                     [(_y(tick, series.maximum), f"{tick:g}") for tick in ticks],
                     [(_x(index, count, left, right), label) for index, label in enumerate(visit_labels)],
                     threshold, (left, TOP, WIDTH - right, HEIGHT - BOTTOM))


def _close(segments: list[str], current: list[str]) -> list[str]:
    return segments + [" ".join(current)] if len(current) > 1 else segments


@dataclass(frozen=True)
class Bar:
    y: float
    label: str
    parts: list[tuple[str, float, float, int]]  # (timing, x, width, count)


BAR_HEIGHT, BAR_GAP, BAR_LEFT, BAR_WIDTH = 22, 10, 110, 420


def stacked_bars(rows, order: tuple[str, ...], labels: list[str]) -> tuple[list[Bar], int]:
    """One horizontal bar per visit, split by timing, each as wide as its share of the visit."""
    bars = []
    for index, (row, label) in enumerate(zip(rows, labels)):
        x, parts = BAR_LEFT, []
        for timing in order:
            count = row.counts.get(timing, 0)
            width = BAR_WIDTH * count / row.total if row.total else 0
            if count:
                parts.append((timing, x, width, count))
            x += width
        bars.append(Bar(10 + index * (BAR_HEIGHT + BAR_GAP), label, parts))
    return bars, 20 + len(rows) * (BAR_HEIGHT + BAR_GAP)
