"""Every CSV file the app writes goes through here, so that no cell runs as a spreadsheet formula.

A spreadsheet runs a text cell that begins with = + - or @ as a formula (CSV injection), and
some strip leading spaces, tabs and line breaks before they look. Such a text gets a leading
apostrophe, as OWASP advises: spreadsheets then show it as text, statistics packages read the
apostrophe as part of the value. Numbers are not text and stay numbers (-3.5, not '-3.5): int,
float and Decimal values, the numeric columns of the data exports, and a text that is exactly
a number (the audit trail's old value "-1"), which a spreadsheet reads as that number.

tests/security/test_csv_injection.py fails when a module writes CSV without this one.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

# One pattern for Python's `re` and for Arrow's RE2 (the data exports). A sign alone is no
# formula: the MMSE scoring files use "-" for "no answer", and it stays as it is.
FORMULA = r"^[\t\r\n ]*[=+\-@][\s\S]|^[\t\r]"
NUMBER = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"
_FORMULA, _NUMBER = re.compile(FORMULA), re.compile(NUMBER)
PREFIX = "'"


def defuse(value):
    """The cell to write for `value`: None becomes empty, a formula-like text gets the prefix."""
    if value is None:
        return ""
    if isinstance(value, str) and _FORMULA.match(value) and not _NUMBER.fullmatch(value):
        return PREFIX + value
    return value


class Writer:
    """`csv.writer` whose every cell goes through `defuse`."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([defuse(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream, **options) -> Writer:
    return Writer(stream, **options)


def write_arrow(path: Path, schema, batches) -> None:
    """Arrow record batches to a CSV file; string columns are defused, numbers written as numbers."""
    import pyarrow.csv as pa_csv

    options = pa_csv.WriteOptions(quoting_style="needed")
    with pa_csv.CSVWriter(str(path), schema, write_options=options) as out:
        for batch in batches:
            out.write_batch(_defused_batch(batch))


def _defused_batch(batch):
    import pyarrow as pa

    columns = [_defused_strings(column) if pa.types.is_string(column.type) else column for column in batch.columns]
    return pa.RecordBatch.from_arrays(columns, schema=batch.schema)


def _defused_strings(column):
    import pyarrow.compute as pc

    formula = pc.and_not(pc.match_substring_regex(column, FORMULA), pc.match_substring_regex(column, f"^({NUMBER})$"))
    prefixed = pc.binary_join_element_wise(PREFIX, column, "")
    return pc.if_else(pc.fill_null(formula, False), prefixed, column)
