"""Read the rows behind the exports, in chunks, as pandas frames (no names, no phone numbers)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select

from ..messaging.models import OutboundMessage
from ..patients.models import Patient
from ..questionnaires.models import Administration, ClinicalFlag, ItemAnswer, Score
from ..schedule.models import Visit
from ..scoring import mmse as mmse_scoring
from ..scoring import qlq_c30 as qlq_scoring
from ..study.models import Site
from .bulk import read_columns
from .reading import concat_frames, constant_categorical, read_frame

SUBMITTED = ("submitted", "locked")


@dataclass(frozen=True)
class Scope:
    """Which patients an export covers: one site (or all), optionally a list of patients."""

    site_id: int | None = None
    patient_ids: tuple[int, ...] | None = None

    @property
    def everyone(self) -> bool:
        return self.site_id is None and self.patient_ids is None

    def where(self, stmt, patient_id_column):
        if self.site_id is not None:
            stmt = stmt.where(patient_id_column.in_(select(Patient.id).where(Patient.site_id == self.site_id)))
        if self.patient_ids is not None:
            stmt = stmt.where(patient_id_column.in_(self.patient_ids))
        return stmt


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
    """Rows of submitted administrations in the scope. For the whole study the join is left
    out (scanning millions of rows through it is the slow part): `Sources.positioned` keeps
    only the rows of submitted administrations."""
    if scope.everyone:
        return stmt
    stmt = (stmt.join(Administration, Administration.id == owner_column)
            .join(Visit, Visit.id == Administration.visit_id)
            .where(Administration.status.in_(SUBMITTED)))
    return scope.where(stmt, Visit.patient_id)


def answers(scope: Scope) -> pd.DataFrame:
    """Answered items with a number (nearly all) come in three columns, the others in full:
    fewer values to fetch is what makes a study of millions of answers quick to read."""
    plain = (ItemAnswer.state == "answered") & ItemAnswer.text_value.is_(None) & ItemAnswer.value.is_not(None)
    numbers = _submitted(select(ItemAnswer.administration_id, ItemAnswer.item_code, ItemAnswer.value).where(plain),
                         scope, ItemAnswer.administration_id)
    numbers = _columns(numbers, ("item_code",), ("administration_id", "value"))
    numbers["state"] = constant_categorical("answered", len(numbers))
    numbers["text_value"] = constant_categorical(None, len(numbers))
    numbers["na_reason"] = constant_categorical(None, len(numbers))
    others = select(ItemAnswer.administration_id, ItemAnswer.item_code, ItemAnswer.state, ItemAnswer.value,
                    ItemAnswer.text_value, ItemAnswer.na_reason).where(~plain)
    text = ("item_code", "state", "text_value", "na_reason")
    others = read_frame(_submitted(others, scope, ItemAnswer.administration_id), text, ("administration_id", "value"))
    return concat_frames([numbers, others[numbers.columns]], text)


def _columns(stmt, text: tuple[str, ...], numeric: tuple[str, ...]) -> pd.DataFrame:
    """A large query without missing values: through Arrow on PostgreSQL (`bulk`), else the app's driver."""
    frame = read_columns(stmt, text)
    return frame if frame is not None else read_frame(stmt, text, numeric)


def scores(scope: Scope) -> pd.DataFrame:
    """Scores of the current algorithm versions come without the (long) version text; those
    of earlier versions, and missing scores, with it."""
    current = (qlq_scoring.ALGORITHM_VERSION, mmse_scoring.ALGORITHM_VERSION)
    frames = []
    for version in current:
        stmt = select(Score.administration_id, Score.scale, Score.value).where(
            (Score.algorithm_version == version) & Score.value.is_not(None))
        frame = _columns(_submitted(stmt, scope, Score.administration_id), ("scale",), ("administration_id", "value"))
        frame["algorithm_version"] = constant_categorical(version, len(frame))
        frames.append(frame)
    older = select(Score.administration_id, Score.scale, Score.value, Score.algorithm_version).where(
        Score.algorithm_version.not_in(current) | Score.value.is_(None))
    frames.append(read_frame(_submitted(older, scope, Score.administration_id), ("scale", "algorithm_version"),
                             ("administration_id", "value")))
    return concat_frames(frames, ("scale", "algorithm_version"))


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
