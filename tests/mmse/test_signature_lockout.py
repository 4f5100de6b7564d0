"""The e-signature's password is a login attempt: same lockout, same answer, whatever was typed."""
import re

import pytest

from pro_app.extensions import db
from pro_app.staff.models import StaffUser
from pro_app.staff.services import MAX_FAILED_LOGINS
from tests.integrity.web import session_csrf_token
from tests.mmse.helpers import fill, sign, start
from tests.staff.web import fresh, html
from tests.support.factories import PASSWORD

REFUSED = "E-mail or password not recognised, or the account is temporarily locked."


@pytest.fixture
def ready(client, nurse, mmse):
    """An MMSE with every item recorded, waiting for the nurse's signature."""
    start(client, mmse)
    fill(client, mmse)
    return mmse


def _login(app, user, password):
    other = app.test_client()
    return other.post("/staff/login", data={"email": user.email, "password": password,
                                             "csrf_token": session_csrf_token(other)})


def _locked(user) -> bool:
    db.session.expire_all()
    return db.session.get(StaffUser, user.id).locked_until is not None


def test_wrong_signature_passwords_lock_the_account_and_then_the_right_one_is_refused(client, app, nurse, ready):
    for _ in range(MAX_FAILED_LOGINS):
        refused = sign(client, ready, "not-my-password")
        assert refused.status_code == 400 and REFUSED in html(refused)
    assert _locked(nurse)
    right = sign(client, ready, PASSWORD)
    assert right.status_code == 400 and REFUSED in html(right)
    assert fresh(ready).status == "in_progress" and not fresh(ready).scores
    assert _login(app, nurse, PASSWORD).status_code == 401  # the same lockout as the sign-in page


def test_failed_sign_ins_and_failed_signatures_add_up(client, app, nurse, ready):
    for _ in range(MAX_FAILED_LOGINS - 2):
        assert _login(app, nurse, "wrong-password-1").status_code == 401
    assert sign(client, ready, "not-my-password").status_code == 400
    assert not _locked(nurse)
    assert sign(client, ready, "not-my-password").status_code == 400
    assert _locked(nurse)


def test_a_locked_account_and_a_wrong_password_get_the_same_page(client, nurse, ready):
    client.get(f"/mmse/{ready.id}/sign")  # shows the "Saved." of the last section, once
    wrong = html(sign(client, ready, "not-my-password"))
    nurse_row = db.session.get(StaffUser, nurse.id)
    nurse_row.failed_logins = MAX_FAILED_LOGINS - 1
    db.session.commit()
    assert sign(client, ready, "not-my-password").status_code == 400
    assert _locked(nurse)
    locked_right = sign(client, ready, PASSWORD)
    strip = lambda page: re.sub(r'value="[^"]*"', "", page)  # noqa: E731 (the CSRF token and version differ)
    assert locked_right.status_code == 400 and strip(html(locked_right)) == strip(wrong)
    assert fresh(ready).status == "in_progress"


def test_a_right_signature_password_clears_the_failures_as_a_sign_in_does(client, app, nurse, ready):
    db.session.get(StaffUser, nurse.id).failed_logins = MAX_FAILED_LOGINS - 1
    db.session.commit()
    assert sign(client, ready, PASSWORD).status_code == 303 and fresh(ready).status == "locked"
    assert _login(app, nurse, "wrong-password-1").status_code == 401
    assert not _locked(nurse)  # one failure since the signature, not five
