"""Read one section's posted fields into item values, with a precise message per bad field.

Field names: ``<item>`` (``1``, ``0`` or ``na``) and ``<item>__reason`` for 0/1 items;
``serial7__state`` / ``spelling__state`` (``given`` or ``na``) and ``…__reason`` for the
attention tasks, ``serial7_<n>`` (the number said) with ``serial7_<n>__none`` (no answer),
``spelling`` (the letters said) with ``spelling__none``; ``registration_trials``. An empty
item is missing, never 0.
"""
from __future__ import annotations

import re

from ..instruments.mmse import (BINARY_ITEMS, NO_ANSWER, NOT_ADMINISTRABLE_REASONS, REGISTRATION_TRIALS,
                                REGISTRATION_TRIALS_RANGE, SERIAL7_ITEMS, SPELLING_ITEM, NotAdministrable)
from ..staff.errors import N_
from .record import section_items

NA = "na"
SERIAL7_TASK, SPELLING_TASK = "serial7", "spelling"
MAX_NUMBER_SAID = 100
_LETTER_SEPARATORS = re.compile(r"[\s,.;-]+")


class SectionErrors(dict):
    """{field name: English msgid}; translated by the view."""


def parse_section(code: str, form) -> tuple[dict[str, object], SectionErrors]:
    items, errors = {}, SectionErrors()
    codes = section_items(code)
    for item in codes:
        if item in BINARY_ITEMS:
            items[item] = _binary(item, form, errors)
    if SERIAL7_ITEMS[0] in codes:
        items.update(_serial7(form, errors))
    if SPELLING_ITEM in codes:
        items[SPELLING_ITEM] = _spelling(form, errors)
    if REGISTRATION_TRIALS in codes:
        items[REGISTRATION_TRIALS] = _trials(form, errors)
    return {item: value for item, value in items.items() if value is not None}, errors


def _reason(name: str, form, errors: SectionErrors) -> NotAdministrable | None:
    reason = form.get(f"{name}__reason", "")
    if reason not in NOT_ADMINISTRABLE_REASONS:
        errors[f"{name}__reason"] = N_("Choose why this could not be administered.")
        return None
    return NotAdministrable(reason)


def _binary(item: str, form, errors: SectionErrors) -> object:
    raw = form.get(item, "")
    if raw == NA:
        return _reason(item, form, errors)
    if raw in ("0", "1"):
        return int(raw)
    if raw:
        errors[item] = N_("Choose right answer, wrong answer or not administrable.")
    return None


def _serial7(form, errors: SectionErrors) -> dict[str, object]:
    if form.get(f"{SERIAL7_TASK}__state") == NA:
        unable = _reason(SERIAL7_TASK, form, errors)
        return {item: unable for item in SERIAL7_ITEMS} if unable else {}
    return {item: _number_said(item, form, errors) for item in SERIAL7_ITEMS}


def _number_said(item: str, form, errors: SectionErrors) -> object:
    raw, none = form.get(item, "").strip(), form.get(f"{item}__none") == "1"
    if raw and none:
        errors[item] = N_("Type the number said or tick 'no answer', not both.")
        return None
    if none:
        return NO_ANSWER
    if not raw:
        return None
    if not raw.isdigit() or int(raw) > MAX_NUMBER_SAID:
        errors[item] = N_("Type the number said, a whole number from 0 to 100.")
        return None
    return int(raw)


def _spelling(form, errors: SectionErrors) -> object:
    if form.get(f"{SPELLING_TASK}__state") == NA:
        return _reason(SPELLING_TASK, form, errors)
    letters = _LETTER_SEPARATORS.sub("", form.get(SPELLING_ITEM, "")).upper()
    none = form.get(f"{SPELLING_ITEM}__none") == "1"
    if letters and none:
        errors[SPELLING_ITEM] = N_("Type the letters said or tick 'no answer', not both.")
        return None
    if none:
        return NO_ANSWER
    if not letters:
        return None
    if not letters.isalpha() or len(letters) > 20:
        errors[SPELLING_ITEM] = N_("Type only the letters said, in the order said (at most 20).")
        return None
    return letters


def _trials(form, errors: SectionErrors) -> int | None:
    raw = form.get(REGISTRATION_TRIALS, "").strip()
    low, high = REGISTRATION_TRIALS_RANGE
    if not raw:
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        errors[REGISTRATION_TRIALS] = N_("Choose a number of trials from 1 to 6.")
        return None
    return int(raw)


def form_values(items: dict[str, object]) -> dict[str, str]:
    """The inverse of `parse_section`: stored items as the field values that would post them."""
    values = {}
    for item, value in items.items():
        task = SERIAL7_TASK if item in SERIAL7_ITEMS else SPELLING_TASK if item == SPELLING_ITEM else None
        if isinstance(value, NotAdministrable):
            name = task or item
            values[name if task is None else f"{task}__state"] = NA
            values[f"{name}__reason"] = value.reason or ""
        elif value == NO_ANSWER:
            values[f"{item}__none"] = "1"
        else:
            values[item] = str(value)
        if task and not isinstance(value, NotAdministrable):
            values[f"{task}__state"] = "given"
    return values
