"""QLQ-C30 scoring of a CSV file: one row per administration, columns q1..q30."""
import re

import numpy as np

from pro_app.instruments.qlq_c30 import ITEM_IDS, ITEMS, SCORE_CODES, Item
from pro_app.scoring.csv_io import InputProblems, Table, header_problems, parse_rows, render
from pro_app.scoring.qlq_c30 import score_batch

_WHOLE_NUMBER = re.compile(r"[+-]?\d+(\.0*)?")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def score_qlq_c30_table(table: Table) -> str:
    """The input table plus the 16 score columns, as CSV text; raises InputProblems."""
    parsers = {item.id: _answer_parser(item) for item in ITEMS}
    rows, problems = parse_rows(table, parsers)
    problems = header_problems(table.header, ITEM_IDS, SCORE_CODES) + problems
    if problems:
        raise InputProblems(problems)
    answers = np.array([[row[item_id] for item_id in ITEM_IDS] for row in rows], dtype=np.float64)
    scores = score_batch(answers.reshape(-1, len(ITEM_IDS)))
    columns = [scores[code].tolist() for code in SCORE_CODES]
    return render(table, SCORE_CODES, list(zip(*columns)))


def _answer_parser(item: Item):
    low, high = item.response_scale.low, item.response_scale.high

    def parse(text: str) -> float:
        if not text:
            return np.nan
        if not _WHOLE_NUMBER.fullmatch(text):
            kind = "not a whole number" if _NUMBER.fullmatch(text) else "not a number"
            raise ValueError(f"{text!r} is {kind}; expected {low}..{high}, or empty when missing")
        if not low <= float(text) <= high:
            raise ValueError(f"{text!r} is outside the range of item {item.number}, {low}..{high}")
        return float(text)

    return parse
