"""Many transactions writing audit entries at once still leave one unbroken chain.

On PostgreSQL each writer takes the chain lock and reads the last hash in one statement string;
this checks that the read sees what the previous holder committed (no two entries chained onto
the same predecessor, no fork).
"""
from __future__ import annotations

import threading

import pytest

from pro_app.audit.models import AuditEntry
from pro_app.audit.services import record, verify_chain
from pro_app.extensions import db
from tests.integrity.apps import emptied_after, kind_app_fixture

WRITERS, COMMITS_EACH = 6, 5


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def kind_app(request, tmp_path_factory):
    with kind_app_fixture(request.param, tmp_path_factory) as app, emptied_after(app):
        yield app


def _writer(app, barrier: threading.Barrier, number: int, failures: list) -> None:
    with app.app_context():
        try:
            barrier.wait()
            for commit in range(COMMITS_EACH):
                record("update", "patient", number, field="language", old=str(commit), new=str(commit + 1))
                record("update", "patient", number, field="sms_consent", old=False, new=True)
                db.session.commit()
        except Exception as error:  # noqa: BLE001  reported by the test below
            failures.append(repr(error))
        finally:
            db.session.remove()


def test_concurrent_commits_chain_every_entry_once(kind_app):
    barrier, failures = threading.Barrier(WRITERS), []
    threads = [threading.Thread(target=_writer, args=(kind_app, barrier, number, failures))
               for number in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == WRITERS * COMMITS_EACH * 2
    assert verify_chain() is None
