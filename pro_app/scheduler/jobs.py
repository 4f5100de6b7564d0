"""Scheduled jobs. Each opens its own app context and commits once; ids only, nothing pickled."""
from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask

from ..extensions import db
from ..schedule.services import advance_visit_states

log = logging.getLogger("pro_app.scheduler")


def advance_visits(app: Flask) -> None:
    with app.app_context():
        zone = ZoneInfo(app.extensions["pro_app.settings"].study_timezone)
        try:
            changed = advance_visit_states(datetime.now(zone).date())
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        log.info("visit states advanced: %d changed", changed)
