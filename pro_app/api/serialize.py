"""Rows of an export table as JSON values: text, numbers, ISO dates; missing values as null."""
from __future__ import annotations

import math

import pandas as pd


def json_rows(frame: pd.DataFrame, variables) -> list[dict]:
    columns = [[_convert(variable.kind, value) for value in frame[variable.name].tolist()] for variable in variables]
    names = [variable.name for variable in variables]
    return [dict(zip(names, values)) for values in zip(*columns)]


def _convert(kind: str, value):
    if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "date":
        return value.strftime("%Y-%m-%d")
    if kind == "datetime":
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)
