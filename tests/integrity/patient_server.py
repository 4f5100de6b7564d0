"""Shared by the real-server tests: a fresh PostgreSQL database with a started questionnaire,
and reading the patient's forms out of the served HTML."""
from __future__ import annotations

import contextlib
import re
from html import unescape

from tests.integrity.apps import app_on, fresh_database_url
from tests.questionnaires.conftest import Patient
from tests.support.factories import Factories

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
FORM = re.compile(r'<form method="post"[^>]*id="(?:page|retry)-form">(.*?)</form>', re.S)


@contextlib.contextmanager
def postgres_app(tmp_path):
    """(app, url): an app on a throwaway PostgreSQL database, its context pushed; dropped after."""
    from pro_app.extensions import db
    with fresh_database_url("postgresql", tmp_path) as url, app_on(url, tmp_path / "prepare") as app:
        try:
            yield app, url
        finally:
            # This context's session: app_on's dispose pushes a context of its own and would miss it.
            db.session.remove()


def started_patient(app, language: str = "fr") -> tuple[str, int]:
    """(token, administration id) of a patient who pressed Start, prepared in-process."""
    token, administration = Factories(app).questionnaire_link(language=language)
    assert Patient(app.test_client(), token).start().status_code == 303
    return token, administration.id


def hidden_fields(html: str) -> list[tuple[str, str]]:
    """The hidden inputs of the page's form (the questionnaire page or the retry page)."""
    form = FORM.search(html)
    assert form, "no page form in the HTML"
    return [(name, unescape(value)) for name, value in HIDDEN.findall(form.group(1))]
