import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def test_french_catalog_is_complete_and_not_fuzzy():
    with open(ROOT / "translations/fr/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = read_po(fh, locale="fr")
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
    assert problems == []


def test_every_string_in_the_code_is_in_the_catalog(tmp_path):
    pot = tmp_path / "fresh.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "extract", "--mapping", "babel.cfg",
                    "--keywords", "_l", "--no-location", "--omit-header", "--sort-output",
                    "--output", str(pot), "pro_app"], cwd=ROOT, check=True, capture_output=True)
    with open(pot, "rb") as fh:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    with open(ROOT / "translations/fr/LC_MESSAGES/messages.po", "rb") as fh:
        translated = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh, locale="fr") if m.id}
    assert sorted(extracted - translated) == [], "run `make update-catalogs` and translate the new strings"


def test_page_language_follows_accept_language_then_explicit_choice(client):
    assert '<html lang="en"' in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fr"' in client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    page = client.get("/?lang=fr", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fr"' in page and "Connexion équipe de recherche" in page
    remembered = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fr"' in remembered


def test_french_plural_and_placeholder_rendering(app):
    from flask_babel import force_locale, gettext
    with app.test_request_context("/"), force_locale("fr"):
        assert gettext("Signed in as %(name)s (%(role)s).", name="A", role="B") == "Connecté·e en tant que A (B)."
