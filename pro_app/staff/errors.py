"""Errors that name a form field, raised by services and shown next to that field.

Services run without a request (the CLI calls them too), so their messages are plain English
msgids marked with ``N_`` for extraction; ``translated()`` looks them up at request time and
fills the named placeholders afterwards.
"""
from __future__ import annotations

from flask import flash
from flask_babel import gettext


def N_(message: str) -> str:  # noqa: N802 (the gettext convention Babel extracts)
    """Mark a message for translation without translating it now."""
    return message


class FieldError(ValueError):
    def __init__(self, field: str, message: str, **params):
        self.field, self.message, self.params = field, message, params
        super().__init__(f"{field}: {message % params if params else message}")

    def translated(self) -> str:
        return gettext(self.message, **self.params)


def show_on_form(form, error: FieldError) -> None:
    """Put the translated message next to its field, or above the form when it has no such field."""
    target = getattr(form, error.field, None)
    if target is None or not hasattr(target, "errors"):
        flash(error.translated(), "error")
        return
    target.errors = list(target.errors) + [error.translated()]
