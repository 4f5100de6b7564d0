"""Tokens stay out of logs, pages stay light, guessing is rate-limited per address."""
from __future__ import annotations

import dataclasses
import http.client
import logging
import threading

import pytest
from werkzeug.serving import make_server

import pro_app
from pro_app.extensions import db, limiter
from pro_app.instruments.qlq_c30 import PAGES
from tests.questionnaires.conftest import Patient

BUDGET = 50 * 1024


def test_tokens_never_reach_the_access_log(app, patient_link, caplog):
    token = patient_link[0]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            for path in (f"/q/{token}", f"/q/{token}/page/1", "/q/not-a-real-token-at-all"):
                connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
                connection.request("GET", path)
                connection.getresponse().read()
                connection.close()
    finally:
        server.shutdown()
        server.server_close()
    access_lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert len(access_lines) >= 3
    assert all(token not in line and "not-a-real-token" not in line for line in access_lines)
    assert any("/q/<redacted>" in line for line in access_lines)


def test_every_patient_page_with_its_css_and_js_is_under_50_kb(patient):
    assets = sum(_size(patient.client, path) for path in ("/static/app.css", "/static/questionnaire.js"))
    pages = [patient.client.get(patient.url()).data]
    patient.start()
    pages += [patient.client.get(patient.url(f"/page/{n}")).data for n in range(1, len(PAGES) + 1)]
    pages.append(patient.answer(1, {1: 1}).data)  # the skip confirmation step
    pages.append(patient.client.get(patient.url("/review")).data)
    patient.answer_all()
    patient.submit()
    pages.append(patient.client.get(patient.url("/thanks")).data)
    pages.append(patient.client.get(patient.url()).data)
    heaviest = max(len(page) for page in pages)
    assert heaviest + assets < BUDGET, (heaviest, assets)


def _size(client, path: str) -> int:
    response = client.get(path)
    try:
        return len(response.data)
    finally:
        response.close()


@pytest.fixture
def rate_limited_client(app, monkeypatch, app_overrides):
    """A second app on the same database with rate limits on (they are off in tests by default)."""
    real_load = pro_app.load_settings

    def with_limits(*args, **kwargs):
        return dataclasses.replace(real_load(*args, **kwargs), extra={"rate_limits": True})

    monkeypatch.setattr(pro_app, "load_settings", with_limits)
    limited = pro_app.create_app(app_overrides)
    limited.test_client_class = app.test_client_class
    limiter.reset()
    yield limited.test_client()
    limiter.reset()
    limiter.enabled = False  # the shared extension object: back to the test default
    with limited.app_context():
        db.engine.dispose()


def test_guessing_links_is_limited_per_address(rate_limited_client, patient_link):
    for attempt in range(20):
        assert rate_limited_client.get(f"/q/guess-{attempt:04d}-xxxxxxxxxxxx").status_code == 404
    blocked = rate_limited_client.get("/q/guess-9999-xxxxxxxxxxxx", headers={"Accept-Language": "en"})
    assert blocked.status_code == 429 and "Too many attempts" in blocked.get_data(as_text=True)


def test_patients_using_their_link_are_neither_counted_nor_blocked(rate_limited_client, patient_link):
    patient = Patient(rate_limited_client, patient_link[0])
    patient.start()
    for _ in range(30):
        assert rate_limited_client.get(patient.url("/page/1")).status_code == 200
    for attempt in range(21):
        rate_limited_client.get(f"/q/guess-{attempt:04d}-xxxxxxxxxxxx")
    assert rate_limited_client.get("/q/guess-9999-xxxxxxxxxxxx").status_code == 429
    assert rate_limited_client.get(patient.url("/page/1")).status_code == 200
