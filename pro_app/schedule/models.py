from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import in_list
from ..extensions import db

VISIT_STATUSES = ("upcoming", "open", "completed", "partial", "missed", "not_done", "cancelled")
FINAL_VISIT_STATUSES = ("completed", "partial", "missed", "not_done", "cancelled")
# A baseline answered after the first radiotherapy fraction is kept, but is not a baseline.
TIMING_FLAGS = ("after_treatment_start",)


class Visit(db.Model):
    """One protocol visit of one patient, with its target date and window (local dates)."""

    __tablename__ = "visit"
    __table_args__ = (
        UniqueConstraint("patient_id", "code"),
        CheckConstraint(in_list("status", VISIT_STATUSES), name="status_known"),
        CheckConstraint("window_opens <= window_closes", name="window_ordered"),
        CheckConstraint("status <> 'not_done' OR status_reason IS NOT NULL", name="not_done_has_reason"),
        CheckConstraint("status NOT IN ('completed', 'partial') OR completed_at IS NOT NULL",
                        name="completion_dated"),
        CheckConstraint(f"timing_flag IS NULL OR {in_list('timing_flag', TIMING_FLAGS)}", name="timing_flag_known"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), nullable=False, index=True)
    code: Mapped[str] = mapped_column(String(20), nullable=False)
    target_date: Mapped[date] = mapped_column(nullable=False)
    window_opens: Mapped[date] = mapped_column(nullable=False)
    window_closes: Mapped[date] = mapped_column(nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="upcoming")
    status_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    timing_flag: Mapped[str | None] = mapped_column(String(30), nullable=True)

    patient: Mapped["Patient"] = relationship(back_populates="visits")  # noqa: F821
    administrations: Mapped[list["Administration"]] = relationship(  # noqa: F821
        back_populates="visit", cascade="all, delete-orphan")

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_VISIT_STATUSES

    def administration(self, instrument: str):
        return next((a for a in self.administrations if a.instrument == instrument), None)
