"""Constant arrays for the vectorised QLQ-C30 core, derived once from the instrument data.

The scales are reordered so that the 13 summary scales come first (5 functional, then 8
symptom scales), followed by QL2 and FI. Per-scale constants are (15, 1) columns, to
broadcast against (15, rows) arrays.
"""
import numpy as np

from pro_app.instruments.qlq_c30 import ITEM_COUNT, SCALES_BY_CODE, SUMMARY_SCALES

SCALE_ORDER = SUMMARY_SCALES + ("QL2", "FI")
_SCALES = [SCALES_BY_CODE[code] for code in SCALE_ORDER]


def _column(values) -> np.ndarray:
    return np.array(values, dtype=np.float64).reshape(-1, 1)


def _item_scale_matrix() -> np.ndarray:
    """(15, 30) matrix with a 1 where an item belongs to a scale."""
    matrix = np.zeros((len(_SCALES), ITEM_COUNT))
    for row, scale in enumerate(_SCALES):
        matrix[row, [number - 1 for number in scale.items]] = 1.0
    return matrix


ITEM_SCALE_MATRIX = _item_scale_matrix()
ITEM_COUNTS = _column([len(scale.items) for scale in _SCALES])
MAX_MISSING = _column([len(scale.items) - scale.min_answered for scale in _SCALES])
RANGES = _column([scale.response_scale.range for scale in _SCALES])
# Functional scales: 1 - fraction; others: 0 + fraction (the formula picks the direction).
_FUNCTIONAL = [scale.kind == "functional" for scale in _SCALES]
BASE = _column([1.0 if functional else 0.0 for functional in _FUNCTIONAL])
SIGN = _column([-1.0 if functional else 1.0 for functional in _FUNCTIONAL])
