"""Move every value encrypted with PHONE_ENCRYPTION_KEY to a new key, in one transaction.

Phone numbers are re-encrypted and their lookup hashes (keyed by the same key) recomputed;
forms kept at an idle sign-out are re-encrypted too. Either everything moves or nothing does:
a value the current key cannot open stops the rotation before anything is written.
"""
from __future__ import annotations

import contextlib
import dataclasses

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

from ..audit.services import record
from ..extensions import db
from ..patients.models import Patient
from ..privacy import decrypt_phone, encrypt_phone, phone_lookup_hash
from ..staff.models import KeptForm


class RotationError(Exception):
    """The rotation cannot go ahead; nothing was changed."""


@dataclasses.dataclass(frozen=True)
class RotationResult:
    phones: int
    kept_forms: int


def rotate_phone_key(new_key: str) -> RotationResult:
    current = current_app.extensions["pro_app.settings"].phone_key
    _check_new_key(new_key, current)
    patients = list(db.session.scalars(db.select(Patient).where(Patient.phone_ciphertext.is_not(None))))
    phones = {p.id: _open_phone(p) for p in patients}
    forms = list(db.session.scalars(db.select(KeptForm)))
    payloads = {f.id: _open_form(Fernet(current.encode()), f) for f in forms}
    with _phone_key(new_key):
        for patient in patients:
            patient.phone_ciphertext = encrypt_phone(phones[patient.id])
            patient.phone_lookup = phone_lookup_hash(phones[patient.id])
    for form in forms:
        form.payload = Fernet(new_key.encode()).encrypt(payloads[form.id])
    record("rotate_key", "phone_encryption_key", None, new={"phones": len(patients), "kept_forms": len(forms)})
    db.session.commit()
    return RotationResult(len(patients), len(forms))


def _check_new_key(new_key: str, current: str) -> None:
    try:
        Fernet(new_key.encode())
    except ValueError:
        raise RotationError("the new key is not a Fernet key (32 bytes, url-safe base64)") from None
    if new_key == current:
        raise RotationError("the new key is the key in use; generate a new one")


def _open_phone(patient: Patient) -> str:
    try:
        return decrypt_phone(patient.phone_ciphertext)
    except ValueError:
        raise RotationError(f"patient {patient.study_code}: the phone number does not open with the "
                            f"current PHONE_ENCRYPTION_KEY; nothing was changed") from None


def _open_form(fernet: Fernet, form: KeptForm) -> bytes:
    try:
        return fernet.decrypt(form.payload)
    except InvalidToken:
        raise RotationError(f"kept form {form.id} does not open with the current key; nothing was changed") from None


@contextlib.contextmanager
def _phone_key(key: str):
    """The privacy helpers read the key from the settings: point them at the new one meanwhile."""
    settings = current_app.extensions["pro_app.settings"]
    current_app.extensions["pro_app.settings"] = dataclasses.replace(settings, phone_key=key)
    try:
        yield
    finally:
        current_app.extensions["pro_app.settings"] = settings
