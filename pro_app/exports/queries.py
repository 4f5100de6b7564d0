"""Read the rows behind the exports, in chunks, as pandas frames (no names, no phone numbers)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import select

from ..extensions import db
from ..messaging.models import OutboundMessage
from ..patients.models import Patient
from ..questionnaires.models import Administration, ClinicalFlag, ItemAnswer, Score
from ..schedule.models import Visit
from ..study.models import Site

CHUNK_ROWS = 200_000
SUBMITTED = ("submitted", "locked")


@dataclass(frozen=True)
class Scope:
    """Which patients an export covers: one site (or all), optionally a list of patients."""

    site_id: int | None = None
    patient_ids: tuple[int, ...] | None = None

    def where(self, stmt, patient_id_column):
        if self.site_id is not None:
            stmt = stmt.where(patient_id_column.in_(select(Patient.id).where(Patient.site_id == self.site_id)))
        if self.patient_ids is not None:
            stmt = stmt.where(patient_id_column.in_(self.patient_ids))
        return stmt


def read_frame(stmt, categorical: tuple[str, ...] = (), numeric: tuple[str, ...] = ()) -> pd.DataFrame:
    """Fetch a statement chunk by chunk; listed text columns become categoricals, listed
    number columns int64 or float64, the others stay Python objects.

    Rows come straight from the driver's cursor (plain tuples, values as the driver gives
    them: SQLite returns dates as text), several times faster than result rows.
    """
    result = db.session.connection().execute(stmt)
    columns = list(result.keys())
    frames = []
    while rows := result.cursor.fetchmany(CHUNK_ROWS):
        frame = pd.DataFrame(rows, columns=columns, dtype=object)
        for name in categorical:
            frame[name] = text_categorical(frame[name].to_numpy())
        for name in numeric:
            frame[name] = pd.to_numeric(frame[name].to_numpy())
        frames.append(frame)
    result.close()
    if not frames:
        frame = pd.DataFrame({name: pd.Series(dtype="object") for name in columns})
        for name in categorical:
            frame[name] = text_categorical([])
        return frame
    return _concat(frames, categorical)


def text_categorical(values) -> pd.Categorical:
    """Sorted categories of plain Python objects, whatever text dtype pandas would infer."""
    categorical = pd.Categorical(np.asarray(values, dtype=object))
    return pd.Categorical.from_codes(categorical.codes, categories=pd.Index(categorical.categories, dtype=object))


def _concat(frames: list[pd.DataFrame], categorical: tuple[str, ...]) -> pd.DataFrame:
    if len(frames) == 1:
        return frames[0]
    for name in categorical:
        union = pd.api.types.union_categoricals([frame[name] for frame in frames]).categories
        for frame in frames:
            frame[name] = frame[name].cat.set_categories(union)
    return pd.concat(frames, ignore_index=True)


def patients(scope: Scope) -> pd.DataFrame:
    stmt = (select(Patient.id.label("patient_id"), Patient.study_code, Site.code.label("site_code"),
                   Patient.language, Patient.status, Patient.status_changed_at, Patient.inclusion_date,
                   Patient.radiotherapy_date, Patient.surgery_date, Patient.education_level, Patient.sms_consent)
            .join(Site, Site.id == Patient.site_id))
    return read_frame(scope.where(stmt, Patient.id), ("study_code", "site_code", "language", "status",
                                                     "education_level"), ("patient_id",))


def administrations(scope: Scope) -> pd.DataFrame:
    stmt = (select(Administration.id.label("administration_id"), Visit.patient_id, Visit.code.label("visit_code"),
                   Visit.target_date, Visit.window_opens, Visit.window_closes, Visit.status.label("visit_status"),
                   Administration.instrument, Administration.status.label("admin_status"), Administration.mode,
                   Administration.language, Administration.pack_id, Administration.pack_version,
                   Administration.submitted_at, Administration.details)
            .join(Visit, Visit.id == Administration.visit_id))
    return read_frame(scope.where(stmt, Visit.patient_id),
                      ("visit_code", "visit_status", "instrument", "admin_status", "mode", "language", "pack_id",
                       "pack_version"), ("administration_id", "patient_id"))


def _submitted(stmt, scope: Scope, owner_column):
    stmt = (stmt.join(Administration, Administration.id == owner_column)
            .join(Visit, Visit.id == Administration.visit_id)
            .where(Administration.status.in_(SUBMITTED)))
    return scope.where(stmt, Visit.patient_id)


def answers(scope: Scope) -> pd.DataFrame:
    stmt = select(ItemAnswer.administration_id, ItemAnswer.item_code, ItemAnswer.state, ItemAnswer.value,
                  ItemAnswer.text_value, ItemAnswer.na_reason)
    return read_frame(_submitted(stmt, scope, ItemAnswer.administration_id), ("item_code", "state", "na_reason"),
                      ("administration_id", "value"))


def scores(scope: Scope) -> pd.DataFrame:
    stmt = select(Score.administration_id, Score.scale, Score.value, Score.algorithm_version)
    return read_frame(_submitted(stmt, scope, Score.administration_id), ("scale", "algorithm_version"),
                      ("administration_id", "value"))


def flags(scope: Scope) -> pd.DataFrame:
    stmt = select(ClinicalFlag.administration_id, ClinicalFlag.scale, ClinicalFlag.rule)
    return read_frame(_submitted(stmt, scope, ClinicalFlag.administration_id), ("scale", "rule"),
                      ("administration_id",))


def messages(scope: Scope) -> pd.DataFrame:
    stmt = select(OutboundMessage.id.label("message_id"), OutboundMessage.patient_id,
                  OutboundMessage.administration_id, OutboundMessage.kind, OutboundMessage.status,
                  OutboundMessage.due_at, OutboundMessage.sent_at, OutboundMessage.status_changed_at,
                  OutboundMessage.attempts, OutboundMessage.last_error_code.label("error_code"),
                  OutboundMessage.cancel_reason, OutboundMessage.language)
    return read_frame(scope.where(stmt, OutboundMessage.patient_id), ("kind", "status", "language"),
                      ("message_id", "patient_id", "administration_id", "attempts"))
