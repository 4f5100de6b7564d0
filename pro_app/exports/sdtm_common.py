"""Helpers shared by the SDTM datasets: subject ids, visit names, dates, sequence numbers."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .sources import Sources


def usubjid(study_code: pd.Series, study_id: str) -> pd.Series:
    """The study code, prefixed with the study identifier unless it already starts with it."""
    codes = pd.Series(pd.Categorical(study_code))
    prefixed = [c if str(c).startswith(f"{study_id}-") else f"{study_id}-{c}" for c in codes.cat.categories]
    return codes.cat.rename_categories(prefixed)


def iso_datetimes(sources: Sources, frame: pd.DataFrame) -> pd.Series:
    """Submission time in the study's time zone, ISO 8601 to the minute (no offset, as SDTM)."""
    submitted = sources.admin_columns(frame, ["submitted_at"])["submitted_at"]
    categorical = pd.Categorical(pd.to_datetime(submitted))
    local = pd.DatetimeIndex(categorical.categories).tz_localize("UTC").tz_convert(sources.protocol.timezone)
    return recode(categorical.codes, [stamp.strftime("%Y-%m-%dT%H:%M") for stamp in local])


def recode(codes: np.ndarray, texts: list[str]) -> pd.Series:
    """A categorical from codes into a list of texts that may repeat (-1 stays missing)."""
    unique, inverse = np.unique(np.array(texts, dtype=object), return_inverse=True) if texts else ([], [])
    lookup = np.append(np.asarray(inverse, dtype=np.int64), -1)
    return pd.Series(pd.Categorical.from_codes(lookup[codes], categories=list(unique)))


def sequence(usubjids: pd.Series) -> np.ndarray:
    """1, 2, ... within each subject, rows being sorted by subject already."""
    return usubjids.groupby(usubjids.cat.codes.to_numpy(), sort=False).cumcount().to_numpy() + 1


def number_text(values: pd.Series) -> pd.Series:
    """Full-precision numbers as text (shortest round-trip form), via their distinct values."""
    categorical = pd.Categorical(values.astype(float))
    text = [_format(value) for value in categorical.categories]
    return pd.Series(pd.Categorical.from_codes(categorical.codes, categories=text))


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def upper_visit(visit_codes: pd.Series) -> pd.Series:
    codes = pd.Series(pd.Categorical(visit_codes))
    return codes.cat.rename_categories([str(c).upper() for c in codes.cat.categories])
