"""Arrow-native reads (the ADBC PostgreSQL driver) for the largest queries: millions of item
answers and scores come in as columns instead of one Python tuple per row, several times faster.

PostgreSQL only, and `read_frame` otherwise. On SQLite the app's own driver (the standard
library's sqlite3) reads everything: the ADBC SQLite driver carries a second, statically linked
SQLite library, and two in one process lose the app's locks on the database file
(`pro_app.sqlite_library` explains how, and refuses to load one). The ADBC connection is a
second connection: rows committed between its queries and the SQLAlchemy ones (an answer sent
during the export) are left to the next export by callers.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from ..extensions import db


def _connector():
    engine = db.engine
    if engine.dialect.name != "postgresql":
        return None
    try:
        import adbc_driver_postgresql.dbapi as postgres_adbc
    except ImportError:
        return None
    uri = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    return lambda: postgres_adbc.connect(uri)


def read_columns(stmt, text: tuple[str, ...]) -> pd.DataFrame | None:
    """The statement's rows as a frame (text columns categorical), or None without a driver.

    Only for statements whose columns have no missing values (the text columns are encoded
    without a code for a missing value).
    """
    connect = _connector()
    if connect is None:
        return None
    sql = str(stmt.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
    with connect() as connection, connection.cursor() as cursor:
        cursor.execute(sql)
        table = cursor.fetch_arrow_table()
    return pd.DataFrame({name: _text(table.column(name)) if name in text else table.column(name).to_numpy()
                         for name in table.column_names})


def _text(column: pa.ChunkedArray) -> pd.Categorical:
    values = column.combine_chunks() if column.num_chunks else pa.array([], pa.string())
    encoded = values.dictionary_encode()
    distinct = encoded.dictionary.to_pylist()
    order = sorted(range(len(distinct)), key=distinct.__getitem__)
    rank = np.empty(len(distinct) + 1, dtype=np.int64)
    rank[order], rank[-1] = np.arange(len(distinct)), -1
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    return pd.Categorical.from_codes(rank[indices], categories=pd.Index([distinct[i] for i in order], dtype=object))
