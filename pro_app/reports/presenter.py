"""Charts ready for the templates: geometry plus the accessible title and description."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ..exports.labels import TIMINGS
from ..templating import score_number
from .data import CompletionRow, Series
from .geometry import LineChart, line_chart, stacked_bars
from .labels import flag_text, scale_title, timing_label, visit_label

PERCENT_TICKS = (0, 25, 50, 75, 100)
MMSE_TICKS = (0, 10, 20, 30)


@dataclass
class Figure:
    id: str
    title: str
    description: str
    chart: LineChart
    rows: list[tuple[str, str, str]]  # visit, value, flags
    direction: str


def qlq_figure(series: Series) -> Figure:
    title = _("%(scale)s across visits", scale=scale_title(series.code))
    direction = _("Higher is better.") if series.higher_is_better else _("Higher means more symptoms.")
    return _figure(f"c30-{series.code.lower()}", title, direction, series, PERCENT_TICKS)


def mmse_figure(series: Series) -> Figure:
    return _figure("mmse-total", _("MMSE total across visits"), _("Out of 30; higher is better."), series,
                   MMSE_TICKS)


def _figure(identifier: str, title: str, direction: str, series: Series, ticks) -> Figure:
    labels = [visit_label(point.visit_code) for point in series.points]
    rows = [(label, _shown(point), "; ".join(flag_text(rule, threshold) for rule, threshold in point.flags))
            for label, point in zip(labels, series.points)]
    description = " ".join([direction] + [_describe(row) for row in rows])
    return Figure(identifier, title, description, line_chart(series, labels, ticks), rows, direction)


def _shown(point) -> str:
    if point.value is None:
        return _("no value")
    if point.prorated:
        return _("%(value)s (prorated, not a total)", value=score_number(point.value))
    return score_number(point.value)


def _describe(row: tuple[str, str, str]) -> str:
    visit, value, flags = row
    if flags:
        return _("%(visit)s: %(value)s, flagged: %(flags)s.", visit=visit, value=value, flags=flags)
    return _("%(visit)s: %(value)s.", visit=visit, value=value)


@dataclass
class CompletionChart:
    instrument: str
    title: str
    description: str
    rows: list[CompletionRow]
    labels: list[str]
    bars: list
    height: int

    @property
    def labelled(self) -> list[tuple[str, CompletionRow]]:
        return list(zip(self.labels, self.rows))


def completion_chart(instrument: str, title: str, rows: list[CompletionRow]) -> CompletionChart:
    labels = [visit_label(row.visit_code) for row in rows]
    bars, height = stacked_bars(rows, TIMINGS, labels)
    parts = []
    for label, row in zip(labels, rows):
        counts = ", ".join(f"{timing_label(t)} {row.counts[t]}" for t in TIMINGS if row.counts.get(t))
        parts.append(_("%(visit)s: %(counts)s.", visit=label, counts=counts or _("none")))
    return CompletionChart(instrument, title, " ".join(parts), rows, labels, bars, height)
