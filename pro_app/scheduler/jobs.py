"""Scheduled jobs. Each opens its own app context and commits; ids only, nothing pickled."""
from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask

from ..audit.anchors import AnchorError, AnchorRefused, anchor_head
from ..extensions import db
from ..messaging.dispatcher import Dispatcher
from ..messaging.provider import close_backend, make_backend
from ..reviews.mail import queue_review_mail, send_pending
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


def dispatch_messages(app: Flask) -> None:
    """One dispatcher pass; the outbox, not this job, remembers what is due."""
    with app.app_context():
        backend = make_backend(app.extensions["pro_app.settings"], app.extensions["pro_app.protocol"])
        try:
            report = Dispatcher(backend).run_pass()
        except Exception:
            db.session.rollback()
            raise
        finally:
            close_backend(backend)
        if report:
            log.info("messages dispatched: %s", dict(report))


def anchor_audit_trail(app: Flask) -> None:
    """Write the head of the audit trail to the anchor file, if the trail checks out since the last one."""
    with app.app_context():
        try:
            anchor = anchor_head("scheduler")
        except (AnchorError, AnchorRefused) as exc:
            log.error("audit trail not anchored: %s", exc)  # what it says is what matters: no traceback
            return
        finally:
            db.session.rollback()  # the check only read
        log.info("audit trail anchored at entry %d", anchor.seq)


def send_review_mail(app: Flask) -> None:
    """Queue the investigators' e-mails of newly flagged results, then send the pending ones."""
    with app.app_context():
        try:
            queued = queue_review_mail()
            db.session.commit()
            report = send_pending(app.extensions["pro_app.settings"])
        except Exception:
            db.session.rollback()
            raise
        if queued or report:
            log.info("review mail: %d queued, %s", queued, dict(report))
