"""Translations and entered text reach pages as text: markup in either is shown, never run."""
import re
from pathlib import Path

import flask_babel
import pytest

import pro_app
from pro_app.audit.services import Actor, record
from pro_app.demo.seed import seed_demo
from pro_app.extensions import db
from tests.integrity.web import sign_in

MARK = "<b>"


class MarkedTranslations:
    """Every translation comes back wrapped in <b>…</b>, as a careless or hostile catalog would."""

    def __init__(self, real):
        self.real = real

    def ugettext(self, string):
        return f"<b>{self.real.ugettext(string)}</b>"

    def ungettext(self, singular, plural, n):
        return f"<b>{self.real.ungettext(singular, plural, n)}</b>"

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.fixture
def marked_catalog(monkeypatch):
    original = flask_babel.Domain.get_translations
    monkeypatch.setattr(flask_babel.Domain, "get_translations", lambda self: MarkedTranslations(original(self)))


def _body(response) -> str:
    return response.get_data(as_text=True)


def test_a_catalog_entry_with_markup_is_escaped_everywhere(app, client, make, marked_catalog):
    link = seed_demo(app.extensions["pro_app.protocol"]).link
    db.session.commit()
    pages = {
        "home": client.get("/?lang=fr"),
        "sign-in (lazy form labels)": client.get("/staff/login?lang=fr"),
        "patient page": client.get("/q/" + link.rsplit("/", 1)[1]),
        "unknown link": client.get("/q/unknown-token-000"),
        "error page": client.get("/nowhere?lang=en"),
    }
    sign_in(client, make.staff(role="data_manager", site_code=None))
    pages["audit trail (ngettext)"] = client.get("/audit/?lang=fr")
    for name, response in pages.items():
        body = _body(response)
        assert MARK not in body, name
        assert "&lt;b&gt;" in body, name


def test_apostrophes_stay_readable_and_attributes_stay_closed(client):
    body = _body(client.get("/nowhere?lang=fr"))
    assert "centre d'étude" in body or "centre d&#39;étude" in body
    template_attribute_quoted_with_apostrophes = re.compile(r"=\s*'[^']*\{[{%]")
    for template in Path(pro_app.__file__).parent.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        assert not template_attribute_quoted_with_apostrophes.search(text), (
            f"{template}: quote attributes holding template values with double quotes")


def test_entered_text_is_escaped_in_the_audit_trail(app, client, make):
    nurse = make.staff(role="nurse")
    record("set_status", "patient", 1, field="status", old="active", new="withdrawn",
           reason='<img src=x onerror="alert(1)"> "quoted"', actor=Actor("staff", nurse.id, "nurse"))
    db.session.commit()
    sign_in(client, make.staff(role="admin", site_code=None))
    body = _body(client.get("/audit/?lang=en"))
    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in body
