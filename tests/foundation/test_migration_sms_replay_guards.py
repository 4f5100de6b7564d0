"""Revision e5121cd44de9 on realistic rows: an opted-out patient's choice is dated from the opt-out,
and going back keeps every patient and visit (SQLite drops the column in place)."""
import pytest
from flask_migrate import downgrade, upgrade

from pro_app import create_app
from pro_app.extensions import db
from tests.conftest import unavailable
from tests.support.databases import throwaway_postgres_url

REVISION = "e5121cd44de9"
PATIENT = ("INSERT INTO patient (id, study_code, site_id, language, timezone, inclusion_date, radiotherapy_date, "
           "status, sms_consent, sms_opted_out_at, created_at, version) VALUES (%s, 'STEP-01-00%s', 1, 'fr', "
           "'Europe/Paris', '2026-01-05', '2026-01-12', 'active', TRUE, %s, '2026-01-05 09:00:00', 1)")


def _rows(sql: str) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.exec_driver_sql(sql)]


def _round_trip(url: str, tmp_path) -> None:
    app = create_app({"PRO_APP_ENV": "test", "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        upgrade(revision=f"{REVISION}-1")
        with db.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO site (id, code, name) VALUES (1, '01', 'CHU')")
            conn.exec_driver_sql(PATIENT % (1, 1, "'2026-02-01 10:00:00'"))
            conn.exec_driver_sql(PATIENT % (2, 2, "NULL"))
            conn.exec_driver_sql("INSERT INTO visit (id, patient_id, code, target_date, window_opens, window_closes, "
                                 "status) VALUES (1, 1, 'm3', '2026-04-12', '2026-04-05', '2026-04-19', 'upcoming')")
        upgrade(revision=REVISION)
        assert _rows("SELECT id, CAST(sms_choice_at AS VARCHAR(30)) FROM patient ORDER BY id") == [
            (1, "2026-02-01 10:00:00"), (2, None)]
        downgrade(revision=f"{REVISION}-1")
        assert _rows("SELECT count(*) FROM patient") == [(2,)] and _rows("SELECT count(*) FROM visit") == [(1,)]
        db.engine.dispose()


def test_sqlite_dates_existing_opt_outs_and_downgrades_with_rows(tmp_path):
    _round_trip(f"sqlite:///{tmp_path / 'migrate.sqlite3'}", tmp_path)


@pytest.mark.postgres
def test_postgresql_dates_existing_opt_outs_and_downgrades_with_rows(tmp_path):
    with throwaway_postgres_url(on_unavailable=unavailable) as url:
        _round_trip(url, tmp_path)
