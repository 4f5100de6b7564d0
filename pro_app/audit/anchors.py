"""Anchors: the head of the chain (entry number, hash, time) written outside the database.

The keyed chain stops anyone without AUDIT_KEY from rewriting entries, but a database writer
can still delete the newest entries, or all of them, and leave a shorter chain that verifies.
An anchor records how far the trail reached and how it ended; `flask audit verify` fails when
the trail no longer holds the latest anchored entry, unchanged. Anchors go to AUDIT_ANCHOR_FILE,
one JSON line each, appended and synced; a monitor also keeps the lines `flask audit anchor`
prints, beyond reach of whoever runs the host.

A new anchor is written only when the trail still holds the previous one and every entry since
checks out, so that an anchor never vouches for a truncated or rewritten trail. A restore, which
legitimately goes back in time, re-anchors the whole restored chain (`after_restore`).
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from flask import current_app

from .chain import GENESIS_HASH, Problem, check_chain

HASH = re.compile(r"[0-9a-f]{64}")


class AnchorError(Exception):
    """The anchor file cannot be read or written; the message says which and why."""


class AnchorRefused(Exception):
    """The trail does not check out, so its head is not anchored."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: str  # UTC, ISO 8601
    key_id: str | None
    by: str  # what wrote it: scheduler, command, restore, key rotation

    def line(self) -> str:
        return json.dumps(asdict(self))


def anchor_file() -> Path:
    return current_app.extensions["pro_app.settings"].audit_anchor_file


def latest_anchor(path: Path | None = None) -> Anchor | None:
    """The last anchor in the file, or None when the file is missing or empty."""
    path = path or anchor_file()
    try:
        with path.open(encoding="utf-8") as stream:
            numbered = [(n, line) for n, line in enumerate(stream, start=1) if line.strip()]
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise AnchorError(f"{path}: cannot read the anchor file ({exc.__class__.__name__})") from None
    return _parsed(path, *numbered[-1]) if numbered else None


def _parsed(path: Path, number: int, line: str) -> Anchor:
    try:
        fields = json.loads(line)
        anchor = Anchor(fields["seq"], fields["hash"], fields["at"], fields.get("key_id"), fields.get("by", ""))
    except (ValueError, TypeError, KeyError):
        anchor = None
    if anchor is None or type(anchor.seq) is not int or anchor.seq < 0 or not HASH.fullmatch(str(anchor.hash)):
        raise AnchorError(f"{path}: line {number} is not an anchor (JSON with seq, hash, at)")
    return anchor


def anchor_head(by: str, write: bool = True, after_restore: bool = False) -> Anchor:
    """Check the trail since the latest anchor and anchor its head (only print it if not `write`)."""
    path = anchor_file()
    previous = latest_anchor(path)
    report = check_chain(None if after_restore else previous, from_anchor=True)
    if report.problem:
        raise AnchorRefused(report.problem)
    head = report.head
    at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    anchor = Anchor(head.seq, head.hash, at, head.key_id, by) if head else Anchor(0, GENESIS_HASH, at, None, by)
    if write:
        append(path, anchor)
    return anchor


def append(path: Path, anchor: Anchor) -> None:
    """Add one line in a single write on an O_APPEND descriptor, then fsync (file and, if new, folder)."""
    created = not path.exists()
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(descriptor, (anchor.line() + "\n").encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        if created:
            _fsync_folder(path.parent)
    except OSError as exc:
        raise AnchorError(f"{path}: cannot write the anchor file ({exc.strerror})") from None


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
