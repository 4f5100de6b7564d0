"""The patient's questionnaire: start it, save a page of answers, know where to resume.

No request objects here: routes parse and validate the form (`forms.py`), call these
functions, and commit once. Status changes are conditional UPDATEs on the administration row,
so two tabs, a double tap or a resend never race: on PostgreSQL the row lock serialises them,
on SQLite the single writer does, and the loser sees that the status has already moved on.
"""
from __future__ import annotations

import contextlib
import functools

from sqlalchemy import Update, bindparam
from sqlalchemy.orm.attributes import set_committed_value

from ..audit.services import record
from ..config import SUPPORTED_LOCALES
from ..db import utcnow
from ..extensions import db
from ..instruments import qlq_c30 as structure
from .answers import ANSWERED, SKIPPED, Saved, saved_answers, upsert_answers
from .models import Administration
from .packs import PackNotInstalled, attach_pack

INSTRUMENT = structure.INSTRUMENT
PAGES = structure.PAGES
PAGE_COUNT = len(PAGES)


class QuestionnaireClosed(Exception):
    """The administration is not in progress any more (submitted meanwhile, or never started)."""


def page_items(number: int) -> tuple[structure.Item, ...]:
    return tuple(structure.ITEMS[n - 1] for n in PAGES[number - 1])


def resume_page(saved: dict[str, Saved]) -> int | None:
    """The first page with an item not yet answered nor skipped; None when every item has a row."""
    for index, numbers in enumerate(PAGES, start=1):
        if any(f"q{n}" not in saved for n in numbers):
            return index
    return None


def unanswered_items(saved: dict[str, Saved]) -> list[structure.Item]:
    return [item for item in structure.ITEMS if saved.get(item.id, Saved(SKIPPED, None)).state != ANSWERED]


def claim(administration: Administration, from_status: str, **values) -> bool:
    """Conditional UPDATE of the administration row; True when this request made the change.

    The row version is bumped as an ORM update would; the new version and values are set on the
    object as loaded, so a later ORM update checks the right version without reading the row again.
    """
    version = claim_row(administration.id, from_status, **values)
    if version is None:
        return False
    for column, value in {"status": from_status, **values, "version": version}.items():
        set_committed_value(administration, column, value)
    return True


def claim_row(administration_id: int, from_status: str, **values) -> int | None:
    """The same UPDATE by id alone, for a request that holds no ORM object of the row (nor may load one
    before it): the new row version, or None when the status had already moved on."""
    parameters = {"claimed_id": administration_id, "from_status": from_status,
                  **{f"new_{column}": value for column, value in values.items()}}
    return db.session.connection().execute(_claim_statement(tuple(sorted(values))), parameters).scalar()


@functools.cache
def _claim_statement(columns: tuple[str, ...]) -> Update:
    table = Administration.__table__
    return (table.update()
            .where(table.c.id == bindparam("claimed_id"), table.c.status == bindparam("from_status"))
            .values(version=table.c.version + 1, **{column: bindparam(f"new_{column}") for column in columns})
            .returning(table.c.version))


def start(administration: Administration, language: str, patient_id: int) -> bool:
    """created → in_progress, recording the pack and language; False when already started."""
    now = utcnow()
    if not claim(administration, "created", status="in_progress", started_at=now, last_saved_at=now):
        return False
    _attach_pack_in(administration, language)
    record("start", "administration", administration.id, field="status", old="created", new="in_progress",
           patient_id=patient_id)
    return True


def _attach_pack_in(administration: Administration, language: str) -> None:
    """The pack in the patient's language, else in another study language it is installed in."""
    candidates = [language, *(other for other in SUPPORTED_LOCALES if other != language)]
    for candidate in candidates[:-1]:
        with contextlib.suppress(PackNotInstalled):
            attach_pack(administration, candidate)
            return
    attach_pack(administration, candidates[-1])


def save_page(administration_id: int, patient_id: int, number: int, answers: dict[int, int], *,
              skip_missing: bool) -> list[int]:
    """Save one page; with `skip_missing`, its unanswered items are stored as skipped.

    An answer already given is never turned into a skip (a stale tab cannot erase it).
    Returns the page's items that still have no row (neither answered nor skipped).
    """
    if claim_row(administration_id, "in_progress", last_saved_at=utcnow()) is None:
        raise QuestionnaireClosed(administration_id)
    saved = saved_answers(administration_id)
    changes = {}
    for item in page_items(number):
        old = saved.get(item.id)
        if item.number in answers:
            new = Saved(ANSWERED, answers[item.number])
        elif skip_missing and old is None:
            new = Saved(SKIPPED, None)
        else:
            continue
        if new != old:
            changes[item.id] = (old, new)
    _write(administration_id, patient_id, number, changes)
    return [n for n in PAGES[number - 1] if f"q{n}" not in saved and f"q{n}" not in changes]


def _write(administration_id: int, patient_id: int, number: int, changes: dict[str, tuple]) -> None:
    if not changes:
        return
    upsert_answers(administration_id, {code: new for code, (_, new) in changes.items()})
    record("save_answers", "administration", administration_id, field=f"page {number}",
           old={code: _shown(old) for code, (old, _) in changes.items() if old is not None} or None,
           new={code: _shown(new) for code, (_, new) in changes.items()},
           patient_id=patient_id)


def _shown(saved: Saved) -> int | str:
    return saved.value if saved.state == ANSWERED else saved.state


def change_language(patient, language: str, administration: Administration) -> bool:
    """Remember the patient's choice of language (FR/EN) for every later page and message."""
    if patient.language == language:
        return False
    record("change_language", "patient", patient.id, field="language", old=patient.language, new=language,
           reason=f"chosen on the questionnaire of administration {administration.id}", patient_id=patient.id)
    patient.language = language
    db.session.flush()
    return True
