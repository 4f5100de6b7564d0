"""Columns as the statistical formats store them: fixed-width bytes or float64 numbers."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..variables import Variable

DAY = np.timedelta64(1, "D")
SECOND = np.timedelta64(1, "s")


@dataclass(frozen=True)
class Epoch:
    """How a format counts dates and datetimes."""

    origin: np.datetime64
    date_unit: np.timedelta64
    datetime_unit: np.timedelta64


SAS_EPOCH = Epoch(np.datetime64("1960-01-01T00:00:00"), DAY, SECOND)
STATA_EPOCH = Epoch(np.datetime64("1960-01-01T00:00:00"), DAY, np.timedelta64(1, "ms"))
SPSS_EPOCH = Epoch(np.datetime64("1582-10-14T00:00:00"), SECOND, SECOND)


@dataclass
class Column:
    """Text columns hold the distinct values once; numbers are converted chunk by chunk."""

    name: str
    label: str
    variable: Variable
    text: bool
    width: int  # bytes
    series: pd.Series | None = None  # numbers: the source column
    epoch: Epoch | None = None
    codes: np.ndarray | None = None  # text: index into padded, -1 (missing) = the blank
    padded: np.ndarray | None = None  # text: distinct values as fixed-width bytes
    declared: int = 0  # text: longest value, when the storage width is rounded up

    def chunk(self, start: int, stop: int) -> np.ndarray:
        if not self.text:
            return numbers(self.variable, self.series.iloc[start:stop], self.epoch)
        return self.padded[self.codes[start:stop]]


def build_column(name: str, label: str, variable: Variable, series: pd.Series, epoch: Epoch, *,
                 code_strings: bool, pad: bytes, max_width: int) -> Column:
    """A text or numeric column; coded strings become their position when code_strings is set."""
    if variable.kind == "string" and not (code_strings and variable.coded):
        return _text_column(name, label, variable, series, pad, max_width)
    return Column(name, label, variable, False, 8, series=series, epoch=epoch)


def numbers(variable: Variable, series: pd.Series, epoch: Epoch) -> np.ndarray:
    """float64 with NaN for missing; coded text as its position (1, 2, ...); dates from the epoch."""
    if variable.kind == "string":
        codes = series.cat.codes.to_numpy().astype(np.float64) + 1.0
        codes[codes == 0] = np.nan
        return codes
    if variable.kind in ("date", "datetime"):
        unit = epoch.date_unit if variable.kind == "date" else epoch.datetime_unit
        stamps = series.to_numpy(dtype="datetime64[s]")
        return (stamps - epoch.origin) / unit
    return series.to_numpy(dtype=np.float64, na_value=np.nan)


def _text_column(name, label, variable, series: pd.Series, pad: bytes, max_width: int) -> Column:
    if not isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype("category")
    encoded = [str(value).encode("utf-8") for value in series.cat.categories]
    width = max([1] + [len(value) for value in encoded])
    if width > max_width:
        raise ValueError(f"{name}: a value is {width} bytes long; this format allows {max_width}")
    # The blank comes last, so that a missing value's code (-1) picks it.
    padded = np.array([value.ljust(width, pad) for value in encoded] + [pad * width], dtype=f"S{width}")
    codes = series.cat.codes.to_numpy()
    return Column(name, label, variable, True, width, codes=codes, padded=padded)


def chunk_bounds(rows: int, row_bytes: int, target_bytes: int = 16 * 1024 * 1024, multiple: int = 1):
    step = max(multiple, target_bytes // max(1, row_bytes) // multiple * multiple)
    return [(start, min(rows, start + step)) for start in range(0, rows, step)]


def records(columns: list[Column], start: int, stop: int, numeric_dtype: str, encode_numbers) -> np.ndarray:
    """The rows [start, stop) as one block of fixed-width records (write it with tofile)."""
    dtype = np.dtype([(f"f{index}", f"S{column.width}" if column.text else numeric_dtype)
                      for index, column in enumerate(columns)])
    block = np.zeros(stop - start, dtype=dtype)
    for index, column in enumerate(columns):
        values = column.chunk(start, stop)
        block[f"f{index}"] = values if column.text else encode_numbers(column, values)
    return block
