"""Translations are text, never markup: escape them like any other value in HTML templates.

Jinja's "newstyle" gettext, which Flask-Babel installs, marks every translated string as safe,
so a catalog entry containing markup would reach the page as markup. Flask-Babel's lazy
strings do the same through `__html__` (used for form labels and descriptions). Both are
replaced here: the translation is escaped when the template autoescapes, then its
placeholders are filled (Markup escapes the values too).

The apostrophe, frequent in French, is left as it is: templates quote every attribute with
double quotes (tests/security/test_escaping.py checks), where it cannot end the value.
"""
from __future__ import annotations

import functools

from flask import Flask
from flask_babel import get_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_context
from markupsafe import Markup, escape


def configure(app: Flask) -> None:
    app.jinja_env.globals.update(gettext=_gettext, ngettext=_ngettext)
    LazyString.__html__ = _lazy_html


@pass_context
def _gettext(context, string: str, **variables):
    return _fill(context, get_translations().ugettext(string), variables)


@pass_context
def _ngettext(context, singular: str, plural: str, num: int, **variables):
    variables.setdefault("num", num)
    return _fill(context, get_translations().ungettext(singular, plural, num), variables)


def _fill(context, translated: str, variables: dict):
    if context.eval_ctx.autoescape:
        return escape_text(translated) % variables
    return translated % variables


def _lazy_html(self) -> Markup:
    return escape_text(str(self))


@functools.lru_cache(maxsize=4096)
def escape_text(text: str) -> Markup:
    """Escape &, <, > and double quotes; keep apostrophes readable. Cached: the same catalog
    entries are escaped on every page (Markup is immutable, so sharing one is safe)."""
    escaped = str(escape(text)).replace("&#39;", "'")
    return Markup(escaped)  # nosec B704  # escaped just above; only the apostrophe is put back
