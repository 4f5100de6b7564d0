"""A worker killed in the middle of a submission leaves all of it or none of it.

A real gunicorn server on 127.0.0.1 (one sync worker) on a throwaway PostgreSQL database; the
patient has answered every page. Where the submission is stopped: the audit entries are chained
and inserted in `before_commit`, under the advisory lock `CHAIN_LOCK_KEY`, after every other write
of the submission has been flushed (status, scores, flags, reminders cancelled, links revoked).
The test holds that lock from its own connection, so the submit request blocks at the last
moment before COMMIT, with everything else written: the worst place to die. pg_locks shows the
request waiting there and holding its writes. Then either the worker alone is SIGKILLed (the
master starts a new one) or the whole server is (and is started again), and the lock released:
the database must hold none of the submission, and the same submission then goes through once.
"""
from __future__ import annotations

import os
import signal
import threading

import psycopg
import pytest

from pro_app.audit.models import AuditEntry
from pro_app.audit.services import CHAIN_LOCK_KEY, verify_chain
from pro_app.extensions import db
from pro_app.questionnaires.models import Administration, ClinicalFlag, ItemAnswer, PatientLink, Score
from tests.integrity.patient_server import postgres_app, started_patient
from tests.questionnaires.conftest import Patient
from tests.support.live_server import LiveServer, wait_for

pytestmark = pytest.mark.postgres

WAIT_SECONDS = 120
WRITTEN_BEFORE_THE_LOCK = {"administration", "score", "patient_link"}
WAITING_ON_THE_CHAIN = """
    SELECT pid FROM pg_locks
    WHERE locktype = 'advisory' AND NOT granted AND classid = 0 AND objid = %s AND objsubid = 1
      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"""
WRITES_HELD = """
    SELECT relation::regclass::text FROM pg_locks
    WHERE pid = %s AND locktype = 'relation' AND mode = 'RowExclusiveLock' AND granted"""


def _state(administration_id: int) -> dict:
    db.session.expire_all()
    count = lambda model, **filters: db.session.scalar(  # noqa: E731
        db.select(db.func.count()).select_from(model).filter_by(**filters))
    administration = db.session.get(Administration, administration_id)
    return {
        "status": administration.status,
        "answers": count(ItemAnswer, administration_id=administration_id),
        "scores": count(Score, administration_id=administration_id),
        "flags": count(ClinicalFlag, administration_id=administration_id),
        "revoked links": db.session.scalar(db.select(db.func.count()).select_from(PatientLink).where(
            PatientLink.administration_id == administration_id, PatientLink.revoked_at.is_not(None))),
        "submit entries": count(AuditEntry, action="submit", entity_id=str(administration_id)),
        "score entries": count(AuditEntry, action="score", entity_id=str(administration_id)),
        "audit entries": count(AuditEntry),
    }


class Blocked:
    """A request sent from a thread, whose end (an answer or a broken connection) is kept."""

    def __init__(self, send):
        self.outcome = None
        self._thread = threading.Thread(target=self._run, args=(send,), daemon=True)
        self._thread.start()

    def _run(self, send):
        try:
            self.outcome = send()
        except OSError as error:
            self.outcome = error

    def wait(self, seconds: float):
        self._thread.join(seconds)
        assert not self._thread.is_alive(), "the request did not end"
        return self.outcome


def _blocked_backend(watcher) -> int:
    """The PostgreSQL backend of the submit request, once it waits for the chain lock."""
    def waiting():
        row = watcher.execute(WAITING_ON_THE_CHAIN, (CHAIN_LOCK_KEY,)).fetchone()
        return row[0] if row else None
    return wait_for(waiting, WAIT_SECONDS, "the submission to wait for the audit chain lock")


def _gone(watcher, backend: int) -> bool:
    return watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (backend,)).fetchone()[0] == 0


def _kill_in_the_middle_of_a_submission(server: LiveServer, url: str, token: str, killed: str) -> None:
    """Submit, wait until the request blocks before COMMIT holding its writes, kill, serve again."""
    worker = server.the_worker()
    with psycopg.connect(url, autocommit=True) as holder, psycopg.connect(url, autocommit=True) as watcher:
        holder.execute("SELECT pg_advisory_lock(%s)", (CHAIN_LOCK_KEY,))
        submit = Blocked(lambda: server.request("POST", f"/q/{token}/submit", timeout=900))
        backend = _blocked_backend(watcher)
        held = {row[0] for row in watcher.execute(WRITES_HELD, (backend,))}
        assert WRITTEN_BEFORE_THE_LOCK <= held, held
        if killed == "worker":
            os.kill(worker, signal.SIGKILL)
        else:
            server.kill()
        assert isinstance(submit.wait(WAIT_SECONDS), OSError)  # the connection broke, no answer
        holder.execute("SELECT pg_advisory_unlock(%s)", (CHAIN_LOCK_KEY,))
        wait_for(lambda: _gone(watcher, backend), WAIT_SECONDS, "the killed request's transaction to end")
    if killed == "worker":
        wait_for(lambda: [pid for pid in server.worker_pids() if pid != worker], WAIT_SECONDS, "a new worker")
    else:
        server.start()


@pytest.mark.parametrize("killed", ["worker", "server"])
def test_a_worker_killed_before_the_commit_of_a_submission_leaves_none_of_it(tmp_path, killed):
    with postgres_app(tmp_path) as (app, url):
        token, administration_id = started_patient(app, "fr")
        Patient(app.test_client(), token).answer_all()
        before = _state(administration_id)
        assert {key: value for key, value in before.items() if key != "audit entries"} == {
            "status": "in_progress", "answers": 30, "scores": 0, "flags": 0, "revoked links": 0,
            "submit entries": 0, "score entries": 0}
        with LiveServer(url, tmp_path) as server:
            _kill_in_the_middle_of_a_submission(server, url, token, killed)
            assert _state(administration_id) == before
            assert verify_chain() is None
            for _ in range(2):  # the patient taps again: one submission, whatever the number of taps
                sent = server.request("POST", f"/q/{token}/submit")
                assert (sent.status, sent.headers["Location"]) == (303, f"/q/{token}/thanks")
        after = _state(administration_id)
        assert after["status"] == "submitted" and after["scores"] > 0 and after["revoked links"] == 1
        assert (after["answers"], after["submit entries"], after["score entries"]) == (30, 1, 1)
        assert verify_chain() is None
        assert token not in server.log_text()
