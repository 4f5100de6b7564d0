"""How many SQL statements each patient request runs, so that an extra query shows up here
rather than only in the load benchmark (bench/patient_load.py).

The budget is PostgreSQL's, as in production; transaction control (BEGIN, COMMIT, ROLLBACK) is
not counted (pages shown by GET run none: they read in autocommit). On SQLite the requests that
write audit entries run one statement more: the write lock of the hash chain is a statement of its
own there.
"""
from __future__ import annotations

import contextlib
import re

from sqlalchemy import event

from pro_app.extensions import db
from pro_app.instruments.qlq_c30 import PAGES

BUDGET = {"GET welcome": 1, "POST start": 9, "GET page": 1, "POST page": 6, "GET review": 1, "POST submit": 13,
          "GET thanks": 1}
CHAIN_LOCKED = ("POST start", "POST page", "POST submit")
PAGE_KEY = re.compile(r'name="page_key" value="([0-9a-f]+)"')


@contextlib.contextmanager
def statements_run(engine, into: list):
    def count(_conn, _cursor, statement, *_):
        into.append(" ".join(statement.split()[:6]))
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _budget(kind: str) -> int:
    if db.engine.dialect.name == "postgresql":
        return BUDGET[kind]
    return BUDGET[kind] + (kind in CHAIN_LOCKED)


def _walk(client, token: str, over_budget: list | None = None) -> None:
    def send(kind: str, method: str, path: str, **kwargs):
        statements = []
        with statements_run(db.engine, statements):
            response = client.open(path, method=method, **kwargs)
        assert response.status_code in (200, 303), (kind, response.status_code)
        budget = _budget(kind)
        if over_budget is not None and len(statements) > budget:
            over_budget.append((kind, statements))
        return response

    send("GET welcome", "GET", f"/q/{token}")
    location = send("POST start", "POST", f"/q/{token}/start").location
    for number, items in enumerate(PAGES, start=1):
        key = PAGE_KEY.search(send("GET page", "GET", location).get_data(as_text=True)).group(1)
        answers = {f"q{item}": "2" if item < 29 else "5" for item in items}
        location = send("POST page", "POST", f"/q/{token}/page/{number}",
                        data={"page_key": key, "action": "next", **answers}).location
    send("GET review", "GET", location)
    send("GET thanks", "GET", send("POST submit", "POST", f"/q/{token}/submit").location)


def test_each_patient_request_stays_within_its_statement_budget(client, make):
    first_token, _ = make.questionnaire_link()
    _walk(client, first_token)  # fills the per-process caches (the pack's wording is read once)
    second_token, _ = make.questionnaire_link()
    over_budget = []
    _walk(client, second_token, over_budget)
    assert not over_budget, "\n".join(f"{kind}: {len(run)}: " + " | ".join(run) for kind, run in over_budget)


def _in_transaction(dbapi_connection) -> bool:
    if db.engine.dialect.name == "postgresql":
        from psycopg.pq import TransactionStatus
        return dbapi_connection.info.transaction_status != TransactionStatus.IDLE
    return dbapi_connection.in_transaction


def test_pages_shown_by_get_read_outside_any_transaction(client, make):
    """No BEGIN and ROLLBACK around a page that only reads: its statements run in autocommit."""
    token, _ = make.questionnaire_link()
    location = client.post(f"/q/{token}/start").location
    seen = []

    def after(conn, _cursor, statement, *_):
        seen.append((statement.split()[0], _in_transaction(conn.connection.dbapi_connection)))
    event.listen(db.engine, "after_cursor_execute", after)
    try:
        for path in (f"/q/{token}", location, f"/q/{token}/review"):
            assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "after_cursor_execute", after)
    assert seen and seen == [("SELECT", False)] * len(seen)


def test_a_language_switch_by_get_still_writes_in_one_transaction(client, make):
    token, administration = make.questionnaire_link()
    patient = administration.visit.patient
    location = client.post(f"/q/{token}/start").location
    new_language = "en" if patient.language == "fr" else "fr"
    writes = []

    def after(conn, _cursor, statement, *_):
        if not statement.startswith("SELECT"):
            writes.append(_in_transaction(conn.connection.dbapi_connection))
    event.listen(db.engine, "after_cursor_execute", after)
    try:
        assert client.get(f"{location}?lang={new_language}").status_code == 303
    finally:
        event.remove(db.engine, "after_cursor_execute", after)
    assert writes and all(writes)
    db.session.expire_all()
    assert patient.language == new_language
