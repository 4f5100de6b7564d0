"""An MMSE's recorded items, as the pure scorer reads them, and as ItemAnswer rows.

An item is absent (missing), an int (a 0/1 score, a number said in serial 7s, the number of
registration trials), a str (the letters said, or "-" when the patient gave no answer), or
``NotAdministrable(reason)``. Stored: answered with ``value`` or ``text_value``, or
not_administrable with ``na_reason``.
"""
from __future__ import annotations

from ..instruments.mmse import (BINARY_ITEMS, REGISTRATION_TRIALS, SECTIONS, SERIAL7_ITEMS,
                                SPELLING_ITEM, NotAdministrable)
from ..questionnaires.models import Administration, ItemAnswer

SECTION_CODES = tuple(section.code for section in SECTIONS)
SECTIONS_BY_CODE = {section.code: section for section in SECTIONS}


def section_items(code: str) -> tuple[str, ...]:
    """The item codes a section's page records (registration also records the number of trials)."""
    items = SECTIONS_BY_CODE[code].items
    return items + (REGISTRATION_TRIALS,) if code == "registration" else items


def load_items(administration: Administration) -> dict[str, object]:
    return {answer.item_code: _value(answer) for answer in administration.answers}


def _value(answer: ItemAnswer) -> object:
    if answer.state == "not_administrable":
        return NotAdministrable(answer.na_reason)
    return answer.value if answer.value is not None else answer.text_value


def apply_items(administration: Administration, codes: tuple[str, ...], new: dict[str, object]) -> dict:
    """Make the rows of these item codes equal to ``new``; returns {code: (old, new)} of the changes."""
    rows = {answer.item_code: answer for answer in administration.answers if answer.item_code in codes}
    changes = {}
    for code in codes:
        row, value = rows.get(code), new.get(code)
        old = _value(row) if row is not None else None
        if old == value:
            continue
        changes[code] = (old, value)
        if value is None:
            administration.answers.remove(row)
        elif row is None:
            administration.answers.append(ItemAnswer(item_code=code, **_columns(value)))
        else:
            for column, stored in _columns(value).items():
                setattr(row, column, stored)
    return changes


def _columns(value: object) -> dict:
    if isinstance(value, NotAdministrable):
        return {"state": "not_administrable", "value": None, "text_value": None, "na_reason": value.reason}
    if isinstance(value, int):
        return {"state": "answered", "value": value, "text_value": None, "na_reason": None}
    return {"state": "answered", "value": None, "text_value": value, "na_reason": None}


def shown(value: object) -> object:
    """An item value for the audit trail: the raw value, or 'NA:<reason>'."""
    return f"NA:{value.reason}" if isinstance(value, NotAdministrable) else value


def still_missing(items: dict[str, object], attention_rule: str) -> list[str]:
    """Items that must be recorded (scored or not administrable) before the MMSE can be signed.

    Every 0/1 item; serial 7s unless only spelling counts; spelling unless only serial 7s count
    (GRECO gives spelling to everyone); the number of trials once a registration item was given.
    """
    required = list(BINARY_ITEMS)
    if attention_rule != "spelling":
        required += SERIAL7_ITEMS
    if attention_rule != "serial7":
        required.append(SPELLING_ITEM)
    registration = SECTIONS_BY_CODE["registration"].items
    if any(isinstance(items.get(code), int) for code in registration):
        required.append(REGISTRATION_TRIALS)
    return [code for code in required if items.get(code) is None]


def section_progress(items: dict[str, object], code: str) -> tuple[int, int]:
    codes = SECTIONS_BY_CODE[code].items
    return sum(1 for c in codes if items.get(c) is not None), len(codes)
