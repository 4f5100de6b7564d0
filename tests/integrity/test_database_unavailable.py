"""The database unavailable during a patient's page: a kind retry page, and the answer kept.

A real server (gunicorn) on 127.0.0.1 reaches PostgreSQL through a forwarder that the test
cuts: the pooled connections die and new ones are closed at once. Nothing of the app is
replaced. Once the forwarder lets connections through again, the app recovers by itself (a lost
connection renews SQLAlchemy's pool; see also `database_setup._ping_after_idle`) and the retry
form, read out of the 503 page, saves the answers.
"""
from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.questionnaires.answers import Saved, saved_answers
from tests.integrity.apps import app_on, fresh_database_url
from tests.integrity.patient_server import HIDDEN, hidden_fields, postgres_app, started_patient
from tests.questionnaires.conftest import Patient
from tests.support.forwarder import Forwarder
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.postgres

TITLES = {"fr": "Le service est momentanément indisponible", "en": "The service is briefly unavailable"}
INTERNALS = ("OperationalError", "psycopg", "sqlalchemy", "Traceback", "5432", "postgres")


def _page_answers(administration_id: int) -> dict[str, Saved]:
    db.session.expire_all()
    return {code: saved for code, saved in saved_answers(administration_id).items() if code in ("q6", "q7")}


def _page_saves(administration_id: int) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(AuditEntry).filter_by(
        action="save_answers", entity_id=str(administration_id), field="page 2"))


def _assert_kind(response, token: str, language: str, forwarder: Forwarder) -> None:
    assert response.status == 503, (response.status, response.text[-3000:])
    assert f'<html lang="{language}"' in response.text
    assert TITLES[language] in response.text
    shown = HIDDEN.sub("", response.text)  # the page key is random hex: it may hold any digits
    for internal in (token, str(forwarder.port), *INTERNALS):
        assert internal not in shown
    assert token not in response.text


def test_a_page_posted_while_the_database_is_down_is_kept_and_saved_once_it_is_back(tmp_path):
    with postgres_app(tmp_path) as (app, url):
        token, administration_id = started_patient(app, "fr")
        en_token, _ = started_patient(app, "en")
        with Forwarder() as forwarder, LiveServer(forwarder.url_for(url), tmp_path) as server:
            page = server.request("GET", f"/q/{token}/page/2")
            assert page.status == 200, (page.status, page.text[-3000:])
            posted = [*hidden_fields(page.text), ("q6", "3"), ("q7", "1"), ("action", "next")]
            assert ("page_lang", "fr") in posted
            en_page = server.request("GET", f"/q/{en_token}/page/2")

            forwarder.cut()
            retry = server.request("POST", f"/q/{token}/page/2", data=posted)
            _assert_kind(retry, token, "fr", forwarder)
            assert hidden_fields(retry.text) == posted
            en_retry = server.request("POST", f"/q/{en_token}/page/2",
                                      data=[*hidden_fields(en_page.text), ("q6", "2"), ("action", "next")])
            _assert_kind(en_retry, en_token, "en", forwarder)
            assert "Try again" in en_retry.text
            reopened = server.request("GET", f"/q/{token}/page/2")
            _assert_kind(reopened, token, "fr", forwarder)
            assert 'href="" id="retry-link"' in reopened.text
            assert _page_answers(administration_id) == {}

            forwarder.restore()
            saved = server.request("POST", f"/q/{token}/page/2", data=hidden_fields(retry.text))
            assert (saved.status, saved.headers.get("Location")) == (303, f"/q/{token}/page/3"), saved.text[-3000:]
            assert _page_answers(administration_id) == {"q6": Saved("answered", 3), "q7": Saved("answered", 1)}
            assert _page_saves(administration_id) == 1
            assert forwarder.refused > 0  # the app did try, and was refused, while cut
        assert token not in server.log_text() and en_token not in server.log_text()


def test_staff_and_api_paths_keep_the_generic_503(tmp_path):
    with postgres_app(tmp_path) as (app, url):
        with Forwarder() as forwarder, LiveServer(forwarder.url_for(url), tmp_path) as server:
            forwarder.cut()
            health = server.request("GET", "/healthz")
            assert health.status == 503
            assert "retry-form" not in health.text and "retry-link" not in health.text
            api = server.request("GET", "/api/v1/tables", headers={"Authorization": "Bearer proapi_not-a-token"})
            assert (api.status, api.headers["Content-Type"], api.text.strip()) == (
                503, "application/json", '{"error":"503"}')
            forwarder.restore()
            assert server.request("GET", "/healthz").status == 200


def test_a_page_posted_while_every_pooled_connection_is_busy_gets_the_retry_page(tmp_path):
    """A database too busy to lend a connection within DATABASE_POOL_TIMEOUT_SECONDS: same kind page."""
    pool = {"DATABASE_POOL_SIZE": 1, "DATABASE_MAX_OVERFLOW": 0, "DATABASE_POOL_TIMEOUT_SECONDS": 0.5}
    with fresh_database_url("postgresql", tmp_path) as url, app_on(url, tmp_path, **pool) as app:
        token, administration_id = started_patient(app, "en")
        db.session.remove()  # the test's own session gives the pool's only connection back
        patient = Patient(app.test_client(), token)
        posted = [("page_key", patient.page_key(2)), ("page_lang", "en"), ("q6", "3"), ("q7", "1"),
                  ("action", "next")]
        with db.engine.connect():  # holds the pool's only connection
            busy = patient.client.post(patient.url("/page/2"), data=MultiDict(posted))
        html = busy.get_data(as_text=True)
        assert busy.status_code == 503 and busy.headers["Retry-After"]
        assert TITLES["en"] in html and hidden_fields(html) == posted
        again = patient.client.post(patient.url("/page/2"), data=MultiDict(posted))
        assert (again.status_code, again.headers["Location"]) == (303, patient.url("/page/3"))
        assert _page_answers(administration_id) == {"q6": Saved("answered", 3), "q7": Saved("answered", 1)}
        db.session.remove()
