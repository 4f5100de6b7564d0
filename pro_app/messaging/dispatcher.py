"""One dispatcher pass: sweep, reconcile, claim → send → record batch after batch, apply held reports.

Transactions: (1) claim and prepare a batch, commit; (2) call the provider for each message,
outside any transaction; (3) record the outcomes, commit. A process that dies between (1) and
(3) leaves its rows claimed; once the lease lapses another pass marks them unknown and
reconciles them with the provider.
"""
from __future__ import annotations

import logging
import os
import secrets
import socket
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app

from ..db import utcnow
from ..extensions import db
from .backends import UNKNOWN, SendOutcome, SmsBackend
from .callbacks import apply_held_reports
from .claims import expire_overdue, lapse_leases
from .outcomes import RELEASED, record_outcomes
from .preparation import Batch, Prepared, prepare_batch
from .provider import status_callback_url
from .reconcile import reconcile_unknown
from .throttle import Throttle

DEFAULT_BATCH = 50
# A send starts only if the lease outlives the provider's timeout by this much.
LEASE_SAFETY = timedelta(seconds=5)

log = logging.getLogger("pro_app.sms")


def worker_id() -> str:
    return f"{socket.gethostname()[:50]}:{os.getpid()}:{secrets.token_hex(3)}"


class Dispatcher:
    def __init__(self, backend: SmsBackend, *, clock: Callable[[], datetime] = utcnow,
                 batch_size: int = DEFAULT_BATCH, throttle: Throttle | None = None, worker: str | None = None):
        settings = current_app.extensions["pro_app.settings"]
        self.policy = current_app.extensions["pro_app.protocol"].reminders
        self.backend, self.clock, self.worker = backend, clock, worker or worker_id()
        self.lease = timedelta(seconds=self.policy.lease_seconds)
        self.throttle = throttle or Throttle(self.policy.messages_per_second)
        self.batch_size = _batch_size(batch_size, self.throttle, self.policy.lease_seconds)
        self.callback_url = status_callback_url(settings)
        self.send_margin = timedelta(seconds=settings.twilio_timeout_seconds) + LEASE_SAFETY

    def run_pass(self, max_batches: int | None = None) -> Counter:
        """Everything due now; returns counts by outcome."""
        report = Counter()
        now = self.clock()
        report["expired"] += expire_overdue(now)
        report["lease_lapsed"] += lapse_leases(now)
        db.session.commit()
        while (checked := reconcile_unknown(self.backend, self.worker, now, now + self.lease, self.batch_size)):
            report["reconciled"] += checked
        batches = 0
        while max_batches is None or batches < max_batches:
            claimed = self.run_batch(report)
            batches += 1
            if not claimed:
                break
        # Delivery reports that came before their sid was recorded, by this pass or reconciliation.
        report["reports_applied"] += apply_held_reports(self.clock())
        db.session.commit()
        return report

    def run_batch(self, report: Counter) -> int:
        now = self.clock()
        batch = prepare_batch(self.worker, now, now + self.lease, self.batch_size, self.policy, self.callback_url)
        db.session.commit()
        report.update(batch.set_aside)
        if batch.ready:
            results = [(prepared, self._send(prepared, batch)) for prepared in batch.ready]
            report.update(record_outcomes(results, self.worker, self.clock(), self.policy))
            db.session.commit()
        return batch.claimed

    def _send(self, prepared: Prepared, batch: Batch) -> SendOutcome:
        self.throttle.wait_for_slot()
        if self.clock() > batch.lease_until - self.send_margin:
            return SendOutcome(RELEASED)
        try:
            return self.backend.send(prepared.sms)
        except Exception:  # a backend bug must not lose the row: it may have been sent
            log.exception("SMS backend raised while sending message %s", prepared.message_id)
            return SendOutcome(UNKNOWN, error_message="unexpected error in the SMS backend")


def _batch_size(requested: int, throttle: Throttle, lease_seconds: int) -> int:
    """Under a rate limit, a batch must be sendable well within one lease."""
    if not throttle.limited:
        return requested
    return max(1, min(requested, int(lease_seconds / throttle.interval / 4)))
