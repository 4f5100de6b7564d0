"""Questionnaire links: 128-bit random tokens of which only the SHA-256 is stored.

Each SMS carries a link minted when it is sent, so that no usable token ever rests in the
database; every link of an administration stays valid until the questionnaire is submitted,
the patient leaves the study, or staff reissue the link (which revokes the older ones).
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from ..db import utcnow
from ..extensions import db
from .models import Administration, PatientLink

TOKEN_BYTES = 16  # 128 bits


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


def issue_link(administration: Administration, *, revoke_others: bool = False) -> str:
    """Mint a link for this administration and return the token (shown once, never stored)."""
    if revoke_others:
        revoke_links(administration, "reissued")
    visit = administration.visit
    zone = visit.patient.timezone
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(PatientLink(
        administration=administration, token_hash=token_hash(token),
        valid_from=_local_to_utc(visit.window_opens, time(0, 0), zone),
        valid_until=_local_to_utc(visit.window_closes + timedelta(days=1), time(0, 0), zone)))
    db.session.flush()
    return token


def revoke_links(administration: Administration, reason: str) -> None:
    now = utcnow()
    for link in db.session.scalars(db.select(PatientLink).filter_by(administration_id=administration.id,
                                                                      revoked_at=None)):
        link.revoked_at, link.revoke_reason = now, reason


def lookup(token: str) -> LinkLookup:
    if not token or len(token) > 64:
        return LinkLookup("unknown")
    link = db.session.scalar(db.select(PatientLink).filter_by(token_hash=token_hash(token)))
    if link is None:
        return LinkLookup("unknown")
    now = utcnow()
    if link.administration.is_submitted or link.revoke_reason == "completed":
        return LinkLookup("completed", link)
    if link.revoked_at is not None:
        return LinkLookup("revoked", link)
    if now < link.valid_from:
        return LinkLookup("not_yet_open", link)
    if now >= link.valid_until:
        return LinkLookup("expired", link)
    return LinkLookup("ok", link)
