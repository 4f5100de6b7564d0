"""Sign-in: lockout, no account enumeration, and an idle sign-out that keeps the form being filled."""
import re
import time

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.patients.models import Patient
from pro_app.staff.idle import SEEN_AT, kept_fields
from pro_app.staff.models import KeptForm, StaffUser
from pro_app.staff.services import MAX_FAILED_LOGINS
from tests.integrity.web import session_csrf_token
from tests.staff.web import html, post, sign_in
from tests.support.factories import PASSWORD

REFUSED = "E-mail or password not recognised, or the account is temporarily locked."


def _attempt(client, email, password):
    return client.post("/staff/login?lang=en", data={"email": email, "password": password,
                                                      "csrf_token": session_csrf_token(client)})


def test_unknown_email_and_wrong_password_get_the_same_answer(client, make):
    user = make.staff()
    unknown = _attempt(client, "nobody@example.org", "whatever-password")
    wrong = _attempt(client, user.email, "wrong-password-1")
    assert unknown.status_code == wrong.status_code == 401
    assert REFUSED in html(unknown) and REFUSED in html(wrong)
    strip = lambda page: re.sub(r'value="[^"]*"', "", page)  # noqa: E731 (the CSRF token and e-mail differ)
    assert strip(html(unknown)) == strip(html(wrong))


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, make):
    user = make.staff()
    for _ in range(MAX_FAILED_LOGINS):
        assert _attempt(client, user.email, "wrong-password-1").status_code == 401
    locked = _attempt(client, user.email, PASSWORD)
    assert locked.status_code == 401 and REFUSED in html(locked)
    db.session.expire_all()
    assert db.session.get(StaffUser, user.id).locked_until is not None
    assert "login_refused_locked" in db.session.scalars(db.select(AuditEntry.action)).all()


def _go_idle(client, minutes: float) -> None:
    with client.session_transaction() as session:
        session[SEEN_AT] = time.time() - minutes * 60


def test_an_idle_get_signs_out_and_comes_back_to_the_same_page(client, make):
    patient = make.patient()
    sign_in(client, make.staff())
    _go_idle(client, 29)
    assert client.get(f"/patients/{patient.id}").status_code == 200  # 29 minutes: still signed in
    _go_idle(client, 31)
    response = client.get(f"/patients/{patient.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/staff/login?next=/patients/{patient.id}")
    assert client.get("/staff/me").status_code == 302


def test_an_idle_sign_out_keeps_the_posted_form_until_the_same_person_signs_in_again(client, make, app):
    patient = make.patient(study_code="STEP-01-010")
    nurse = make.staff()
    sign_in(client, nurse)
    form = {"study_code": "STEP-01-011", "language": "en", "timezone": "Europe/Paris",
            "inclusion_date": patient.inclusion_date.isoformat(),
            "radiotherapy_date": patient.radiotherapy_date.isoformat(), "education_level": "primary_certificate",
            "sms_consent": "y", "reason": "Transcription error in the code", "version": str(patient.version)}
    _go_idle(client, 45)
    response = post(client, f"/patients/{patient.id}/correct", form)
    assert response.status_code == 302 and "/staff/login?next=/staff/resume/" in response.headers["Location"]
    db.session.expire_all()
    assert db.session.get(Patient, patient.id).study_code == "STEP-01-010"  # nothing saved while signed out
    kept = db.session.scalar(db.select(KeptForm))
    assert b"Transcription" not in kept.payload and b"csrf" not in kept.payload  # encrypted at rest
    resume_url = response.headers["Location"].split("next=", 1)[1]

    sign_in(client, nurse)
    page = html(client.get(resume_url))
    assert 'value="Transcription error in the code"' in page and 'name="csrf_token"' in page
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    assert client.post(f"/patients/{patient.id}/correct", data=fields).status_code == 302
    db.session.expire_all()
    assert db.session.get(Patient, patient.id).study_code == "STEP-01-011"
    assert db.session.scalar(db.select(KeptForm)) is None  # used up in the same transaction


def test_a_kept_form_is_only_for_its_author_and_never_holds_a_password(client, make):
    nurse, colleague = make.staff(), make.staff()
    sign_in(client, nurse)
    _go_idle(client, 40)
    response = post(client, "/patients/register", {"study_code": "STEP-01-020", "password": "secret-one"})
    resume_url = response.headers["Location"].split("next=", 1)[1]
    db.session.expire_all()
    kept = db.session.scalar(db.select(KeptForm))
    assert ("study_code", "STEP-01-020") in kept_fields(kept)
    assert all(name != "password" for name, _ in kept_fields(kept))
    sign_in(client, colleague)
    assert client.get(resume_url).status_code == 404


def test_signing_out_after_a_pause_keeps_nothing(client, make):
    sign_in(client, make.staff())
    _go_idle(client, 40)
    response = post(client, "/staff/logout")
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/login")
    db.session.expire_all()
    assert db.session.scalar(db.select(KeptForm)) is None
