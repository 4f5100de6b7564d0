"""Give every column the dtype of its variable; coded columns get their declared categories.

A code missing from a variable's declared values is added to them (labelled with itself),
so that no value is ever dropped on the way to a file.
"""
from __future__ import annotations

import pandas as pd

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
    """A categorical of text (missing stays missing), built from its distinct values only."""
    if not isinstance(series.dtype, pd.CategoricalDtype):
        series = pd.Series(pd.Categorical(series.astype(object)))
    series = series.cat.remove_unused_categories()
    categories = [str(category) for category in series.cat.categories]
    series = series.cat.rename_categories(categories) if categories else series.cat.set_categories([], rename=True)
    return series.cat.reorder_categories(sorted(categories)) if categories else series
