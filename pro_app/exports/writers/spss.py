"""SPSS .sav (bytecode-compressed, UTF-8): 8-byte short names with the long names in a record of
their own, variable labels, value labels, date formats. Written chunk by chunk.
"""
from __future__ import annotations

import struct
import sys
from dataclasses import replace

import numpy as np

from .columns import SPSS_EPOCH, Column, build_column, chunk_bounds, records
from .fixed_time import FILE_TIMESTAMP
from .spss_compression import BIAS, compress

MAX_TEXT = 255
_SYSMIS = -sys.float_info.max
_LOWEST = struct.unpack("<d", struct.pack("<Q", 0xFFEFFFFFFFFFFFFE))[0]
_FORMAT_TYPES = {"date": (20, 11, 0), "datetime": (22, 20, 0), "number": (5, 12, 4)}
_MEASURES = {"nominal": 1, "scale": 3}


def spss_columns(table) -> list[Column]:
    columns = []
    for variable, (_, series) in zip(table.variables, table.frame.items()):
        column = build_column(variable.short, str(variable.label), variable, series, SPSS_EPOCH,
                              code_strings=True, pad=b" ", max_width=MAX_TEXT)
        columns.append(_widen(column) if column.text else column)
    return columns


def _widen(column: Column) -> Column:
    """Strings occupy whole 8-byte segments; the declared width stays the longest value."""
    size = -(-column.width // 8) * 8
    padded = np.array([value.ljust(size, b" ") for value in column.padded.tolist()], dtype=f"S{size}")
    return replace(column, padded=padded, width=size, declared=column.width)


def write_sav(path, table) -> int:
    columns = spss_columns(table)
    rows = len(table.frame)
    numeric = np.array([flag for column in columns
                        for flag in ([False] * (column.width // 8) if column.text else [True])])
    with open(path, "wb") as out:
        out.write(_header(table, len(numeric), rows) + _dictionary(columns, rows))
        for start, stop in chunk_bounds(rows, len(numeric) * 8, multiple=8):
            block = records(columns, start, stop, "<f8", _doubles)
            out.write(compress(block, numeric, last=stop == rows).view(np.uint8))
    return rows


def _header(table, segments: int, rows: int) -> bytes:
    product = b"@(#) SPSS DATA FILE - pro_app".ljust(60, b" ")
    date = FILE_TIMESTAMP.strftime("%d %b %y").encode("ascii")
    time = FILE_TIMESTAMP.strftime("%H:%M:%S").encode("ascii")
    label = str(table.label).encode("utf-8")[:64].ljust(64, b" ")
    return (b"$FL2" + product + struct.pack("<iiiiid", 2, segments, 1, 0, rows, BIAS) + date + time + label
            + b"\0" * 3)


def _dictionary(columns: list[Column], rows: int) -> bytes:
    parts, index = [], 1
    positions = []
    for column in columns:
        positions.append(index)
        records_for = _variable_records(column)
        parts.append(records_for)
        index += column.width // 8 if column.text else 1
    for column, position in zip(columns, positions):
        if not column.text and column.variable.values:
            parts.append(_value_labels(column, position))
    parts += [_extension(3, 4, struct.pack("<8i", 20, 0, 0, -1, 1, 1, 2, 65001)),
              _extension(4, 8, struct.pack("<3d", _SYSMIS, sys.float_info.max, _LOWEST)),
              _extension(20, 1, b"UTF-8"),
              _extension(11, 4, b"".join(struct.pack("<3i", *_display(column)) for column in columns)),
              _extension(13, 1, "\t".join(f"{c.name}={c.variable.name}" for c in columns).encode("utf-8")),
              _extension(16, 8, struct.pack("<2q", 1, rows)),
              struct.pack("<ii", 999, 0)]
    return b"".join(parts)


def _variable_records(column: Column) -> bytes:
    if column.text:
        kind, width, decimals = 1, column.declared, 0
    else:
        kind, width, decimals = _FORMAT_TYPES.get(column.variable.kind, (5, 8, 0))
    spec = (kind << 16) | (width << 8) | decimals
    label = column.label.encode("utf-8")
    padded_label = label.ljust(-(-len(label) // 4) * 4, b" ")
    name = column.name.encode("ascii").ljust(8, b" ")
    main = struct.pack("<iiiiii8s", 2, column.declared if column.text else 0, 1, 0, spec, spec, name)
    main += struct.pack("<i", len(label)) + padded_label
    continuation = struct.pack("<iiiiii8s", 2, -1, 0, 0, 0x011D01, 0x011D01, b" " * 8)
    return main + continuation * (column.width // 8 - 1 if column.text else 0)


def _value_labels(column: Column, position: int) -> bytes:
    entries = []
    for value, label in sorted(column.variable.value_labels.items()):
        raw = label.encode("utf-8")[:120]
        entries.append(struct.pack("<dB", float(value), len(raw)) + raw.ljust(-(-(len(raw) + 1) // 8) * 8 - 1, b" "))
    return (struct.pack("<ii", 3, len(entries)) + b"".join(entries) + struct.pack("<iii", 4, 1, position))


def _extension(subtype: int, size: int, data: bytes) -> bytes:
    return struct.pack("<iiii", 7, subtype, size, len(data) // size) + data


def _display(column: Column) -> tuple[int, int, int]:
    nominal = column.text or column.variable.coded or column.variable.kind == "string"
    return (_MEASURES["nominal"] if nominal else _MEASURES["scale"], 8, 0 if column.text else 1)


def _doubles(column: Column, values: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(values), _SYSMIS, values)
