"""Merge two frames whose rows are grouped by administration (items, then that
administration's scores) without sorting: each row's final position is computed directly."""
from __future__ import annotations

import numpy as np
import pandas as pd


def _starts(counts: np.ndarray) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(counts)[:-1]]) if len(counts) else counts


def positions(first_groups: np.ndarray, second_groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both arrays ascending; every group's first-frame rows come before its second-frame rows."""
    size = int(max(first_groups.max(initial=-1), second_groups.max(initial=-1))) + 1
    first_counts = np.bincount(first_groups, minlength=size)
    second_counts = np.bincount(second_groups, minlength=size)
    offsets = _starts(first_counts + second_counts)
    first = offsets[first_groups] + np.arange(len(first_groups)) - _starts(first_counts)[first_groups]
    second = (offsets[second_groups] + first_counts[second_groups] + np.arange(len(second_groups))
              - _starts(second_counts)[second_groups])
    return first, second


def interleave(first: pd.DataFrame, second: pd.DataFrame, first_groups, second_groups) -> pd.DataFrame:
    where_first, where_second = positions(np.asarray(first_groups), np.asarray(second_groups))
    total = len(first) + len(second)
    return pd.DataFrame({name: _column(first[name], second[name], where_first, where_second, total)
                         for name in first.columns})


def _column(a: pd.Series, b: pd.Series, where_a, where_b, total: int):
    if isinstance(a.dtype, pd.CategoricalDtype) or isinstance(b.dtype, pd.CategoricalDtype):
        a, b = a.astype("category"), b.astype("category")
        categories = pd.Index(list(dict.fromkeys(list(a.cat.categories) + list(b.cat.categories))), dtype=object)
        codes = np.full(total, -1, dtype=np.int32)
        for series, where in ((a, where_a), (b, where_b)):
            lookup = np.append(categories.get_indexer(series.cat.categories), -1)
            codes[where] = lookup[series.cat.codes.to_numpy()]
        return pd.Categorical.from_codes(codes, categories=categories)
    values = np.empty(total, dtype=np.result_type(a.to_numpy().dtype, b.to_numpy().dtype))
    values[where_a], values[where_b] = a.to_numpy(), b.to_numpy()
    return values
