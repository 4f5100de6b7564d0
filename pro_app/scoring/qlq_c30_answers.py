"""Checking QLQ-C30 answers before scoring: out-of-range values are rejected, never clipped."""
import math
from collections.abc import Mapping
from numbers import Real

import numpy as np

from pro_app.instruments.qlq_c30 import ITEM_COUNT, ITEMS

_LOW = np.array([item.response_scale.low for item in ITEMS], dtype=np.float64)
_HIGH = np.array([item.response_scale.high for item in ITEMS], dtype=np.float64)
_LOWS = _LOW.tolist()  # plain floats: scalar comparisons on numpy arrays are slow
_HIGHS = _HIGH.tolist()
_REPORTED_PROBLEMS = 5


def check_batch(answers: np.ndarray, first_row: int = 0) -> None:
    """Raise ValueError unless every answer is NaN or a whole number in the item's range."""
    valid = (answers >= _LOW) & (answers <= _HIGH) & (np.rint(answers) == answers)
    if np.count_nonzero(valid) + np.count_nonzero(np.isnan(answers)) == answers.size:
        return
    rows, columns = np.nonzero(~valid & ~np.isnan(answers))
    problems = [
        f"row index {first_row + row}, {_problem(column, float(answers[row, column]))}"
        for row, column in zip(rows[:_REPORTED_PROBLEMS], columns[:_REPORTED_PROBLEMS])
    ]
    more = f" (and {len(rows) - _REPORTED_PROBLEMS} more)" if len(rows) > _REPORTED_PROBLEMS else ""
    raise ValueError(f"{len(rows)} invalid QLQ-C30 answer(s): " + "; ".join(problems) + more)


def _problem(column: int, value: Real) -> str:
    item = ITEMS[column]
    allowed = f"{item.response_scale.low}..{item.response_scale.high}"
    if not float(value).is_integer() and math.isfinite(value):
        return f"item {item.id}: {value!r} is not a whole number in {allowed}"
    return f"item {item.id}: {value!r} is outside {allowed}"


def answers_row(answers: Mapping[str | int, object]) -> np.ndarray:
    """A (1, 30) array from {"q1": 2, ...} or {1: 2, ...}; absent items and None are NaN."""
    row = [math.nan] * ITEM_COUNT
    seen = set()
    for key, value in answers.items():
        number = item_number(key)
        if number in seen:
            raise ValueError(f"item q{number} is given twice (key {key!r})")
        seen.add(number)
        row[number - 1] = _answer_value(number, value)
    return np.array([row])


_ITEM_KEYS = {**{f"q{n}": n for n in range(1, ITEM_COUNT + 1)}, **{n: n for n in range(1, ITEM_COUNT + 1)}}


def item_number(key: str | int) -> int:
    """1..30 from an item key such as "q12", "Q12" or 12."""
    number = _ITEM_KEYS.get(key.strip().lower() if isinstance(key, str) else key)
    if number is None or isinstance(key, bool):
        raise ValueError(f"unknown QLQ-C30 item {key!r}: expected q1..q{ITEM_COUNT} or 1..{ITEM_COUNT}")
    return number


def _answer_value(number: int, value: object) -> float:
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"item q{number}: {value!r} is not a number")
    if math.isnan(value):
        return math.nan
    if not float(value).is_integer() or not _LOWS[number - 1] <= value <= _HIGHS[number - 1]:
        raise ValueError(_problem(number - 1, value))
    return float(value)
