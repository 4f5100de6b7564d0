"""Read the protocol configured for this app and keep the study and sites tables in step with it."""
from __future__ import annotations

from flask import current_app

from ..extensions import db
from ..protocol import Protocol
from .models import Site, Study


def current_protocol() -> Protocol:
    return current_app.extensions["pro_app.protocol"]


def sync_study(protocol: Protocol) -> Study:
    """Create or update the study row and its sites from the protocol (idempotent)."""
    study = db.session.scalar(db.select(Study).filter_by(code=protocol.code))
    if study is None:
        study = Study(code=protocol.code, title=protocol.title, protocol_sha256=protocol.sha256)
        db.session.add(study)
    study.title, study.protocol_sha256 = protocol.title, protocol.sha256
    existing = {s.code: s for s in db.session.scalars(db.select(Site))}
    for code, name in protocol.sites:
        if code not in existing:
            db.session.add(Site(code=code, name=name))
    db.session.flush()
    return study
