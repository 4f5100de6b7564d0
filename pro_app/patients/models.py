from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import in_list, utcnow
from ..extensions import db
from ..study.models import Site

STATUSES = ("active", "withdrawn", "deceased", "lost")
LANGUAGES = ("fr", "en")
DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")


def normalise_code(text: str) -> str:
    """A study code as stored: no spaces, upper case, every dash a hyphen ("step - 01-099" -> "STEP-01-099")."""
    return "".join(text.split()).translate(DASHES).upper()


class Patient(db.Model):
    """A participant, known only by study code; the phone number is stored encrypted."""

    __tablename__ = "patient"
    __table_args__ = (
        CheckConstraint(in_list("status", STATUSES), name="status_known"),
        CheckConstraint(in_list("language", LANGUAGES), name="language_known"),
        CheckConstraint("radiotherapy_date >= inclusion_date", name="radiotherapy_not_before_inclusion"),
        CheckConstraint("(status = 'active') = (status_changed_at IS NULL)", name="status_change_dated"),
        CheckConstraint("(phone_ciphertext IS NULL) = (phone_lookup IS NULL)", name="phone_hash_with_phone"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    study_code: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), nullable=False, index=True)
    language: Mapped[str] = mapped_column(String(5), nullable=False)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False, default="Europe/Paris")
    phone_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    phone_lookup: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    inclusion_date: Mapped[date] = mapped_column(nullable=False)
    radiotherapy_date: Mapped[date] = mapped_column(nullable=False)
    surgery_date: Mapped[date | None] = mapped_column(nullable=True)
    education_level: Mapped[str | None] = mapped_column(String(40), nullable=True)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="active")
    status_changed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # The day the withdrawal, death or loss happened, as entered by staff (None while active,
    # and for patients who left follow-up before it was recorded).
    status_event_date: Mapped[date | None] = mapped_column(nullable=True)
    sms_consent: Mapped[bool] = mapped_column(nullable=False, default=True)
    sms_opted_out_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # When the patient's choice about texts was last stated (an opt-out, an opt-in, or a keyword
    # repeating the current choice): a change resting on older information is stale.
    sms_choice_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    version: Mapped[int] = mapped_column(nullable=False, default=1)

    site: Mapped[Site] = relationship()
    visits: Mapped[list["Visit"]] = relationship(  # noqa: F821
        back_populates="patient", order_by="Visit.target_date", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def may_receive_sms(self) -> bool:
        return (self.status == "active" and self.sms_consent and self.sms_opted_out_at is None
                and self.phone_ciphertext is not None)
