"""Locale selection and catalog checks."""
from __future__ import annotations

from flask import Flask, g, request, session

from .config import REPO_ROOT, SUPPORTED_LOCALES, ConfigError, Settings
from .extensions import babel

TRANSLATIONS_DIR = REPO_ROOT / "translations"


def select_locale() -> str:
    """Pick the page language, first match wins.

    1. the patient's stored language (set by the questionnaire pages in ``g.patient_language``);
    2. an explicit choice: ``?lang=`` on this request, remembered in the session;
    3. the session (a staff member's earlier choice);
    4. the browser's Accept-Language;
    5. ``DEFAULT_LOCALE``.
    """
    stored = g.get("patient_language")
    if stored in SUPPORTED_LOCALES:
        return stored
    chosen = request.args.get("lang")
    if chosen in SUPPORTED_LOCALES:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in SUPPORTED_LOCALES:
        return session["lang"]
    return request.accept_languages.best_match(SUPPORTED_LOCALES) or _default_locale()


def _default_locale() -> str:
    from flask import current_app
    return current_app.extensions["pro_app.settings"].default_locale


def configure(app: Flask, settings: Settings) -> None:
    _require_compiled_catalogs()
    app.config["BABEL_DEFAULT_LOCALE"] = settings.default_locale
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS_DIR)
    babel.init_app(app, locale_selector=select_locale, default_timezone="UTC")


def _require_compiled_catalogs() -> None:
    for locale in SUPPORTED_LOCALES:
        if not (TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.mo").is_file():
            raise ConfigError(f"translations: no compiled catalog for {locale!r}; run `make catalogs`")
