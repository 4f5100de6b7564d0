"""Locale selection and catalog checks."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from flask import Flask, current_app, g, request, session
from flask_babel import get_locale

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


def study_time(moment_utc: datetime | None) -> str:
    """A stored naive-UTC moment as staff read every time: in the study's time zone (STUDY_TIMEZONE),
    in the page's locale, with the zone's abbreviation ("6 déc. 2026, 14:05 CET", "Dec 6, 2026, 2:05 PM CET").

    The one formatter of moments on staff pages, so that two times on one page never mix zones.
    """
    if moment_utc is None:
        return "—"
    zone = ZoneInfo(current_app.extensions["pro_app.settings"].study_timezone)
    local = moment_utc.replace(tzinfo=timezone.utc).astimezone(zone)
    locale = Locale.parse(str(get_locale() or current_app.extensions["pro_app.settings"].default_locale))
    joined = locale.datetime_formats["medium"].format(format_time(local, "short", locale=locale),
                                                      format_date(local, "medium", locale=locale))
    return f"{joined} {local:%Z}"


def configure(app: Flask, settings: Settings) -> None:
    _require_compiled_catalogs()
    app.jinja_env.globals["study_time"] = study_time
    app.config["BABEL_DEFAULT_LOCALE"] = settings.default_locale
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS_DIR)
    babel.init_app(app, locale_selector=select_locale, default_timezone="UTC")


def _require_compiled_catalogs() -> None:
    for locale in SUPPORTED_LOCALES:
        if not (TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.mo").is_file():
            raise ConfigError(f"translations: no compiled catalog for {locale!r}; run `make catalogs`")
