"""Bind SQLAlchemy and Alembic; SQLite runs in WAL mode with synchronous=FULL, alone in its process."""
from __future__ import annotations

import sqlite3
import time

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

from .audit.services import install_commit_hook as install_audit_commit_hook
from .config import REPO_ROOT, Settings
from .extensions import db, migrate
from .sqlite_library import refuse_second_library


def configure(app: Flask, settings: Settings) -> None:
    if settings.is_sqlite:
        refuse_second_library()
    app.config["SQLALCHEMY_DATABASE_URI"] = _driver_url(settings.database_url)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = _engine_options(settings)
    db.init_app(app)
    if not settings.is_sqlite:
        with app.app_context():
            _ping_after_idle(db.engine)
    _import_models()
    install_audit_commit_hook()
    migrate.init_app(app, db, directory=str(REPO_ROOT / "migrations"), render_as_batch=True)


def _driver_url(url: str) -> str:
    # psycopg 3 is the driver we ship; accept the plain postgresql:// scheme.
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _engine_options(settings: Settings) -> dict:
    if settings.is_sqlite:
        return {"connect_args": {"timeout": 30}}
    return {"pool_size": settings.database_pool_size, "max_overflow": settings.database_max_overflow,
            "pool_timeout": settings.database_pool_timeout_seconds}


# A pooled PostgreSQL connection left unused this long is pinged before it is handed out, so a
# server restart or a dropped connection is replaced without the request noticing. One reused
# sooner is not: under load that ping was one round trip in every request, and a restart in
# between fails at most the requests already holding a connection (a 503 retry page for a
# patient), after which SQLAlchemy renews the whole pool.
PING_AFTER_IDLE_SECONDS = 5.0
_CHECKED_IN_AT = "pro_app.checked_in_at"


def _ping_after_idle(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def _remember_checkin(_dbapi_connection, record) -> None:
        record.info[_CHECKED_IN_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
        idle = time.monotonic() - record.info.get(_CHECKED_IN_AT, float("-inf"))
        if idle > PING_AFTER_IDLE_SECONDS and not _answers_ping(engine, dbapi_connection):
            raise DisconnectionError("pooled connection lost while idle")  # the pool connects anew


def _answers_ping(engine: Engine, dbapi_connection) -> bool:
    try:
        return engine.dialect.do_ping(dbapi_connection)
    except engine.dialect.loaded_dbapi.Error:
        return False


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _import_models() -> None:
    """Import every model module so that metadata (and Alembic) sees all tables."""
    from .audit import models as _audit  # noqa: F401
    from .messaging import models as _messaging  # noqa: F401
    from .patients import models as _patients  # noqa: F401
    from .questionnaires import models as _questionnaires  # noqa: F401
    from .ratelimit import models as _ratelimit  # noqa: F401
    from .reviews import models as _reviews  # noqa: F401
    from .schedule import models as _schedule  # noqa: F401
    from .staff import models as _staff  # noqa: F401
    from .study import models as _study  # noqa: F401

