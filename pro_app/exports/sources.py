"""Patients and administrations with their sort keys: the spine every table hangs on."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from pandas.api.extensions import take

from ..protocol import Protocol
from . import queries
from .queries import Scope
from .reading import text_categorical

INSTRUMENT_ORDER = ("qlq_c30", "mmse")


@dataclass
class Sources:
    protocol: Protocol
    scope: Scope

    @cached_property
    def patients(self) -> pd.DataFrame:
        frame = queries.patients(self.scope).sort_values("study_code", kind="stable", ignore_index=True)
        frame["patient_order"] = np.arange(len(frame))
        return frame

    @cached_property
    def administrations(self) -> pd.DataFrame:
        frame = queries.administrations(self.scope)
        patients = self.patients.set_index("patient_id")
        position = patients.index.get_indexer(frame["patient_id"])
        for column in ("study_code", "site_code", "patient_order", "radiotherapy_date"):
            frame[column] = take(patients[column].array, position, allow_fill=True)
        frame["visit_num"] = visit_numbers(frame["visit_code"], self.protocol.visit_codes)
        frame["instrument_order"] = rank_in(frame["instrument"], INSTRUMENT_ORDER)
        frame["completion_date"] = local_dates(frame["submitted_at"], self.protocol.timezone)
        frame["submitted_dtc"] = local_iso_minutes(frame["submitted_at"], self.protocol.timezone)
        frame["details"] = frame["details"].map(_as_dict)
        order = np.lexsort((frame["instrument_order"], frame["visit_num"], frame["patient_order"]))
        return frame.iloc[order].reset_index(drop=True)

    def positioned(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Add each row's position among the administrations, looked up once. Rows of an
        administration submitted after the administrations were read wait for the next export."""
        admins = self.administrations
        positions = pd.Index(admins["administration_id"]).get_indexer(frame["administration_id"])
        submitted = np.append(admins["admin_status"].isin(queries.SUBMITTED).to_numpy(), False)
        frame["admin_pos"] = positions
        return frame[submitted[positions]].reset_index(drop=True)

    def memo(self, key: str, build):
        """A frame built once per export (the long item and score frames feed several outputs)."""
        cache = self.__dict__.setdefault("_memo", {})
        if key not in cache:
            cache[key] = build(self)
        return cache[key]

    def admin_columns(self, frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        """Columns of each row's administration (missing where it has none)."""
        admins = self.administrations
        if "admin_pos" in frame:
            positions = frame["admin_pos"].to_numpy()
        else:
            ids = pd.to_numeric(frame["administration_id"]).to_numpy(dtype=float, na_value=np.nan)
            positions = pd.Index(admins["administration_id"].astype(float)).get_indexer(ids)
        return pd.DataFrame({column: take(admins[column].array, positions, allow_fill=True) for column in columns})


def _as_dict(value) -> dict:
    """JSON details as a dict, whether the driver returned text (SQLite) or parsed JSON."""
    if isinstance(value, str):
        value = json.loads(value)
    return value if isinstance(value, dict) else {}


def visit_numbers(codes: pd.Series, protocol_codes: tuple[str, ...]) -> np.ndarray:
    """1-based protocol order; codes unknown to the protocol follow, alphabetically."""
    return rank_in(codes, protocol_codes) + 1


def rank_in(values: pd.Series, order: tuple[str, ...]) -> np.ndarray:
    categorical = pd.Categorical(values)
    known = {code: index for index, code in enumerate(order)}
    extra = sorted({str(code) for code in categorical.categories} - set(known))
    known.update({code: len(order) + index for index, code in enumerate(extra)})
    lookup = np.array([known[str(code)] for code in categorical.categories] + [len(known)], dtype=np.int64)
    return lookup[categorical.codes]


def local_dates(utc: pd.Series, timezone: str) -> pd.Series:
    """Naive UTC datetimes to calendar dates in the study's time zone (NaT stays NaT)."""
    stamps = pd.to_datetime(utc)
    local = stamps.dt.tz_localize("UTC").dt.tz_convert(timezone).dt.tz_localize(None)
    return local.dt.normalize().astype("datetime64[s]")


def local_iso_minutes(utc: pd.Series, timezone: str) -> pd.Categorical:
    """Naive UTC datetimes as local ISO 8601 text to the minute, as SDTM --DTC wants them."""
    stamps = pd.to_datetime(utc).dt.tz_localize("UTC").dt.tz_convert(timezone)
    text = stamps.dt.strftime("%Y-%m-%dT%H:%M").astype(object).where(stamps.notna(), None)
    return text_categorical(text.to_numpy())


def as_dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.normalize().astype("datetime64[s]")
