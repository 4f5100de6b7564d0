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
from sqlalchemy import Select, bindparam, update
from sqlalchemy.orm import joinedload

from ..db import utcnow
from ..extensions import db
from ..patients.models import Patient
from ..schedule.models import Visit
from .models import Administration, PatientLink

TOKEN_BYTES = 16  # 128 bits
TABLET_LINK_HOURS = 3
# Visits closed by staff, and patients who left the study, make every link stop working.
_CLOSED_VISIT_STATUSES = ("not_done", "cancelled")


@dataclass(frozen=True)
class LinkLookup:
    state: str  # ok | not_yet_open | expired | completed | revoked | unknown
    link: PatientLink | None = None


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


def lookup(token: str) -> LinkLookup:
    if not token or len(token) > 64:
        return LinkLookup("unknown")
    link = db.session.scalar(_link_with_patient(), {"token_hash": token_hash(token)})
    if link is None:
        return LinkLookup("unknown")
    return LinkLookup(_state(link, utcnow()), link)


@functools.cache
def _link_with_patient() -> Select:
    """The link with its administration, visit and patient in one query; built once, as every patient
    request runs it and building it costs more than running it. Of the visit and the patient only
    what the patient pages use is read (others load on first use)."""
    visit = joinedload(PatientLink.administration).joinedload(Administration.visit)
    return (db.select(PatientLink).where(PatientLink.token_hash == bindparam("token_hash"))
            .options(visit.load_only(Visit.patient_id, Visit.code, Visit.status, Visit.window_opens),
                     visit.joinedload(Visit.patient).load_only(Patient.language, Patient.status, Patient.version)))


def _state(link: PatientLink, now: datetime) -> str:
    visit = link.administration.visit
    if link.administration.is_submitted or link.revoke_reason == "completed":
        return "completed"
    if link.revoked_at is not None or visit.status in _CLOSED_VISIT_STATUSES:
        return "revoked"
    if visit.patient.status != "active":
        return "revoked"
    if now < link.valid_from:
        return "not_yet_open"
    if now >= link.valid_until:
        return "expired"
    return "ok"
