"""Helpers shared by the SDTM datasets. Text columns are categoricals built from their
distinct values, so that millions of rows cost array operations, not Python loops."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .sources import Sources


def categorical(codes, categories) -> pd.Series:
    return pd.Series(pd.Categorical.from_codes(np.asarray(codes), categories=pd.Index(list(categories), dtype=object)))


def recode(codes: np.ndarray, texts: list[str | None]) -> pd.Series:
    """Codes into a list of texts that may repeat; -1 and a text of None are missing."""
    positions: dict[str, int] = {}
    lookup = np.array([-1 if text is None else positions.setdefault(text, len(positions)) for text in texts] + [-1],
                      dtype=np.int64)
    return categorical(lookup[np.asarray(codes)], positions)


def relabel(series: pd.Series, rename) -> pd.Series:
    """Apply `rename` to each distinct value of a categorical column."""
    series = series if isinstance(series.dtype, pd.CategoricalDtype) else series.astype("category")
    return recode(series.cat.codes.to_numpy(), [rename(value) for value in series.cat.categories])


def usubjid(study_code: pd.Series, study_id: str) -> pd.Series:
    """The study code, prefixed with the study identifier unless it already starts with it."""
    return relabel(study_code, lambda code: code if str(code).startswith(f"{study_id}-") else f"{study_id}-{code}")


def upper_visit(visit_codes: pd.Series) -> pd.Series:
    return relabel(visit_codes, lambda code: str(code).upper())


def iso_datetimes(sources: Sources, frame: pd.DataFrame) -> pd.Series:
    """Submission time in the study's time zone, ISO 8601 to the minute (no offset, as SDTM)."""
    return pd.Series(sources.admin_columns(frame, ["submitted_dtc"])["submitted_dtc"])


def number_text(values) -> pd.Series:
    """Full-precision numbers as text (shortest round-trip form), via their distinct values."""
    codes, distinct = pd.factorize(np.asarray(values, dtype=np.float64))
    return recode(codes, [str(int(v)) if float(v).is_integer() else repr(float(v)) for v in distinct])


def flag(mask: np.ndarray, text: str) -> pd.Series:
    return categorical(np.where(mask, 0, -1), [text])


def constant(text: str, rows: int) -> pd.Series:
    return categorical(np.zeros(rows, dtype=np.int8), [text])


def sequence(usubjids: pd.Series) -> np.ndarray:
    """1, 2, ... within each subject, the rows being grouped by subject already."""
    codes = usubjids.cat.codes.to_numpy()
    index = np.arange(len(codes))
    starts = np.r_[True, codes[1:] != codes[:-1]] if len(codes) else np.zeros(0, dtype=bool)
    return index - np.maximum.accumulate(np.where(starts, index, 0)) + 1
