"""A sending rate shared by every dispatcher, through one row of the database.

Each send reserves the next free slot with one atomic UPDATE (a row lock on PostgreSQL, the
single writer on SQLite), then sleeps until it: slots are 1/rate seconds apart whichever
process takes them, so the rate holds across processes without any of them knowing the others.
"""
from __future__ import annotations

import time

from sqlalchemy import func, update
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from .models import SendThrottle

ROW_ID = 1
MAX_LATE_SLOTS = 5


class Throttle:
    def __init__(self, messages_per_second: float, clock=time.time, sleep=time.sleep):
        self.interval = 1.0 / messages_per_second if messages_per_second > 0 else 0.0
        self._clock, self._sleep = clock, sleep
        self._row_ready = False

    @property
    def limited(self) -> bool:
        return self.interval > 0

    def wait_for_slot(self) -> None:
        """Block until this process may start one more send. Commits its own short transactions.

        A process that wakes up well after its slot (descheduled on a busy host) gives the slot
        up and takes another, rather than sending in the middle of the next slots' owners.
        """
        if not self.limited:
            return
        for _ in range(MAX_LATE_SLOTS):
            slot = self._reserve(self._clock())
            delay = slot - self._clock()
            if delay > 0:
                self._sleep(delay)
            if self._clock() - slot <= self.interval / 2:
                return

    def _reserve(self, now: float) -> float:
        self._ensure_row()
        greatest = func.greatest if db.session.get_bind().dialect.name == "postgresql" else func.max
        statement = (update(SendThrottle).where(SendThrottle.id == ROW_ID)
                     .values(next_slot=greatest(SendThrottle.next_slot, now) + self.interval)
                     .returning(SendThrottle.next_slot)
                     .execution_options(synchronize_session=False))
        next_free = db.session.scalar(statement)
        db.session.commit()
        return next_free - self.interval

    def _ensure_row(self) -> None:
        if self._row_ready:
            return
        insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
        db.session.execute(insert(SendThrottle).values(id=ROW_ID, next_slot=0.0).on_conflict_do_nothing())
        db.session.commit()
        self._row_ready = True
