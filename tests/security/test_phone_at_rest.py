"""Phone numbers are encrypted at rest: no table holds one in clear, and on SQLite neither do
the database's files (the main file and its write-ahead log)."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import make_url

from pro_app.extensions import db
from tests.conftest import TEST_DB

NUMBER = "+33612345678"
DIGITS = ("612345678", "6 12 34 56 78", "06 12 34 56 78")


def _every_stored_value() -> str:
    values = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                values.extend(repr(value) for value in row)
    return "\n".join(values)


def test_no_table_and_no_database_file_holds_a_phone_number_in_clear(app, make):
    patient = make.patient(phone=NUMBER)
    assert patient.phone_ciphertext and patient.may_receive_sms
    stored = _every_stored_value()
    assert not any(digits in stored for digits in DIGITS)
    if TEST_DB == "sqlite":
        database = Path(make_url(str(db.engine.url)).database)
        raw = b"".join(path.read_bytes() for path in (database, Path(f"{database}-wal")) if path.exists())
        assert not any(digits.encode() in raw for digits in DIGITS)
