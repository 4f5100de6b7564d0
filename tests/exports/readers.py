"""Read an exported table back with the statisticians' tools, as plain Python values.

Every reader returns rows as tuples of: text (None when missing), int, float, or dates as
ISO text, with the full variable names and coded variables decoded through the codebook.
"""
from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta

import pandas as pd
import pyarrow.parquet as pq
import pyreadstat

FORMATS = ("csv", "parquet", "xpt", "dta", "sav")


def codebook(root) -> dict[str, dict[str, dict]]:
    book = json.loads((root / "codebook.json").read_text())
    return {table["name"]: {v["name"]: v for v in table["variables"]} for table in book["tables"]}


def read(root, fmt: str, table: str) -> tuple[list[str], list[tuple], dict]:
    """(column names, rows, metadata) of one table in one format."""
    variables = codebook(root)[table]
    if fmt == "csv":
        frame = pd.read_csv(root / "csv" / f"{table}.csv", dtype=str, keep_default_na=False, na_values=[""])
        return _rows(frame, variables, _from_text), {}
    if fmt == "parquet":
        frame = pq.read_table(root / "parquet" / f"{table}.parquet").to_pandas()
        return _rows(frame, variables, _from_value), {}
    reader = {"xpt": pyreadstat.read_xport, "dta": pyreadstat.read_dta, "sav": pyreadstat.read_sav}[fmt]
    frame, meta = reader(str(root / fmt / f"{table}.{fmt}"))
    if fmt == "xpt":
        frame = frame.rename(columns={v["xpt_name"]: name for name, v in variables.items()})
    decoded = _rows(frame, variables, _from_value if fmt == "xpt" else _decoder(variables))
    return decoded, meta


def _rows(frame: pd.DataFrame, variables: dict, convert) -> tuple[list[str], list[tuple]]:
    names = list(frame.columns)
    assert names == list(variables), (names, list(variables))
    columns = [[convert(variables[name], value) for value in frame[name].tolist()] for name in names]
    return names, list(zip(*columns))


def _missing(value) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)) or value == ""


def _from_text(variable: dict, value):
    if _missing(value):
        return None
    if variable["type"] == "integer":
        return int(value)
    if variable["type"] == "number":
        return float(value)
    return value


def _from_value(variable: dict, value):
    if _missing(value) or (hasattr(pd, "isna") and not isinstance(value, str) and pd.isna(value)):
        return None
    kind = variable["type"]
    if kind == "date":
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    if kind == "datetime":
        return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M:%S")
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    return str(value)


def _decoder(variables: dict):
    def convert(variable, value):
        if variable["type"] == "string" and variable["values"]:
            if _missing(value):
                return None
            by_stat = {entry["stat_code"]: entry["code"] for entry in variable["values"]}
            return by_stat[int(value)]
        return _from_value(variable, value)
    return convert


def iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return value
