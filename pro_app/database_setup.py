"""Bind SQLAlchemy and Alembic; SQLite runs in WAL mode with synchronous=FULL."""
from __future__ import annotations

import sqlite3

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .audit.services import install_commit_hook as install_audit_commit_hook
from .config import REPO_ROOT, Settings
from .extensions import db, migrate


def configure(app: Flask, settings: Settings) -> None:
    app.config["SQLALCHEMY_DATABASE_URI"] = _driver_url(settings.database_url)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = _engine_options(settings)
    db.init_app(app)
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
    return {"pool_pre_ping": True, "pool_size": settings.database_pool_size,
            "max_overflow": settings.database_max_overflow, "pool_timeout": settings.database_pool_timeout_seconds}


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
    from .schedule import models as _schedule  # noqa: F401
    from .staff import models as _staff  # noqa: F401
    from .study import models as _study  # noqa: F401

