"""Questionnaire links: 128-bit random tokens of which only the SHA-256 is stored.

Each SMS carries a link minted when it is sent, so that no usable token ever rests in the
database; every link of an administration stays valid until the questionnaire is submitted,
the patient leaves the study, or staff reissue the link (which revokes the older ones).
A clinic tablet gets its own short-lived link (`issue_tablet_link`) that leaves SMS links alone.
"""
from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Select, bindparam, select, update

from ..db import utcnow
from ..extensions import db
from ..patients.models import Patient
from ..schedule.models import Visit
from .answers import Saved, answers_in_one_column, parse_answers_column
from .models import Administration, PatientLink

TOKEN_BYTES = 16  # 128 bits
TABLET_LINK_HOURS = 3
# Visits closed by staff, and patients who left the study, make every link stop working.
_CLOSED_VISIT_STATUSES = ("not_done", "cancelled")


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """What the patient pages need of a link, its administration, visit and patient: one row, no ORM objects."""

    token_hash: str
    valid_from: datetime
    valid_until: datetime
    revoked_at: datetime | None
    revoke_reason: str | None
    administration_id: int
    instrument: str
    status: str
    language: str | None
    pack_id: str | None
    pack_version: str | None
    pack_sha256: str | None
    visit_status: str
    window_opens: date
    patient_id: int
    patient_language: str
    patient_status: str

    @property
    def is_submitted(self) -> bool:
        return self.status in ("submitted", "locked")

    @property
    def pack_key(self) -> tuple[str | None, str | None, str | None]:
        return self.pack_id, self.pack_version, self.pack_sha256


@dataclass(frozen=True)
class LinkLookup:
    state: str  # ok | not_yet_open | expired | completed | revoked | unknown
    link: LinkRecord | None = None
    saved: dict[str, Saved] | None = None  # the administration's answers, when asked for


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_url(token: str) -> str:
    return f"{current_app.extensions['pro_app.settings'].public_base_url}/q/{token}"


def _local_to_utc(day: date, clock: time, zone: str) -> datetime:
    local = datetime.combine(day, clock, tzinfo=ZoneInfo(zone))
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def window_utc(visit: Visit) -> tuple[datetime, datetime]:
    """The visit window in naive UTC: from midnight of the first day to midnight after the last."""
    zone = visit.patient.timezone
    return (_local_to_utc(visit.window_opens, time(0, 0), zone),
            _local_to_utc(visit.window_closes + timedelta(days=1), time(0, 0), zone))


def issue_link(administration: Administration, *, revoke_others: bool = False) -> str:
    """Mint a link for this administration and return the token (shown once, never stored)."""
    if revoke_others:
        revoke_links(administration, "reissued")
    valid_from, valid_until = window_utc(administration.visit)
    return _mint(administration, valid_from, valid_until)


def issue_tablet_link(administration: Administration, now: datetime | None = None) -> str:
    """A link for a self-completion on a clinic tablet: from now, for a few hours, within the window."""
    now = now or utcnow()
    _, closes = window_utc(administration.visit)
    return _mint(administration, now, max(now, min(closes, now + timedelta(hours=TABLET_LINK_HOURS))))


def _mint(administration: Administration, valid_from: datetime, valid_until: datetime) -> str:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(PatientLink(administration=administration, token_hash=token_hash(token),
                               valid_from=valid_from, valid_until=valid_until))
    db.session.flush()
    return token


def revoke_links(administration: Administration, reason: str) -> int:
    """Revoke every live link of the administration; returns how many were revoked."""
    result = db.session.execute(
        update(PatientLink)
        .where(PatientLink.administration_id == administration.id, PatientLink.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoke_reason=reason))
    return result.rowcount


def lookup(token: str, *, with_answers: bool = False) -> LinkLookup:
    """The link of this token and its state; `with_answers` reads the saved answers in the same query."""
    if not token or len(token) > 64:
        return LinkLookup("unknown")
    query = _link_record_query(with_answers)
    row = db.session.connection().execute(query, {"token_hash": token_hash(token)}).first()
    if row is None:
        return LinkLookup("unknown")
    link = LinkRecord(*row[:_RECORD_FIELDS])
    saved = parse_answers_column(row[_RECORD_FIELDS]) if with_answers else None
    return LinkLookup(_state(link, utcnow()), link, saved)


_RECORD_FIELDS = len(LinkRecord.__slots__)


@functools.cache
def _link_record_query(with_answers: bool) -> Select:
    """The link with what the pages use of its administration, visit and patient, in one row. Built
    once and run on the connection, not through the ORM: every patient request runs it."""
    link, administration = PatientLink.__table__.c, Administration.__table__.c
    visit, patient = Visit.__table__.c, Patient.__table__.c
    answers = (answers_in_one_column(administration.id),) if with_answers else ()
    return (select(link.token_hash, link.valid_from, link.valid_until, link.revoked_at, link.revoke_reason,
                   administration.id, administration.instrument, administration.status, administration.language,
                   administration.pack_id, administration.pack_version, administration.pack_sha256,
                   visit.status, visit.window_opens, patient.id, patient.language, patient.status, *answers)
            .select_from(PatientLink.__table__
                         .join(Administration.__table__, administration.id == link.administration_id)
                         .join(Visit.__table__, visit.id == administration.visit_id)
                         .join(Patient.__table__, patient.id == visit.patient_id))
            .where(link.token_hash == bindparam("token_hash")))


def _state(link: LinkRecord, now: datetime) -> str:
    if link.is_submitted or link.revoke_reason == "completed":
        return "completed"
    if link.revoked_at is not None or link.visit_status in _CLOSED_VISIT_STATUSES:
        return "revoked"
    if link.patient_status != "active":
        return "revoked"
    if now < link.valid_from:
        return "not_yet_open"
    if now >= link.valid_until:
        return "expired"
    return "ok"
