"""The audit chain: how each entry's hash is made, and the walk that checks every link.

Entries are numbered without gaps (`seq` 1, 2, 3, ...). Each holds the hash of the one before
(`prev_hash`) and its own `entry_hash`: an HMAC-SHA-256, under the key named by `key_id`, of its
number, key id, previous hash and content. Without the key nobody can make an entry that
verifies, so a database writer can neither rewrite an entry and rehash the rest nor add one;
what they can still do, delete the newest entries or all of them, the anchors catch
(anchors.py). Entries written before the keys existed (`key_id` NULL) keep their plain SHA-256;
they are accepted only before the first keyed entry, whose HMAC covers the last of them.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from ..extensions import db
from .keys import Keyring, keyring
from .models import AuditEntry

if TYPE_CHECKING:
    from .anchors import Anchor

GENESIS_HASH = "0" * 64
BROKEN, UNVERIFIABLE = "broken", "unverifiable"
# The plain SHA-256 of the entries written before keys; the keyed HMAC adds seq and key_id.
_LEGACY_FIELDS = ("prev_hash", "at", "actor_type", "actor_id", "actor_role", "action", "entity", "entity_id",
                  "patient_id", "field", "old_value", "new_value", "reason")
_TABLE = AuditEntry.__table__


def keyed_digest(row, secret: bytes) -> str:
    message = json.dumps([row["seq"], row["key_id"], *_content(row)], default=str).encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def legacy_digest(row) -> str:
    return hashlib.sha256(json.dumps(_content(row), default=str).encode()).hexdigest()


def _content(row) -> list:
    return [row["at"].isoformat() if name == "at" else row[name] for name in _LEGACY_FIELDS]


@dataclass(frozen=True)
class Problem:
    kind: str  # BROKEN (tampering shows) or UNVERIFIABLE (a key is missing)
    message: str


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str
    key_id: str | None


@dataclass
class Report:
    head: Head | None = None  # the last entry checked
    entries: int = 0
    problem: Problem | None = None


def verify_chain() -> Problem | None:
    """Walk the whole chain: None when every entry and link checks out, else the first problem."""
    return check_chain().problem


def check_chain(anchor: Anchor | None = None, from_anchor: bool = False) -> Report:
    """Check the chain, then that it still holds `anchor`'s entry, unchanged.

    With `from_anchor`, only the entries from the anchored one on are walked (what a new anchor
    needs: the anchored entry itself pins everything before it).
    """
    start = anchor.seq if from_anchor and anchor and anchor.seq > 0 else 1
    walk = _Walk(keyring(), start, watched=anchor.seq if anchor else None)
    query = select(_TABLE).where(_TABLE.c.seq >= start).order_by(_TABLE.c.seq)
    result = db.session.execute(query.execution_options(yield_per=1000))
    try:
        for row in result:
            walk.problem = walk.step(row._mapping)
            if walk.problem:
                break
    finally:
        result.close()  # a walk that stops early leaves PostgreSQL's server-side cursor open otherwise
    report = Report(walk.head, walk.entries, walk.problem)
    if report.problem is None and anchor is not None:
        report.problem = _against_anchor(walk, anchor)
    return report


@dataclass
class _Walk:
    keys: Keyring
    expected: int  # the next seq
    watched: int | None  # the anchored seq, whose hash is kept
    prev: str | None = None  # None: the first entry of a walk from an anchor links to anything
    head: Head | None = None
    entries: int = 0
    watched_hash: str | None = None
    key_id: str | None = None  # the key of the current run; a retired key never comes back
    retired: set = field(default_factory=set)
    problem: Problem | None = None

    def __post_init__(self):
        self.prev = GENESIS_HASH if self.expected == 1 else None

    def step(self, row) -> Problem | None:
        problem = self._numbering(row) or self._key(row) or self._content(row)
        if problem:
            return problem
        self.prev, self.expected, self.entries = row["entry_hash"], row["seq"] + 1, self.entries + 1
        self.head = Head(row["seq"], row["entry_hash"], row["key_id"])
        if row["seq"] == self.watched:
            self.watched_hash = row["entry_hash"]
        return None

    def _numbering(self, row) -> Problem | None:
        seq = row["seq"]
        if seq == self.expected:
            return None
        if seq < self.expected:
            return Problem(BROKEN, f"entry {seq} ({_described(row)}) is out of sequence")
        return Problem(BROKEN, f"{_span(self.expected, seq - 1)} missing (deleted from the database)")

    def _key(self, row) -> Problem | None:
        seq, key_id = row["seq"], row["key_id"]
        if key_id is None:
            return Problem(BROKEN, f"entry {seq} ({_described(row)}) is in the unkeyed legacy format after keyed "
                                   f"entries: it was rewritten") if self.key_id else None
        if key_id != self.key_id:
            if key_id in self.retired:
                return Problem(BROKEN, f"entry {seq} ({_described(row)}) was made with key id {key_id!r} after "
                                       f"key id {self.key_id!r} replaced it: forged, or a process still ran "
                                       f"with the old AUDIT_KEY")
            self.retired.add(self.key_id)
            self.key_id = key_id
        if key_id not in self.keys.by_id:
            return Problem(UNVERIFIABLE, f"cannot check entry {seq}: it was made with key id {key_id!r}, which is "
                                         f"not configured (AUDIT_KEY, AUDIT_PREVIOUS_KEYS)")
        return None

    def _content(self, row) -> Problem | None:
        seq, key_id = row["seq"], row["key_id"]
        expected = legacy_digest(row) if key_id is None else keyed_digest(row, self.keys.by_id[key_id])
        if not hmac.compare_digest(expected, row["entry_hash"]):
            return Problem(BROKEN, f"entry {seq} ({_described(row)}) was changed after it was written")
        if self.prev is not None and row["prev_hash"] != self.prev:
            return Problem(BROKEN, f"entry {seq} ({_described(row)}) does not follow entry {seq - 1}: entry "
                                   f"{seq - 1} was changed or replaced")
        return None


def _against_anchor(walk: _Walk, anchor: Anchor) -> Problem | None:
    if anchor.seq == 0 or walk.watched_hash == anchor.hash:
        return None
    if walk.watched_hash is not None:
        return Problem(BROKEN, f"entry {anchor.seq} does not match the anchor of {anchor.at}: the trail was "
                               f"rewritten up to it")
    last = db.session.scalar(select(func.max(_TABLE.c.seq)))
    if last is None:
        return Problem(BROKEN, f"the trail is empty, but the anchor of {anchor.at} records entry {anchor.seq}")
    return Problem(BROKEN, f"the trail ends at entry {last}, but the anchor of {anchor.at} records entry "
                           f"{anchor.seq}: {_span(last + 1, anchor.seq)} missing")


def _span(first: int, last: int) -> str:
    return f"entry {first} is" if first == last else f"entries {first} to {last} are"


def _described(row) -> str:
    text = f"{row['at']:%Y-%m-%d %H:%M:%S} UTC, {row['action']} {row['entity']} {row['entity_id'] or ''}"
    return " ".join(text.split())  # one line, whatever an attacker wrote into the fields
