"""`flask keys rotate-phone-key` moves phone numbers and kept forms to a new key, all or nothing."""
import dataclasses

from cryptography.fernet import Fernet

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.patients.models import Patient
from pro_app.privacy import decrypt_phone, phone_lookup_hash
from pro_app.staff.idle import keep_form
from pro_app.staff.models import KeptForm

NEW_KEY = Fernet.generate_key().decode()


def _use_key(app, key):
    settings = app.extensions["pro_app.settings"]
    app.extensions["pro_app.settings"] = dataclasses.replace(settings, phone_key=key)
    return settings


def test_rotation_reencrypts_phones_lookups_and_kept_forms(app, runner, make, monkeypatch):
    patient = make.patient(phone="+33612345671")
    make.patient(phone=None)
    nurse = make.staff()
    keep_form(nurse.id, "/mmse/1", [("score", "27")])
    db.session.commit()
    old_cipher = patient.phone_ciphertext
    monkeypatch.setenv("NEW_PHONE_ENCRYPTION_KEY", NEW_KEY)
    result = runner.invoke(args=["keys", "rotate-phone-key"])
    assert result.exit_code == 0, result.output
    assert "1 phone numbers and 1 kept forms" in result.output
    db.session.expire_all()
    saved = _use_key(app, NEW_KEY)
    try:
        stored = db.session.get(Patient, patient.id)
        assert stored.phone_ciphertext != old_cipher
        assert decrypt_phone(stored.phone_ciphertext) == "+33612345671"
        assert stored.phone_lookup == phone_lookup_hash("+33612345671")
        form = db.session.scalars(db.select(KeptForm)).one()
        assert b"27" in Fernet(NEW_KEY.encode()).decrypt(form.payload)
    finally:
        app.extensions["pro_app.settings"] = saved
    last = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last.action == "rotate_key" and "+336" not in (last.new_value or "")


def test_rotation_changes_nothing_when_a_value_does_not_open(app, runner, make, monkeypatch):
    good = make.patient(phone="+33612345671")
    bad = make.patient(phone="+33612345672")
    db.session.execute(db.update(Patient).where(Patient.id == bad.id)
                       .values(phone_ciphertext=Fernet(Fernet.generate_key()).encrypt(b"+33600000000")))
    db.session.commit()
    before = db.session.get(Patient, good.id).phone_ciphertext
    monkeypatch.setenv("NEW_PHONE_ENCRYPTION_KEY", NEW_KEY)
    result = runner.invoke(args=["keys", "rotate-phone-key"])
    assert result.exit_code == 1 and bad.study_code in result.output and "nothing was changed" in result.output
    db.session.expire_all()
    assert db.session.get(Patient, good.id).phone_ciphertext == before


def test_rotation_refuses_a_missing_or_malformed_key(app, runner, monkeypatch):
    monkeypatch.delenv("NEW_PHONE_ENCRYPTION_KEY", raising=False)
    assert "set NEW_PHONE_ENCRYPTION_KEY" in runner.invoke(args=["keys", "rotate-phone-key"]).output
    monkeypatch.setenv("NEW_PHONE_ENCRYPTION_KEY", "short")
    assert "not a Fernet key" in runner.invoke(args=["keys", "rotate-phone-key"]).output
    monkeypatch.setenv("NEW_PHONE_ENCRYPTION_KEY", app.extensions["pro_app.settings"].phone_key)
    assert "the key in use" in runner.invoke(args=["keys", "rotate-phone-key"]).output
