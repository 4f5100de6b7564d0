"""SQLite runs in WAL mode with synchronous=FULL on every connection the app opens."""
from pro_app.extensions import db
from tests.integrity.apps import app_on

FULL = 2


def test_every_connection_is_wal_and_synchronous_full(tmp_path):
    with app_on(f"sqlite:///{tmp_path / 'pragmas.sqlite3'}", tmp_path):
        with db.engine.connect() as first, db.engine.connect() as second:
            for conn in (first, second):
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == FULL
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert db.session.execute(db.text("PRAGMA synchronous")).scalar() == FULL
        assert (tmp_path / "pragmas.sqlite3-wal").exists()  # writes go through the write-ahead log
