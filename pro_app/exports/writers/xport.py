"""SAS XPORT version 5 (SAS TS-140): 8-character names, 40-character labels, 200-byte strings,
numbers as IBM 370 doubles. Written chunk by chunk with numpy.
"""
from __future__ import annotations

import struct

import numpy as np

from ..variables import LABEL_LIMIT, SHORT_NAME_LIMIT
from .columns import SAS_EPOCH, Column, build_column, chunk_bounds, records
from .fixed_time import FILE_TIMESTAMP

MAX_TEXT = 200
_RECORD = 80
_STAMP = FILE_TIMESTAMP.strftime("%d%b%y:%H:%M:%S").upper().encode("ascii")
_MISSING = np.uint64(0x2E00000000000000)  # "." followed by zeros
_DATE_FORMATS = {"date": (b"DATE", 9), "datetime": (b"DATETIME", 20)}


def _header(kind: str, tail: str = "0" * 30) -> bytes:
    return f"HEADER RECORD*******{kind:<8}HEADER RECORD!!!!!!!{tail}  ".encode("ascii")


def _pad(data: bytes, fill: bytes = b" ") -> bytes:
    return data + fill * (-len(data) % _RECORD)


def _text(value: str, size: int) -> bytes:
    raw = value.encode("utf-8")
    if len(raw) > size:
        raise ValueError(f"SAS XPORT v5: {value!r} is longer than {size} bytes")
    return raw.ljust(size, b" ")


def xport_columns(table) -> list[Column]:
    columns = []
    for variable, (_, series) in zip(table.variables, table.frame.items()):
        name, label = variable.short, str(variable.label)
        if len(name) > SHORT_NAME_LIMIT or len(label) > LABEL_LIMIT:
            raise ValueError(f"SAS XPORT v5: {name!r} needs a name of at most 8 and a label of at most 40 characters")
        columns.append(build_column(name, label, variable, series, SAS_EPOCH, code_strings=False, pad=b" ",
                                    max_width=MAX_TEXT))
    return columns


def write_xport(path, table, member: str) -> int:
    columns = xport_columns(table)
    rows = len(table.frame)
    with open(path, "wb") as out:
        out.write(_library_header() + _member_header(member.upper(), str(table.label), columns))
        row_bytes = sum(column.width for column in columns)
        written = 0
        for start, stop in chunk_bounds(rows, row_bytes):
            block = records(columns, start, stop, ">u8", _ibm)
            out.write(block.view(np.uint8))
            written += block.nbytes
        out.write(b" " * (-written % _RECORD))
    return rows


def _library_header() -> bytes:
    second = b"SAS     SAS     SASLIB  6.06    bsd4.2  " + b" " * 24 + _STAMP
    return _header("LIBRARY") + second + _pad(_STAMP)


def _member_header(member: str, label: str, columns: list[Column]) -> bytes:
    first = b"SAS     " + _text(member, 8) + b"SASDATA 6.06    bsd4.2  " + b" " * 24 + _STAMP
    second = _STAMP + b" " * 16 + _text(label[:LABEL_LIMIT], 40) + b" " * 8
    namestrs = b"".join(_namestr(index, column, columns) for index, column in enumerate(columns))
    return (_header("MEMBER", "000000000000000001600000000140") + _header("DSCRPTR") + first + second
            + _header("NAMESTR", f"000000{len(columns):04d}" + "0" * 20) + _pad(namestrs)
            + _header("OBS"))


def _namestr(index: int, column: Column, columns: list[Column]) -> bytes:
    position = sum(other.width for other in columns[:index])
    form, form_length = _DATE_FORMATS.get(column.variable.kind, (b"", 0))
    return struct.pack(">hhhh8s40s8shhh2s8shhi52s", 2 if column.text else 1, 0, column.width, index + 1,
                       _text(column.name, 8), _text(column.label, 40), form.ljust(8, b" "), form_length, 0,
                       0 if column.text else 1, b"\0\0", b" " * 8, 0, 0, position, b"\0" * 52)


def _ibm(column: Column, values: np.ndarray) -> np.ndarray:
    """IEEE doubles to IBM 370 doubles, exactly: the 53-bit mantissa fits in IBM's 56 bits."""
    bits = np.ascontiguousarray(values, dtype=np.float64).view(np.uint64)
    sign = bits & np.uint64(1 << 63)
    biased = ((bits >> np.uint64(52)) & np.uint64(0x7FF)).astype(np.int64)
    mantissa = (bits & np.uint64((1 << 52) - 1)) | np.uint64(1 << 52)
    exponent = biased - 1023
    shift = np.mod(exponent, 4)
    hex_exponent = (exponent + 4 - shift) // 4 + 64
    if np.any((biased != 0) & ~np.isnan(values) & ((hex_exponent < 0) | (hex_exponent > 127))):
        raise ValueError(f"{column.name}: a number is out of the SAS XPORT range")
    ibm = sign | (hex_exponent.clip(0, 127).astype(np.uint64) << np.uint64(56)) | (mantissa << shift.astype(np.uint64))
    ibm[biased == 0] = np.uint64(0)
    ibm[np.isnan(values)] = _MISSING
    return ibm
