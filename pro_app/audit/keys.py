"""AUDIT_KEY and AUDIT_PREVIOUS_KEYS: the keys of the audit chain's HMAC, each named by an id.

A key is written `<id>:<secret>`, the secret being at least 32 random bytes in base64. Each entry
records the id of the key that made its HMAC, so entries made before a rotation still verify
as long as their key stays in AUDIT_PREVIOUS_KEYS. The keys live in the environment, never in
the database: whoever can write to the database cannot recompute a valid chain.
"""
from __future__ import annotations

import base64
import binascii
import functools
import re
from dataclasses import dataclass

from flask import current_app

KEY_ID = re.compile(r"[A-Za-z0-9_.-]{1,32}")
MIN_SECRET_BYTES = 32
# Random bytes have many distinct values and are almost never all printable; typed passphrases
# and repeated patterns fail one of the two tests (32 random bytes pass both but once in 10^13).
MIN_DISTINCT_BYTES = 16
_DEV_SECRET = bytes.fromhex("268d716f87f2f63cb299e6e12aa7d3feda419048aef4addb5118bf9887bd367e")
# Fixed so that development and the test suite work out of the box; refused in production.
DEV_AUDIT_KEY = "dev:" + base64.urlsafe_b64encode(_DEV_SECRET).decode()
GENERATE = ("python -c \"import base64, secrets; "
            "print('ID:' + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())\"")


class AuditKeyError(ValueError):
    """A key setting is wrong; the message names the setting and never shows a secret."""


@dataclass(frozen=True)
class Keyring:
    current_id: str
    current: bytes
    by_id: dict[str, bytes]  # every configured key, the current one included

    @property
    def has_dev_key(self) -> bool:
        return _DEV_SECRET in self.by_id.values()


def keyring() -> Keyring:
    settings = current_app.extensions["pro_app.settings"]
    return parse_keyring(settings.audit_key, settings.audit_previous_keys)


@functools.lru_cache(maxsize=8)
def parse_keyring(current: str, previous: str = "") -> Keyring:
    current_id, secret = _parse("AUDIT_KEY", current)
    by_id = {current_id: secret}
    for item in filter(None, (part.strip() for part in previous.split(","))):
        key_id, old = _parse("AUDIT_PREVIOUS_KEYS", item)
        if key_id in by_id:
            raise AuditKeyError(f"AUDIT_PREVIOUS_KEYS: key id {key_id!r} appears twice (with AUDIT_KEY "
                                f"or in the list); every key needs an id of its own")
        by_id[key_id] = old
    return Keyring(current_id, secret, by_id)


def _parse(setting: str, text: str) -> tuple[str, bytes]:
    key_id, colon, encoded = text.strip().partition(":")
    if not colon or not KEY_ID.fullmatch(key_id):
        raise AuditKeyError(f"{setting}: write a key as <id>:<base64 secret>, the id made of up to 32 "
                            f"letters, digits, '.', '_' or '-'; generate one with {GENERATE}")
    secret = _decoded(encoded.strip())
    if secret is None or len(secret) < MIN_SECRET_BYTES:
        raise AuditKeyError(f"{setting}: key {key_id!r}: the secret must be at least {MIN_SECRET_BYTES} "
                            f"random bytes in base64; generate one with {GENERATE}")
    if len(set(secret)) < MIN_DISTINCT_BYTES or all(32 <= byte < 127 for byte in secret):
        raise AuditKeyError(f"{setting}: key {key_id!r}: the secret does not look random (a typed or "
                            f"repeated value?); generate one with {GENERATE}")
    return key_id, secret


def _decoded(encoded: str) -> bytes | None:
    """Standard or URL-safe base64, padding optional."""
    standard = encoded.replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
