"""MMSE scoring of a CSV file: one row per administration, one column per item.

Cells: 0 or 1 for scored items; the numbers said for serial7_1..5 and the letters said for
spelling ("-": attempted, no answer); NA or NA:<reason> for not administrable (upper-case NA:
"na" in the spelling column is letters said); empty for missing. An optional
registration_trials column (1..6) is checked and passed through.
"""
import re

from pro_app.instruments.mmse import (
    ITEM_CODES, NO_ANSWER, NOT_ADMINISTRABLE_REASONS, REGISTRATION_TRIALS,
    REGISTRATION_TRIALS_RANGE, SERIAL7_ITEMS, SPELLING_ITEM, NotAdministrable,
)
from pro_app.scoring.csv_io import InputProblems, Table, header_problems, parse_rows, render
from pro_app.scoring.mmse import score_mmse

OUTPUT_COLUMNS = (
    "serial7_score", "spelling_score", "attention_score", "total", "items_not_administrable",
    "total_prorated", "items_missing",
)
_NOT_ADMINISTRABLE = re.compile(r"NA(:(?P<reason>.*))?")
_INTEGER = re.compile(r"[+-]?\d+")
_REASONS = ", ".join(NOT_ADMINISTRABLE_REASONS)


def score_mmse_table(table: Table, attention_rule: str, language: str) -> str:
    """The input table plus the MMSE result columns, as CSV text; raises InputProblems."""
    rows, problems = parse_rows(table, _PARSERS)
    problems = header_problems(table.header, ITEM_CODES, OUTPUT_COLUMNS) + problems
    results = []
    for index, row in enumerate(rows):
        try:
            results.append(score_mmse(row, attention_rule, language))
        except ValueError as error:
            problems.append(f"{table.row_label(index)}: {error}")
    if problems:
        raise InputProblems(problems)
    return render(table, OUTPUT_COLUMNS, [_output_cells(result) for result in results])


def _not_administrable(text: str, expected: str) -> NotAdministrable:
    """NA or NA:<reason>; anything else is reported as not being what was `expected`."""
    match = _NOT_ADMINISTRABLE.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not {expected}, NA (not administrable) or empty (missing)")
    reason = (match["reason"] or "").strip().lower() or None
    if reason is not None and reason not in NOT_ADMINISTRABLE_REASONS:
        raise ValueError(f"{text!r}: unknown not-administrable reason; expected NA or NA:<{_REASONS}>")
    return NotAdministrable(reason)


def _binary(text: str):
    if not text:
        return None
    if text in ("0", "1"):
        return int(text)
    return _not_administrable(text, "0, 1")


def _number_said(text: str):
    if not text:
        return None
    if text == NO_ANSWER:
        return NO_ANSWER
    if _INTEGER.fullmatch(text):
        return int(text)
    return _not_administrable(text, f"the number said, {NO_ANSWER!r} (no answer)")


def _letters_said(text: str):
    if not text:
        return None
    if all(char.isalpha() or char in " -" for char in text) and text != "NA":
        return text
    return _not_administrable(text, f"the letters said ({NO_ANSWER!r}: no answer)")


def _trials(text: str):
    low, high = REGISTRATION_TRIALS_RANGE
    if not text:
        return None
    if _INTEGER.fullmatch(text) and low <= int(text) <= high:
        return int(text)
    raise ValueError(f"{text!r} is not a number of trials in {low}..{high}")


_PARSERS = {
    **{code: _binary for code in ITEM_CODES},
    **{code: _number_said for code in SERIAL7_ITEMS},
    SPELLING_ITEM: _letters_said,
    REGISTRATION_TRIALS: _trials,
}


def _output_cells(result) -> list:
    not_administrable = ";".join(
        code if reason is None else f"{code}:{reason}" for code, reason in result.items_not_administrable.items()
    )
    return [
        result.serial7_score, result.spelling_score, result.attention_score, result.total,
        not_administrable, result.total_prorated, ";".join(result.items_missing),
    ]
