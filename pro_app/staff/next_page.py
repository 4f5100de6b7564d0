"""Where to go after signing in: a page of this site, never another site.

`?next=` comes from the address bar, so anyone can craft it, and browsers are generous with
what they take for a path: they drop tabs and newlines (`/<tab>/evil.example` is
`//evil.example`, another host), read a backslash as a slash, and some proxies decode `%2f`.
So rather than list what is dangerous, this accepts only what the app itself writes there
(`request.full_path` at an idle sign-out): printable ASCII without backslashes, one leading
slash, and a path that, percent-decoded, is still printable ASCII with one leading slash.
Anything else sends the user to the home page.
"""
from __future__ import annotations

from urllib.parse import unquote, urlsplit

MAX_LENGTH = 2000
# No space, no control character, nothing beyond ASCII (look-alike slashes), no backslash.
_ALLOWED = frozenset(map(chr, range(0x21, 0x7F))) - {"\\"}
_DECODINGS = 3


def safe_next(target: str | None) -> str | None:
    """The target when it is a path of this site, else None."""
    if not target or len(target) > MAX_LENGTH or not set(target) <= _ALLOWED:
        return None
    decoded = _decoded(target.split("?", 1)[0].split("#", 1)[0])
    if decoded is None or not set(decoded) <= _ALLOWED:
        return None
    return target if _is_local_path(target) and _is_local_path(decoded) else None


def _is_local_path(text: str) -> bool:
    parts = urlsplit(text)
    return text.startswith("/") and not text.startswith("//") and not parts.scheme and not parts.netloc


def _decoded(path: str) -> str | None:
    """Percent-decoded until nothing changes (`%252f` is a slash after two decodings); None
    when it still changes after a few rounds."""
    for _ in range(_DECODINGS):
        once = unquote(path, errors="replace")
        if once == path:
            return path
        path = once
    return None
