"""Phone numbers at rest: Fernet encryption, plus a keyed hash to match inbound messages."""
from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


def _key() -> str:
    return current_app.extensions["pro_app.settings"].phone_key


def encrypt_phone(e164: str) -> bytes:
    return Fernet(_key().encode()).encrypt(e164.encode())


def decrypt_phone(ciphertext: bytes) -> str:
    try:
        return Fernet(_key().encode()).decrypt(ciphertext).decode()
    except InvalidToken:
        raise ValueError("phone number cannot be decrypted with the configured PHONE_ENCRYPTION_KEY") from None


def phone_lookup_hash(e164: str) -> str:
    """HMAC-SHA256 keyed by a key derived from the encryption key, so equal numbers match."""
    derived = hashlib.sha256(b"pro_app phone lookup|" + _key().encode()).digest()
    return hmac.new(derived, e164.encode(), hashlib.sha256).hexdigest()
