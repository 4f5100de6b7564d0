from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import in_list, utcnow
from ..extensions import db
from ..study.models import Site

ROLES = ("nurse", "investigator", "data_manager", "admin")
SITE_BOUND_ROLES = ("nurse", "investigator")


class StaffUser(UserMixin, db.Model):
    __tablename__ = "staff_user"
    __table_args__ = (
        CheckConstraint(in_list("role", ROLES), name="role_known"),
        CheckConstraint(f"NOT ({in_list('role', SITE_BOUND_ROLES)}) OR site_id IS NOT NULL",
                        name="site_bound_role_has_site"),
        CheckConstraint("failed_logins >= 0", name="failed_logins_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(120), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"), nullable=True)
    language: Mapped[str] = mapped_column(String(5), nullable=False, default="fr")
    is_active_account: Mapped[bool] = mapped_column(nullable=False, default=True)
    failed_logins: Mapped[int] = mapped_column(nullable=False, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(nullable=True)
    api_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(nullable=True)

    site: Mapped[Site | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def sees_all_sites(self) -> bool:
        return self.role not in SITE_BOUND_ROLES


# Why a server session ended; the account page and the audit trail use the same words.
END_REASONS = ("logout", "idle", "replaced", "password_changed", "password_reset", "deactivated", "role_changed",
               "site_changed", "ended_by_admin", "logout_everywhere")


class StaffSession(db.Model):
    """One signed-in browser. The cookie holds a random key; only its SHA-256 digest is stored here."""

    __tablename__ = "staff_session"
    __table_args__ = (
        CheckConstraint("(ended_at IS NULL) = (end_reason IS NULL)", name="ended_with_reason"),
        CheckConstraint(f"end_reason IS NULL OR {in_list('end_reason', END_REASONS)}", name="end_reason_known"),
    )
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)
    end_reason: Mapped[str | None] = mapped_column(String(20), nullable=True)


class KeptForm(db.Model):
    """A form posted after an idle sign-out, kept (encrypted) until its author signs in again."""

    __tablename__ = "staff_kept_form"
    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), nullable=False, index=True)
    path: Mapped[str] = mapped_column(String(500), nullable=False)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    kept_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
