"""How many SQL statements each patient request runs, so that an extra query shows up here
rather than only in the load benchmark (bench/patient_load.py).

The budget is PostgreSQL's, as in production; transaction control (BEGIN, COMMIT, ROLLBACK) is
not counted. On SQLite the requests that write audit entries run one statement more (the write
lock of the hash chain is a statement of its own there), and Submit is not compared: without a
sentinel column the ORM inserts its score and flag rows one statement each there.
"""
from __future__ import annotations

import contextlib
import re

from sqlalchemy import event

from pro_app.extensions import db
from pro_app.instruments.qlq_c30 import PAGES

BUDGET = {"GET welcome": 1, "POST start": 7, "GET page": 2, "POST page": 6, "GET review": 2, "POST submit": 12,
          "GET thanks": 1}
CHAIN_LOCKED = ("POST start", "POST page")
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


def _budget(kind: str) -> int | None:
    if db.engine.dialect.name == "postgresql":
        return BUDGET[kind]
    return None if kind == "POST submit" else BUDGET[kind] + (kind in CHAIN_LOCKED)


def _walk(client, token: str, over_budget: list | None = None) -> None:
    def send(kind: str, method: str, path: str, **kwargs):
        statements = []
        with statements_run(db.engine, statements):
            response = client.open(path, method=method, **kwargs)
        assert response.status_code in (200, 303), (kind, response.status_code)
        budget = _budget(kind)
        if over_budget is not None and budget is not None and len(statements) > budget:
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
    assert not over_budget, over_budget
