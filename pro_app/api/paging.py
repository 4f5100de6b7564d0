"""Pages of a long table in its export order (study code first), with an opaque cursor.

The cursor names the last patient a page reached and how many of that patient's rows it
already returned, so that pages neither skip nor repeat rows.
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

import pandas as pd

from ..exports.queries import Scope
from ..exports.tables import build_tables
from ..extensions import db
from ..patients.models import Patient

PATIENTS_PER_BATCH = 100


class CursorError(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    after: str | None = None  # study code of the patient the previous page stopped in
    skip: int = 0  # rows of that patient already returned

    def encode(self) -> str:
        raw = json.dumps({"after": self.after, "skip": self.skip}, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str | None) -> "Cursor":
        if not text:
            return cls()
        try:
            data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            after, skip = data["after"], data["skip"]
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise CursorError("cursor: not a cursor this API returned; start again without one") from None
        if not isinstance(after, str) or not isinstance(skip, int) or isinstance(skip, bool) or skip < 0:
            raise CursorError("cursor: not a cursor this API returned; start again without one")
        return cls(after, skip)


@dataclass(frozen=True)
class Page:
    table: object
    frame: object
    next_cursor: Cursor | None


def read_page(protocol, table: str, site_id: int | None, cursor: Cursor, limit: int) -> Page:
    parts, taken, last_code, variables = [], 0, cursor.after, None
    skip, first_batch = cursor.skip, True
    while taken < limit:
        patients = _next_patients(site_id, last_code, inclusive=first_batch and cursor.skip > 0)
        if not patients:
            return Page(variables, _concat(parts), None)
        built = build_tables(protocol, Scope(site_id, tuple(p.id for p in patients)), (table,))[table]
        variables, frame = built.variables, built.frame
        if skip:
            frame = _drop_first(frame, cursor.after, skip)
        part = frame.iloc[:limit - taken]
        parts.append(part)
        taken += len(part)
        if len(part) < len(frame):
            code = part["study_code"].iloc[-1]
            already = skip if code == cursor.after else 0
            done = already + int((part["study_code"] == code).sum())
            return Page(variables, _concat(parts), Cursor(str(code), done))
        last_code, skip, first_batch = patients[-1].study_code, 0, False
    return Page(variables, _concat(parts), Cursor(last_code, 0))


def _next_patients(site_id: int | None, after: str | None, inclusive: bool):
    stmt = db.select(Patient.id, Patient.study_code).order_by(Patient.study_code).limit(PATIENTS_PER_BATCH)
    if after is not None:
        stmt = stmt.where(Patient.study_code >= after if inclusive else Patient.study_code > after)
    if site_id is not None:
        stmt = stmt.where(Patient.site_id == site_id)
    return db.session.execute(stmt).all()


def _drop_first(frame, study_code: str, count: int):
    """Leave out the rows of this patient that an earlier page already returned."""
    codes = frame["study_code"].astype(object).to_numpy()
    position = (codes == study_code).cumsum()
    keep = ~((codes == study_code) & (position <= count))
    return frame[keep]


def _concat(parts):
    return pd.concat(parts, ignore_index=True) if parts else None
