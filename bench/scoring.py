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


def best_rates(count: int, run) -> tuple[float, float]:
    """Administrations per second from the fastest of a few runs: wall clock and CPU time.

    CPU time stays meaningful on a shared machine, where other processes inflate wall time.
    """
    wall, cpu = [], []
    for _ in range(REPEATS):
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - wall_start)
        cpu.append(time.process_time() - cpu_start)
    return count / min(wall), count / min(cpu)


def main() -> None:
    rng = np.random.default_rng(2024)
    batch = random_answers(BATCH_ADMINISTRATIONS, rng)
    singles = as_mappings(batch[:SINGLE_ADMINISTRATIONS])
    batch_rates = best_rates(BATCH_ADMINISTRATIONS, lambda: score_batch(batch))
    single_rates = best_rates(SINGLE_ADMINISTRATIONS, lambda: [score_one(answers) for answers in singles])
    check_same_results(batch[:SINGLE_ADMINISTRATIONS], singles)
    print(f"{'':26}{'wall clock':>14}{'CPU time':>14}  (administrations/s)")
    report("batch path", BATCH_ADMINISTRATIONS, batch_rates)
    report("per-administration path", SINGLE_ADMINISTRATIONS, single_rates)
    print(f"{'ratio':26}{batch_rates[0] / single_rates[0]:>13,.0f}x{batch_rates[1] / single_rates[1]:>13,.0f}x")


def report(label: str, count: int, rates: tuple[float, float]) -> None:
    print(f"{label:26}{rates[0]:>14,.0f}{rates[1]:>14,.0f}  ({count:,} administrations, 10% items missing)")


def check_same_results(answers: np.ndarray, singles: list[dict]) -> None:
    batch = score_batch(answers)
    for index in range(0, len(singles), 997):
        for code, score in score_one(singles[index]).items():
            expected = batch[code][index]
            if not (score is None and np.isnan(expected)) and score != expected:
                raise SystemExit(f"batch and single paths differ: row {index}, {code}")


if __name__ == "__main__":
    main()
