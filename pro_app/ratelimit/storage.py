"""A `limits` storage backed by the application's database: `RATE_LIMIT_STORAGE_URI=database://`.

Each check runs in its own short transaction on its own connection, so a counted attempt stays
counted when the request's own transaction rolls back. Supports the fixed-window strategy
(Flask-Limiter's default).
"""
from __future__ import annotations

import hashlib
import itertools
import time

from limits.storage import Storage
from sqlalchemy import case, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from .models import RateLimitCounter as Counter

SCHEME = "database"
# Expired windows are deleted once every this many increments, by whichever request comes.
SWEEP_EVERY = 500


class DatabaseStorage(Storage):
    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._increments = itertools.count(1)

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        insert = (postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert)(Counter)
        ended = Counter.expires_at <= now  # the stored window is over: start a new one
        statement = insert.values(key=_key(key), count=amount, expires_at=now + expiry).on_conflict_do_update(
            index_elements=[Counter.key],
            set_={"count": case((ended, amount), else_=Counter.count + amount),
                  "expires_at": case((ended, now + expiry), else_=Counter.expires_at)},
        ).returning(Counter.count)
        with db.engine.begin() as conn:
            count = conn.execute(statement).scalar_one()
            if next(self._increments) % SWEEP_EVERY == 0:
                conn.execute(delete(Counter).where(Counter.expires_at <= now))
        return count

    def get(self, key: str) -> int:
        with db.engine.connect() as conn:
            count = conn.scalar(select(Counter.count).where(Counter.key == _key(key),
                                                            Counter.expires_at > time.time()))
        return count or 0

    def get_expiry(self, key: str) -> float:
        with db.engine.connect() as conn:
            expires_at = conn.scalar(select(Counter.expires_at).where(Counter.key == _key(key)))
        return max(expires_at or 0.0, time.time())

    def check(self) -> bool:
        try:
            with db.engine.connect() as conn:
                conn.scalar(select(func.count()).select_from(Counter))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with db.engine.begin() as conn:
            return conn.execute(delete(Counter)).rowcount

    def clear(self, key: str) -> None:
        with db.engine.begin() as conn:
            conn.execute(delete(Counter).where(Counter.key == _key(key)))


def _key(key: str) -> str:
    # Keys carry the client address; only its digest is stored.
    return hashlib.sha256(key.encode()).hexdigest()
