from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import in_list, utcnow
from ..extensions import db

INSTRUMENTS = ("qlq_c30", "mmse")
MODES = ("phone", "tablet", "nurse")
ADMIN_STATUSES = ("created", "in_progress", "submitted", "locked")
ANSWER_STATES = ("answered", "skipped", "not_administrable")
NA_REASONS = ("vision", "hearing", "motor", "language", "refusal", "other")


class InstrumentPack(db.Model):
    """Installed wording of one instrument; never edited once an administration references it."""

    __tablename__ = "instrument_pack"
    __table_args__ = (UniqueConstraint("pack_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[str] = mapped_column(String(80), nullable=False)
    version: Mapped[str] = mapped_column(String(40), nullable=False)
    instrument: Mapped[str] = mapped_column(String(20), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    validated: Mapped[bool] = mapped_column(nullable=False, default=False)
    languages: Mapped[str] = mapped_column(String(40), nullable=False)
    content: Mapped[dict] = mapped_column(JSON, nullable=False)
    is_current: Mapped[bool] = mapped_column(nullable=False, default=True)
    installed_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)


class Administration(db.Model):
    """One instrument at one visit: created → in_progress → submitted → locked."""

    __tablename__ = "administration"
    __table_args__ = (
        UniqueConstraint("visit_id", "instrument"),
        CheckConstraint(in_list("instrument", INSTRUMENTS), name="instrument_known"),
        CheckConstraint(in_list("mode", MODES), name="mode_known"),
        CheckConstraint(in_list("status", ADMIN_STATUSES), name="status_known"),
        CheckConstraint("(status IN ('submitted', 'locked')) = (submitted_at IS NOT NULL)",
                        name="submitted_dated"),
        CheckConstraint("(status = 'locked') = (locked_at IS NOT NULL)", name="locked_dated"),
        CheckConstraint("status = 'created' OR started_at IS NOT NULL", name="started_dated"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), nullable=False, index=True)
    instrument: Mapped[str] = mapped_column(String(20), nullable=False)
    mode: Mapped[str] = mapped_column(String(10), nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="created")
    language: Mapped[str | None] = mapped_column(String(5), nullable=True)
    pack_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    pack_version: Mapped[str | None] = mapped_column(String(40), nullable=True)
    pack_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_saved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    locked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    administered_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    signature_meaning: Mapped[str | None] = mapped_column(String(200), nullable=True)
    details: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    version: Mapped[int] = mapped_column(nullable=False, default=1)

    visit: Mapped["Visit"] = relationship(back_populates="administrations")  # noqa: F821
    answers: Mapped[list["ItemAnswer"]] = relationship(back_populates="administration",
                                                       cascade="all, delete-orphan")
    scores: Mapped[list["Score"]] = relationship(back_populates="administration", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_submitted(self) -> bool:
        return self.status in ("submitted", "locked")


class ItemAnswer(db.Model):
    """One item's answer, saved as soon as the patient or nurse moves on."""

    __tablename__ = "item_answer"
    __table_args__ = (
        UniqueConstraint("administration_id", "item_code"),
        CheckConstraint(in_list("state", ANSWER_STATES), name="state_known"),
        CheckConstraint("state <> 'answered' OR value IS NOT NULL OR text_value IS NOT NULL",
                        name="answered_has_value"),
        CheckConstraint("state = 'answered' OR (value IS NULL AND text_value IS NULL)", name="unanswered_empty"),
        CheckConstraint("(state = 'not_administrable') = (na_reason IS NOT NULL)", name="na_has_reason"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"), nullable=False, index=True)
    item_code: Mapped[str] = mapped_column(String(40), nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False)
    value: Mapped[int | None] = mapped_column(nullable=True)
    text_value: Mapped[str | None] = mapped_column(String(200), nullable=True)
    na_reason: Mapped[str | None] = mapped_column(String(20), nullable=True)
    saved_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)

    administration: Mapped[Administration] = relationship(back_populates="answers")


class Score(db.Model):
    """A scale score at full precision (NULL when the half rule leaves it missing)."""

    __tablename__ = "score"
    __table_args__ = (UniqueConstraint("administration_id", "scale"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"), nullable=False, index=True)
    scale: Mapped[str] = mapped_column(String(40), nullable=False)
    value: Mapped[float | None] = mapped_column(Float(precision=53), nullable=True)
    algorithm_version: Mapped[str] = mapped_column(String(120), nullable=False)
    computed_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)

    administration: Mapped[Administration] = relationship(back_populates="scores")


class ClinicalFlag(db.Model):
    """A value clinicians should look at, stored with the rule and its source."""

    __tablename__ = "clinical_flag"
    __table_args__ = (UniqueConstraint("administration_id", "scale", "rule"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"), nullable=False, index=True)
    scale: Mapped[str] = mapped_column(String(40), nullable=False)
    rule: Mapped[str] = mapped_column(String(40), nullable=False)
    value: Mapped[float] = mapped_column(Float(precision=53), nullable=False)
    threshold: Mapped[float] = mapped_column(Float(precision=53), nullable=False)
    source: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)


class PatientLink(db.Model):
    """A questionnaire link; only the token's SHA-256 is stored."""

    __tablename__ = "patient_link"
    __table_args__ = (
        CheckConstraint("(revoked_at IS NULL) = (revoke_reason IS NULL)", name="revocation_has_reason"),
        CheckConstraint("valid_from <= valid_until", name="validity_ordered"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"), nullable=False, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    issued_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    valid_from: Mapped[datetime] = mapped_column(nullable=False)
    valid_until: Mapped[datetime] = mapped_column(nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    revoke_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)

    administration: Mapped[Administration] = relationship()
