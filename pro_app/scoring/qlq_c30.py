"""The one QLQ-C30 v3.0 scoring core (EORTC Scoring Manual, 3rd ed., 2001; summary score:
Giesinger et al., J Clin Epidemiol 2016;69:79-88).

`score_batch` scores many administrations at once; `score_one` wraps it for a single
administration, so both give bit-identical results. Scores keep full precision: round only
for display.
"""
import math
from collections.abc import Mapping

import numpy as np

from pro_app.instruments.qlq_c30 import ITEM_COUNT, SCORE_CODES, SUMMARY_SCALES
from pro_app.scoring.qlq_c30_answers import answers_row, check_batch
from pro_app.scoring.qlq_c30_tables import (
    BASE, ITEM_SCALE_MATRIX, ITEM_COUNTS, MAX_MISSING, RANGES, SCALE_ORDER, SIGN,
)

ALGORITHM_VERSION = "qlq-c30-v3.0/eortc-manual-2001+giesinger-2016/1"
_CHUNK_ROWS = 4096  # keeps each chunk's temporaries in the CPU cache
# A missing answer is replaced by this marker before the item sums: the sums of a scale's
# real answers never reach it, so one matrix product yields both the sum and the number of
# missing items (sum + marker x missing), exactly, since all values are small integers.
_MISSING_MARKER = 64.0
_SUMMARY_WIDTH = len(SUMMARY_SCALES)
_FUNCTIONAL_IN_SUMMARY = 5


def score_batch(answers: np.ndarray) -> dict[str, np.ndarray]:
    """Score an (n, 30) array of answers (NaN = missing) into {scale code: (n,) scores}.

    Missing scores are NaN. Raises ValueError naming the row and item of invalid answers.
    """
    values = np.asarray(answers, dtype=np.float64)
    if values.ndim != 2 or values.shape[1] != ITEM_COUNT:
        raise ValueError(f"answers must have shape (n, {ITEM_COUNT}), not {values.shape}")
    scores = np.empty((len(SCORE_CODES), len(values)))
    for start in range(0, len(values), _CHUNK_ROWS):
        chunk = values[start:start + _CHUNK_ROWS]
        check_batch(chunk, first_row=start)
        _score_chunk(chunk, scores[:, start:start + _CHUNK_ROWS])
    by_code = dict(zip(SCALE_ORDER + ("SUMMARY",), scores))
    return {code: by_code[code] for code in SCORE_CODES}


def score_one(answers: Mapping[str | int, int | None]) -> dict[str, float | None]:
    """Score one administration given as {"q1": 2, ..., "q30": None} (or {1: 2, ...}).

    Absent items and None are missing. Missing scores are None.
    """
    scores = score_batch(answers_row(answers))
    return {code: None if math.isnan(values[0]) else float(values[0]) for code, values in scores.items()}


def _score_chunk(chunk: np.ndarray, out: np.ndarray) -> None:
    marked = np.fmin(chunk, _MISSING_MARKER)  # fmin turns NaN into the marker
    totals = ITEM_SCALE_MATRIX @ marked.T
    missing = np.floor(totals / _MISSING_MARKER)
    sums = totals - _MISSING_MARKER * missing
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = sums / (ITEM_COUNTS - missing)
    scales = out[:len(SCALE_ORDER)]
    # The manual's formulas in their own order: (1 - (RS-1)/range) x 100 for functional
    # scales, (RS-1)/range x 100 otherwise, so results match other faithful scorers exactly.
    np.multiply(BASE + SIGN * ((raw - 1.0) / RANGES), 100.0, out=scales)
    np.copyto(scales, np.nan, where=missing > MAX_MISSING)
    out[-1] = _summary(scales[:_SUMMARY_WIDTH])


def _summary(scales: np.ndarray) -> np.ndarray:
    """(PF2 + ... + SF + (100 - FA) + ... + (100 - DI)) / 13, NaN when any scale is missing.

    Added term by term, left to right: numpy's sum() picks its order by array shape, which
    would let one row and a batch differ in the last bit.
    """
    total = scales[0].copy()
    for row in range(1, _SUMMARY_WIDTH):
        total += scales[row] if row < _FUNCTIONAL_IN_SUMMARY else 100.0 - scales[row]
    return total / _SUMMARY_WIDTH
