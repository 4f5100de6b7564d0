"""Hostile request bodies for every POST route, and a fingerprint of the whole database."""
from __future__ import annotations

import hashlib
import io
import json
import re

from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from sqlalchemy import select

XSS = '<script>pro_xss()</script>'
HOSTILE_TEXT = [
    XSS, '"><img src=x onerror=pro_xss()>', "javascript:pro_xss()", "' OR '1'='1", "1; DROP TABLE patient; --",
    "'); DELETE FROM audit_entry; --", "%(name)s %s {0} {{7*7}}", "\x00", "\u202e\u0000\ufeff", "../../../etc/passwd",
    "é" * 300, "9" * 400, "-1", "0", "1e308", "NaN", "-Infinity", "2025-02-30", "0000-00-00", "9999-12-31",
    "true", "null", "[]", "{}", " ", "",
]
UNKNOWN_FIELDS = ["role", "is_admin", "id", "site_id", "status", "version", "__proto__", "x" * 300]
GARBAGE_INTS = [0, 1, 999_999, 2**31 - 1]


def values():
    return st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=40), st.integers().map(str),
                     st.just("x" * 100_000))


@st.composite
def bodies(draw, known_fields: list[str]):
    """(encoding, pairs): pairs may repeat a name; the CSRF token is added by the caller."""
    names = draw(st.lists(st.sampled_from(known_fields + UNKNOWN_FIELDS), max_size=12))
    pairs = [(name, draw(values())) for name in names]
    return draw(st.sampled_from(["form", "form", "form", "json", "bad-utf8", "multipart"])), pairs


def encode(encoding: str, pairs: list[tuple[str, str]], csrf: str | None) -> dict:
    """Keyword arguments for `client.post`."""
    if csrf is not None:
        pairs = [("csrf_token", csrf), *pairs]
    if encoding == "json":
        return {"json": {name: value for name, value in pairs}}
    if encoding == "bad-utf8":
        raw = b"&".join(f"{n}=".encode() + v.encode("utf-8", "surrogatepass")[:200] + b"%FF%FE\xc3\x28"
                        for n, v in pairs) or b"\xff\xfe"
        return {"data": raw, "content_type": "application/x-www-form-urlencoded"}
    if encoding == "multipart":
        return {"data": {**dict(pairs), "upload": (io.BytesIO(b"\x00\xff<script>"), "x.csv")},
                "content_type": "multipart/form-data"}
    return {"data": MultiDict(pairs)}


def fingerprint(engine, metadata) -> dict[str, str]:
    """A digest of every row of every table, read on a connection of its own."""
    digests = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            digests[table.name] = hashlib.sha256(json.dumps([list(r) for r in rows], default=repr)
                                                 .encode()).hexdigest()
    return digests


def form_fields(html: str) -> list[str]:
    names = re.findall(r'<(?:input|select|textarea|button)[^>]*\bname="([^"]+)"', html)
    return sorted({n for n in names if n != "csrf_token"})
