"""The patient's retry page, on an SQLite database made unreachable for real (its folder moved away).

What the page carries back, how it is escaped, which language it speaks, and that the app
recovers by itself once the database is back. The real-server run on PostgreSQL is in
`test_database_unavailable`.
"""
from __future__ import annotations

import contextlib

import pytest
from werkzeug.datastructures import MultiDict

from pro_app.extensions import db
from pro_app.questionnaires.answers import Saved, saved_answers
from tests.integrity.apps import app_on
from tests.integrity.patient_server import hidden_fields
from tests.questionnaires.conftest import Patient
from tests.support.factories import Factories

HOSTILE = '"><script>alert(1)</script>'


@pytest.fixture
def sqlite_app(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    with app_on(f"sqlite:///{folder / 'pro.sqlite3'}", tmp_path) as app:
        try:
            yield app, folder
        finally:
            db.session.remove()


@contextlib.contextmanager
def database_away(folder):
    """No connection can open while the database file's folder is moved away."""
    db.session.remove()
    db.engine.dispose()
    away = folder.with_name("away")
    folder.rename(away)
    try:
        yield
    finally:
        away.rename(folder)


def _patient(app, language="fr", page=2):
    token, administration = Factories(app).questionnaire_link(language=language)
    patient = Patient(app.test_client(), token)
    assert patient.start().status_code == 303
    return patient, administration.id, patient.page_key(page)


def test_the_retry_page_carries_the_page_fields_only_escaped_and_saves_them_once_back(sqlite_app):
    app, folder = sqlite_app
    patient, administration_id, key = _patient(app)
    posted = [("page_key", key), ("page_lang", "fr"), ("q6", "3"), ("q7", "1"), ("action", "next")]
    extra = [("q8", "2"), ("note", "x"), ("lang", HOSTILE), ("q7x", "1"), ("page_lang2", "1"), ("action2", "a" * 65)]
    with database_away(folder):
        response = patient.client.post(patient.url("/page/2"), data=MultiDict([*posted, *extra]))
        hostile = patient.client.post(patient.url("/page/2"), data={"q6": HOSTILE})
    html = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert hidden_fields(html) == [*posted, ("lang", HOSTILE)]
    assert patient.token not in html
    assert "<script>alert" not in hostile.get_data(as_text=True)
    assert "&lt;script&gt;" in hostile.get_data(as_text=True)

    again = patient.client.post(patient.url("/page/2"), data=MultiDict(posted))  # the database is back: no restart
    assert (again.status_code, again.headers["Location"]) == (303, patient.url("/page/3"))
    db.session.remove()
    assert {code: saved_answers(administration_id)[code] for code in ("q6", "q7")} == {
        "q6": Saved("answered", 3), "q7": Saved("answered", 1)}


@pytest.mark.parametrize("fields, headers, language", [
    ({"page_lang": "en"}, {}, "en"),
    ({"page_lang": "fr"}, {"Accept-Language": "en"}, "fr"),
    ({}, {"Accept-Language": "en"}, "en"),
    ({"page_lang": "de"}, {}, "fr"),
])
def test_the_retry_page_speaks_the_language_the_page_was_shown_in(sqlite_app, fields, headers, language):
    app, folder = sqlite_app
    patient, _, key = _patient(app, "en" if language == "fr" else "fr")
    with database_away(folder):
        response = patient.client.post(patient.url("/page/2"), data={"page_key": key, "q6": "1", **fields},
                                       headers=headers)
    assert response.status_code == 503
    assert f'<html lang="{language}"' in response.get_data(as_text=True)


def test_a_page_or_the_submit_button_while_the_database_is_down(sqlite_app):
    app, folder = sqlite_app
    patient, _, _ = _patient(app)
    with database_away(folder):
        page = patient.client.get(patient.url("/page/2"))
        submit = patient.client.post(patient.url("/submit"))
        health = patient.client.get("/healthz")
    assert page.status_code == 503 and 'href="" id="retry-link"' in page.get_data(as_text=True)
    assert submit.status_code == 503 and hidden_fields(submit.get_data(as_text=True)) == []
    assert health.status_code == 503 and "retry" not in health.get_data(as_text=True)
    assert patient.client.get(patient.url("/page/2")).status_code == 200
