"""Patients and administrations with their sort keys: the spine every table hangs on."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ..protocol import Protocol
from . import queries
from .queries import Scope

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
            frame[column] = patients[column].to_numpy()[position]
        frame["visit_num"] = visit_numbers(frame["visit_code"], self.protocol.visit_codes)
        frame["instrument_order"] = rank_in(frame["instrument"], INSTRUMENT_ORDER)
        frame["completion_date"] = local_dates(frame["submitted_at"], self.protocol.timezone)
        order = np.lexsort((frame["instrument_order"], frame["visit_num"], frame["patient_order"]))
        return frame.iloc[order].reset_index(drop=True)

    @cached_property
    def answers(self) -> pd.DataFrame:
        return queries.answers(self.scope)

    @cached_property
    def scores(self) -> pd.DataFrame:
        return queries.scores(self.scope)

    def admin_columns(self, administration_ids: pd.Series, columns: list[str]) -> pd.DataFrame:
        """The given columns of the administrations, aligned with a column of administration ids."""
        admins = self.administrations
        position = pd.Index(admins["administration_id"]).get_indexer(administration_ids)
        return pd.DataFrame({column: admins[column].iloc[position].to_numpy() for column in columns})


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


def as_dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.normalize().astype("datetime64[s]")
