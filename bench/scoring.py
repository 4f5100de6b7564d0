"""Benchmark of the QLQ-C30 scoring core: the batch path against one call per administration.

Run with `python bench/scoring.py`. BLAS is limited to one thread, to measure one core.
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pro_app.instruments.qlq_c30 import ITEM_IDS, ITEMS  # noqa: E402
from pro_app.scoring.qlq_c30 import score_batch, score_one  # noqa: E402

BATCH_ADMINISTRATIONS = 1_000_000
SINGLE_ADMINISTRATIONS = 20_000
MISSING_SHARE = 0.10
REPEATS = 3


def random_answers(count: int, rng: np.random.Generator) -> np.ndarray:
    highs = np.array([item.response_scale.high for item in ITEMS])
    answers = rng.integers(1, highs + 1, size=(count, len(ITEMS))).astype(np.float64)
    answers[rng.random(answers.shape) < MISSING_SHARE] = np.nan
    return answers


def as_mappings(answers: np.ndarray) -> list[dict[str, int | None]]:
    return [
        {item_id: None if np.isnan(value) else int(value) for item_id, value in zip(ITEM_IDS, row)}
        for row in answers
    ]


def best_rate(count: int, run) -> float:
    """Administrations per second, from the fastest of a few runs."""
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return count / min(timings)


def main() -> None:
    rng = np.random.default_rng(2024)
    batch = random_answers(BATCH_ADMINISTRATIONS, rng)
    singles = as_mappings(batch[:SINGLE_ADMINISTRATIONS])
    batch_rate = best_rate(BATCH_ADMINISTRATIONS, lambda: score_batch(batch))
    single_rate = best_rate(SINGLE_ADMINISTRATIONS, lambda: [score_one(answers) for answers in singles])
    check_same_results(batch[:SINGLE_ADMINISTRATIONS], singles)
    print(f"batch path:              {batch_rate:>12,.0f} administrations/s ({BATCH_ADMINISTRATIONS:,} scored)")
    print(f"per-administration path: {single_rate:>12,.0f} administrations/s ({SINGLE_ADMINISTRATIONS:,} scored)")
    print(f"ratio:                   {batch_rate / single_rate:>12,.1f}x")


def check_same_results(answers: np.ndarray, singles: list[dict]) -> None:
    batch = score_batch(answers)
    for index in range(0, len(singles), 997):
        for code, score in score_one(singles[index]).items():
            expected = batch[code][index]
            if not (score is None and np.isnan(expected)) and score != expected:
                raise SystemExit(f"batch and single paths differ: row {index}, {code}")


if __name__ == "__main__":
    main()
