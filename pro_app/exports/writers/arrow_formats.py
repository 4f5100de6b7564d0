"""CSV and Parquet through Apache Arrow, batch by batch.

CSV convention: UTF-8, comma separated, a header row, text always in double quotes,
a missing value is an empty unquoted cell (an empty text is ""), dates as YYYY-MM-DD,
times as YYYY-MM-DD HH:MM:SS in UTC, numbers with full precision and a dot; a text that a
spreadsheet would run as a formula starts with an apostrophe (pro_app.csv_safe).
"""
from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from ... import csv_safe

BATCH_ROWS = 500_000
_TYPES = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "date": pa.date32(),
          "datetime": pa.timestamp("s")}


def arrow_schema(table) -> pa.Schema:
    fields = [pa.field(v.name, _TYPES[v.kind], metadata={"label": str(v.label)}) for v in table.variables]
    return pa.schema(fields, metadata={"table": table.name, "label": str(table.label)})


def batches(table, schema: pa.Schema):
    frame = table.frame
    for start in range(0, max(len(frame), 1), BATCH_ROWS):
        part = frame.iloc[start:start + BATCH_ROWS]
        arrays = [_array(part[field.name], field.type) for field in schema]
        yield pa.RecordBatch.from_arrays(arrays, schema=schema)


def _array(series, arrow_type):
    if arrow_type == pa.string():
        return pa.array(series.astype("category"), from_pandas=True).cast(pa.string())
    if arrow_type == pa.date32():
        return pa.array(series.to_numpy(dtype="datetime64[D]"), type=arrow_type, from_pandas=True)
    return pa.array(series, type=arrow_type, from_pandas=True)


def write_csv(path, table) -> int:
    schema = pa.schema([pa.field(field.name, field.type) for field in arrow_schema(table)])
    csv_safe.write_arrow(path, schema, batches(table, schema))
    return len(table.frame)


def write_parquet(path, table) -> int:
    schema = arrow_schema(table)
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        for batch in batches(table, schema):
            writer.write_batch(batch)
    return len(table.frame)

