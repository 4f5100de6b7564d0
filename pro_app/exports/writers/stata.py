"""Stata .dta, format 118 (Stata 14 and later): UTF-8, 32-character names, 80-character labels,
numbers as doubles, coded strings as numbers with value labels. Written chunk by chunk.
"""
from __future__ import annotations

import struct

import numpy as np

from .columns import STATA_EPOCH, Column, build_column, chunk_bounds, records
from .fixed_time import FILE_TIMESTAMP

MAX_TEXT = 2045
NAME_LIMIT, LABEL_LIMIT = 32, 80
_DOUBLE, _MISSING = 65526, np.float64(struct.unpack("<d", struct.pack("<Q", 0x7FE0000000000000))[0])
_FORMATS = {"date": "%td", "datetime": "%tc"}


def _tag(name: str, body: bytes) -> bytes:
    return f"<{name}>".encode() + body + f"</{name}>".encode()


def _fixed(text: str, size: int) -> bytes:
    raw = text.encode("utf-8")[:size - 1]
    return raw.ljust(size, b"\0")


def stata_columns(table) -> list[Column]:
    columns = []
    for variable, (_, series) in zip(table.variables, table.frame.items()):
        if len(variable.name) > NAME_LIMIT:
            raise ValueError(f"Stata: the name {variable.name!r} is longer than {NAME_LIMIT} characters")
        columns.append(build_column(variable.name, str(variable.label)[:LABEL_LIMIT], variable, series, STATA_EPOCH,
                                    code_strings=True, pad=b"\0", max_width=MAX_TEXT))
    return columns


def write_dta(path, table) -> int:
    columns = stata_columns(table)
    rows = len(table.frame)
    parts = _descriptor_sections(columns)
    labels = _tag("value_labels", b"".join(_value_labels(column) for column in columns if _labelled(column)))
    row_bytes = sum(column.width for column in columns)
    head = _header(table, len(columns), rows)
    offsets = _offsets(len(head), parts, rows * row_bytes, labels)
    with open(path, "wb") as out:
        out.write(head + _tag("map", struct.pack("<14Q", *offsets)) + b"".join(parts) + b"<data>")
        for start, stop in chunk_bounds(rows, row_bytes):
            out.write(records(columns, start, stop, "<f8", _doubles).view(np.uint8))
        out.write(b"</data>" + _tag("strls", b"") + labels + b"</stata_dta>")
    return rows


def _header(table, count: int, rows: int) -> bytes:
    label = str(table.label).encode("utf-8")[:LABEL_LIMIT]
    stamp = FILE_TIMESTAMP.strftime("%d %b %Y %H:%M").encode("ascii")
    body = (_tag("release", b"118") + _tag("byteorder", b"LSF") + _tag("K", struct.pack("<H", count))
            + _tag("N", struct.pack("<Q", rows)) + _tag("label", struct.pack("<H", len(label)) + label)
            + _tag("timestamp", bytes([len(stamp)]) + stamp))
    return b"<stata_dta>" + _tag("header", body)


def _descriptor_sections(columns: list[Column]) -> list[bytes]:
    types = b"".join(struct.pack("<H", column.width if column.text else _DOUBLE) for column in columns)
    return [
        _tag("variable_types", types),
        _tag("varnames", b"".join(_fixed(column.name, 129) for column in columns)),
        _tag("sortlist", b"\0\0" * (len(columns) + 1)),
        _tag("formats", b"".join(_fixed(_format(column), 57) for column in columns)),
        _tag("value_label_names", b"".join(_fixed(column.name if _labelled(column) else "", 129)
                                           for column in columns)),
        _tag("variable_labels", b"".join(_fixed(column.label, 321) for column in columns)),
        _tag("characteristics", b""),
    ]


def _offsets(head: int, parts: list[bytes], data: int, labels: bytes) -> list[int]:
    """Where each section starts (Stata's map), then the end of the file."""
    offsets = [0, head]
    position = head + len(b"<map></map>") + 14 * 8
    for part in parts:
        offsets.append(position)
        position += len(part)
    offsets.append(position)  # data
    position += len(b"<data></data>") + data
    offsets.append(position)  # strls
    position += len(_tag("strls", b""))
    offsets.append(position)  # value labels
    position += len(labels)
    return offsets + [position, position + len(b"</stata_dta>")]


def _format(column: Column) -> str:
    if column.text:
        return f"%-{column.width}s"
    return _FORMATS.get(column.variable.kind, "%10.0g")


def _labelled(column: Column) -> bool:
    return not column.text and bool(column.variable.values)


def _value_labels(column: Column) -> bytes:
    pairs = sorted(column.variable.value_labels.items())
    texts = [label.encode("utf-8")[:32000] + b"\0" for _, label in pairs]
    offsets = np.cumsum([0] + [len(text) for text in texts[:-1]])
    table = struct.pack(f"<ii{len(pairs)}i{len(pairs)}i", len(pairs), sum(map(len, texts)), *offsets,
                        *[value for value, _ in pairs]) + b"".join(texts)
    return _tag("lbl", struct.pack("<i", len(table)) + _fixed(column.name, 129) + b"\0" * 3 + table)


def _doubles(column: Column, values: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(values), _MISSING, values)
