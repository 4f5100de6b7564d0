"""Query-string parameters of the staff pages, parsed in one place: a bad value is a 400 naming it.

A 40-digit page number or staff id would overflow the database's integers, PostgreSQL refuses a
text holding a NUL byte, and a status nobody offered would silently show everything. Each is
refused here, before any query runs, with a translated message that the page shows (the error
page shows the description of the 400). `?lang=` is the one parameter read elsewhere
(pro_app.i18n): an unknown language is ignored there, so that a language link never breaks a page.
"""
from __future__ import annotations

import unicodedata
from datetime import date, datetime

from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

DB_INT_MAX = 2**31 - 1  # the largest value of an integer column (as the <int:…> URL converter)
CODE_LENGTH = 40  # study codes, site codes
# Far enough from date.min/max that the day-after arithmetic never overflows.
EARLIEST, LATEST = date(1900, 1, 1), date(9000, 12, 31)


class BadArgument(BadRequest):
    """One parameter is wrong: `field` names it, `message` (also the description) says why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def integer(args, name: str, default: int | None = None, minimum: int = 1, maximum: int = DB_INT_MAX,
            label: str | None = None) -> int | None:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    if not (len(raw) <= 20 and raw.isascii() and raw.isdigit()) or not minimum <= int(raw) <= maximum:
        raise BadArgument(name, _("%(field)s: enter a whole number from %(min)d to %(max)d.",
                                  field=label or name, min=minimum, max=maximum))
    return int(raw)


def text(args, name: str, max_length: int = CODE_LENGTH, label: str | None = None) -> str:
    """The stripped text ('' when absent): at most `max_length` characters, none a control character."""
    raw = args.get(name, "").strip()
    if not is_clean_text(raw, max_length):
        raise BadArgument(name, _("%(field)s: at most %(max)d characters, and no control characters.",
                                  field=label or name, max=max_length))
    return raw


def choice(args, name: str, choices, label: str | None = None) -> str:
    raw = args.get(name, "").strip()
    if raw and raw not in choices:
        raise BadArgument(name, _("%(field)s: choose one of the values offered.", field=label or name))
    return raw


def day(args, name: str, label: str | None = None) -> date | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    try:
        parsed = datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        parsed = None
    if parsed is None or not EARLIEST <= parsed <= LATEST:
        raise BadArgument(name, _("%(field)s: enter a date as YYYY-MM-DD, for example 2025-03-31.",
                                  field=label or name))
    return parsed


def is_clean_text(value: str, max_length: int = CODE_LENGTH) -> bool:
    """Short enough and free of control characters (NUL, line breaks...): safe to look up."""
    return len(value) <= max_length and not any(unicodedata.category(c) in ("Cc", "Cs") for c in value)
