"""Give every column the dtype of its variable; coded columns get their declared categories.

A code missing from a variable's declared values is added to them (labelled with itself),
so that no value is ever dropped on the way to a file.
"""
from __future__ import annotations

import pandas as pd

from .reading import text_categorical
from .variables import Value, Variable


def conform(variables: list[Variable], frame: pd.DataFrame) -> tuple[list[Variable], pd.DataFrame]:
    columns, conformed = {}, []
    for variable in variables:
        variable, columns[variable.name] = conform_column(variable, frame[variable.name])
        conformed.append(variable)
    return conformed, pd.DataFrame(columns)


def conform_column(variable: Variable, series: pd.Series) -> tuple[Variable, pd.Series]:
    series = series.reset_index(drop=True)
    if variable.kind == "string":
        return _strings(variable, series)
    if variable.kind in ("integer", "number"):
        numeric = series if pd.api.types.is_numeric_dtype(series) else pd.to_numeric(series.astype(object))
        return variable, numeric.astype("Int64" if variable.kind == "integer" else "float64")
    stamps = pd.to_datetime(series)
    if variable.kind == "date":
        stamps = stamps.dt.normalize()
    return variable, stamps.astype("datetime64[s]")


def _strings(variable: Variable, series: pd.Series) -> tuple[Variable, pd.Series]:
    text = as_text_categorical(series)
    if not variable.coded:
        return variable, text
    declared = [value.code for value in variable.values]
    extra = sorted(set(text.cat.categories) - set(declared))
    if extra:
        variable = variable.with_values(variable.values + tuple(Value(code, code) for code in extra))
    return variable, text.cat.set_categories(declared + extra)


def as_text_categorical(series: pd.Series) -> pd.Series:
    """A categorical of text with sorted categories (missing stays missing).

    Only the distinct values are touched, never the millions of rows: unused categories
    are harmless and finding them would cost a pass over every row.
    """
    if not isinstance(series.dtype, pd.CategoricalDtype):
        series = pd.Series(text_categorical(series.to_numpy(dtype=object)))
    categories = list(series.cat.categories)
    if not all(isinstance(category, str) for category in categories):
        series = series.cat.rename_categories([str(category) for category in categories])
        categories = list(series.cat.categories)
    if categories != sorted(categories) or series.cat.categories.dtype != object:
        ordered = pd.Index(sorted(categories), dtype=object)
        series = series.cat.set_categories(ordered)
    return series
