"""CSV input and output for the scoring commands.

Input problems are collected, not raised one by one, so that a user sees every offending
row and column at once. Nothing is written unless the whole file is valid.
"""
import csv
import io
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pro_app import csv_safe

_BOM = "\ufeff"


class InputProblems(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    lines: list[int]  # the file line where each data row starts
    delimiter: str
    bom: bool  # kept on output, for spreadsheets that need it to read UTF-8

    def row_label(self, index: int) -> str:
        return f"data row {index + 1} (file line {self.lines[index]})"


def read_table(path: Path) -> Table:
    """Read a UTF-8 CSV file (comma- or semicolon-separated); blank lines are skipped."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise InputProblems([f"cannot read {path}: {error.strerror}"]) from error
    except UnicodeDecodeError as error:
        byte = error.object[error.start]
        raise InputProblems(
            [f"{path} is not UTF-8 text (byte 0x{byte:02x} at offset {error.start}); save it as CSV UTF-8"]
        ) from error
    bom = text.startswith(_BOM)
    text = text.removeprefix(_BOM)
    if not text.strip():
        raise InputProblems([f"{path} is empty: expected a header row, then one row per administration"])
    first_line = text.partition("\n")[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, lines = [], []
    try:
        while True:
            line = reader.line_num + 1
            record = next(reader, None)
            if record is None:
                break
            if record:
                records.append(record)
                lines.append(line)
    except csv.Error as error:
        raise InputProblems([f"{path}, file line {reader.line_num}: not valid CSV ({error})"]) from error
    return Table(records[0], records[1:], lines[1:], delimiter, bom)


def header_problems(header: Sequence[str], required: Sequence[str], added: Sequence[str]) -> list[str]:
    """Required columns (any letter case) that are absent, duplicated names, output clashes."""
    names = [name.strip().lower() for name in header]
    problems = [f"header: column {name!r} is missing" for name in required if name.lower() not in names]
    for position, name in enumerate(names):
        if name in names[:position]:
            problems.append(f"header: column {header[position]!r} appears more than once (columns "
                            f"{names.index(name) + 1} and {position + 1})")
    added_names = {name.lower() for name in added}
    problems += [f"header: column {original!r} clashes with an output column of the same name"
                 for original, name in zip(header, names) if name in added_names]
    return problems


def parse_rows(table: Table, parsers: Mapping[str, Callable[[str], object]]) -> tuple[list[dict], list[str]]:
    """Parse the named columns of every row; a parser raises ValueError with the reason."""
    positions = {name.strip().lower(): index for index, name in reversed(list(enumerate(table.header)))}
    parsed, problems = [], []
    for row_index, row in enumerate(table.rows):
        if len(row) != len(table.header):
            problems.append(f"{table.row_label(row_index)}: {len(row)} cells, but the header has {len(table.header)}")
            row = row + [""] * (len(table.header) - len(row))
        values = {}
        for name, parse in parsers.items():
            position = positions.get(name.lower())
            if position is None:
                continue
            try:
                values[name] = parse(row[position].strip())
            except ValueError as error:
                problems.append(f"{table.row_label(row_index)}, column {table.header[position]!r}: {error}")
        parsed.append(values)
    return parsed, problems


def format_cell(value: object) -> str:
    """Full precision: repr of floats (57.52136752136752); empty for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return repr(value) if isinstance(value, float) else str(value)


def render(table: Table, added_header: Sequence[str], added_rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv_safe.writer(out, delimiter=table.delimiter, lineterminator="\n")
    writer.writerow(table.header + list(added_header))
    for row, added in zip(table.rows, added_rows):
        writer.writerow(row + [format_cell(value) for value in added])
    return (_BOM if table.bom else "") + out.getvalue()


def write_file_atomically(text: str, path: Path) -> None:
    """Write beside `path`, then rename: a failure never leaves a partial output file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "x", encoding="utf-8", newline="") as file:
            file.write(text)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
