"""Apps on fresh databases of a chosen kind, whatever PRO_APP_TEST_DB the suite runs on."""
from __future__ import annotations

import contextlib

from tests.conftest import unavailable
from tests.support.client import IsolatedClient
from tests.support.databases import throwaway_postgres_url, truncate_all


@contextlib.contextmanager
def fresh_database_url(kind: str, tmp_path, name: str = "fresh"):
    if kind == "postgresql":
        with throwaway_postgres_url(on_unavailable=unavailable) as url:
            yield url
        return
    yield f"sqlite:///{tmp_path / f'{name}.sqlite3'}"


@contextlib.contextmanager
def app_on(url: str, tmp_path, create_tables: bool = True, **overrides):
    """An app bound to `url`, its context pushed, its tables created; the engine disposed after."""
    from pro_app.extensions import db

    app = build_app(url, tmp_path, create_tables, **overrides)
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()  # this context's session: dispose() pushes a context (and session) of its own
            dispose(app)


def build_app(url: str, tmp_path, create_tables: bool = True, **overrides):
    from pro_app import create_app
    from pro_app.extensions import db

    app = create_app({"PRO_APP_ENV": "test", "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path),
                      "SMS_BACKEND": "console", **overrides})
    app.test_client_class = IsolatedClient
    if create_tables:
        with app.app_context():
            db.create_all()
    return app


def dispose(app) -> None:
    from pro_app.extensions import db
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@contextlib.contextmanager
def kind_app_fixture(kind: str, tmp_path_factory):
    """For a module-scoped fixture: one fresh database of `kind` shared by the module's tests."""
    tmp_path = tmp_path_factory.mktemp(kind)
    with fresh_database_url(kind, tmp_path) as url:
        app = build_app(url, tmp_path)
        try:
            yield app
        finally:
            dispose(app)


@contextlib.contextmanager
def emptied_after(app):
    """Push the app's context for one test, then empty every table (as the suite's `app` does)."""
    from pro_app.extensions import db
    with app.app_context():
        try:
            yield app
        finally:
            db.session.rollback()
            db.session.remove()
            truncate_all(db)
