"""Staff sessions end on the server: a cookie copied before the end gets the login page afterwards."""
import time
from datetime import timedelta

import pytest

from pro_app.audit.models import AuditEntry
from pro_app.db import utcnow
from pro_app.extensions import db
from pro_app.staff.idle import SEEN_AT
from pro_app.staff.models import StaffSession
from pro_app.staff.sessions import TOUCH_EVERY
from tests.staff.web import html, post, sign_in

COOKIE = "session"


def copied_cookie(client) -> str:
    return client.get_cookie(COOKIE).value


def replay(app, cookie: str, path: str):
    """A stranger's browser holding a copy of the cookie."""
    stranger = app.test_client()
    stranger.set_cookie(COOKIE, cookie)
    return stranger.get(path)


def is_login_page(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/staff/login")


@pytest.fixture
def admin_client(app, make):
    return sign_in(app.test_client(), make.staff(role="admin", site_code=None))


def _logout(client, admin_client, nurse):
    assert post(client, "/staff/logout").status_code == 302


def _idle_sign_out(client, admin_client, nurse):
    with client.session_transaction() as session:
        session[SEEN_AT] = time.time() - 31 * 60
    assert is_login_page(client.get("/patients/"))


def _password_reset(client, admin_client, nurse):
    response = post(admin_client, f"/staff/accounts/{nurse.id}/password", {"password": "a-new-password-1"})
    assert response.status_code == 302


def _deactivation(client, admin_client, nurse):
    """Deactivated, then reactivated: the sessions opened before stay ended."""
    assert post(admin_client, f"/staff/accounts/{nurse.id}/active").status_code == 302
    assert post(admin_client, f"/staff/accounts/{nurse.id}/active").status_code == 302


def _account_change(**changes):
    def change(client, admin_client, nurse):
        form = {"display_name": nurse.display_name, "role": "nurse", "site": "01", "language": "fr", **changes}
        assert post(admin_client, f"/staff/accounts/{nurse.id}", form).status_code == 302
    return change


def _end_all_sessions(client, admin_client, nurse):
    assert post(admin_client, f"/staff/accounts/{nurse.id}/sessions/end").status_code == 302


TRIGGERS = {
    "logout": _logout,
    "idle sign-out": _idle_sign_out,
    "password reset": _password_reset,
    "deactivation": _deactivation,
    "role change": _account_change(role="investigator"),
    "site change": _account_change(site="02"),
    "end all sessions": _end_all_sessions,
}


@pytest.mark.parametrize("trigger", TRIGGERS.values(), ids=TRIGGERS.keys())
def test_a_copied_cookie_gets_the_login_page_once_the_session_ended(app, client, make, login, admin_client, trigger):
    make.site("02")
    patient = make.patient(site_code="01")
    nurse, colleague = make.staff(role="nurse", site_code="01"), make.staff(role="nurse", site_code="01")
    login(nurse)
    colleague_client = sign_in(app.test_client(), colleague)
    record_page = f"/patients/{patient.id}"
    cookie = copied_cookie(client)
    assert replay(app, cookie, record_page).status_code == 200  # the copy works until then
    trigger(client, admin_client, nurse)
    assert is_login_page(replay(app, cookie, record_page))
    assert colleague_client.get(record_page).status_code == 200  # nobody else is signed out


@pytest.mark.parametrize("trigger", [t for name, t in TRIGGERS.items() if name not in ("logout", "idle sign-out")],
                         ids=[name for name in TRIGGERS if name not in ("logout", "idle sign-out")])
def test_account_changes_end_every_browser_of_the_account(app, make, admin_client, trigger):
    patient = make.patient(site_code="01")
    make.site("02")
    nurse = make.staff(role="nurse", site_code="01")
    browsers = [sign_in(app.test_client(), nurse) for _ in range(2)]
    trigger(browsers[0], admin_client, nurse)
    assert all(is_login_page(browser.get(f"/patients/{patient.id}")) for browser in browsers)
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="end_sessions", entity_id=str(nurse.id)))
    assert (entry.old_value, entry.new_value) == ("2", "0")


def test_an_administrator_changing_their_own_password_stays_signed_in_here_only(app, make):
    admin = make.staff(role="admin", site_code=None)
    here, elsewhere = sign_in(app.test_client(), admin), sign_in(app.test_client(), admin)
    cookie = copied_cookie(here)
    assert post(here, f"/staff/accounts/{admin.id}/password", {"password": "a-new-password-1"}).status_code == 302
    assert here.get("/staff/accounts/").status_code == 200  # a new session for this browser
    assert is_login_page(elsewhere.get("/staff/accounts/"))
    assert is_login_page(replay(app, cookie, "/staff/accounts/"))  # the copy taken before the change too
    reasons = db.session.scalars(db.select(AuditEntry.reason).filter_by(action="end_sessions")).all()
    assert reasons == ["password_changed"]


def test_the_account_page_shows_open_sessions_and_ends_them_with_a_token(app, make, admin_client):
    nurse = make.staff(role="nurse", site_code="01")
    sign_in(app.test_client(), nurse)
    page = html(admin_client.get(f"/staff/accounts/{nurse.id}?lang=en"))
    assert "Open sessions" in page and "End all sessions" in page
    assert admin_client.post(f"/staff/accounts/{nurse.id}/sessions/end").status_code == 400  # no CSRF token
    assert _open_rows(nurse) == 1
    done = post(admin_client, f"/staff/accounts/{nurse.id}/sessions/end?lang=en", follow_redirects=True)
    assert "1 session ended; that browser must sign in again." in html(done)
    assert _open_rows(nurse) == 0
    again = post(admin_client, f"/staff/accounts/{nurse.id}/sessions/end?lang=en", follow_redirects=True)
    assert "No session was open." in html(again)
    assert len(db.session.scalars(db.select(AuditEntry).filter_by(action="end_sessions")).all()) == 1


def _open_rows(user) -> int:
    db.session.expire_all()
    return len(db.session.scalars(db.select(StaffSession).filter_by(staff_user_id=user.id, ended_at=None)).all())


def _age_sessions(user, by: timedelta) -> None:
    db.session.execute(db.update(StaffSession).where(StaffSession.staff_user_id == user.id)
                       .values(last_seen_at=utcnow() - by))
    db.session.commit()


def test_the_cookie_holds_a_key_whose_digest_only_is_stored(client, make, login):
    nurse = make.staff()
    login(nurse)
    with client.session_transaction() as session:
        key = session["staff_session"]
    row = db.session.scalar(db.select(StaffSession).filter_by(staff_user_id=nurse.id))
    assert len(key) >= 40 and row.id != key and key not in row.id


def test_use_refreshes_the_session_at_most_every_few_minutes(client, make, login):
    nurse = make.staff()
    login(nurse)
    _age_sessions(nurse, TOUCH_EVERY - timedelta(minutes=1))
    seen = db.session.scalar(db.select(StaffSession.last_seen_at))
    assert client.get("/staff/me").status_code == 200
    db.session.expire_all()
    assert db.session.scalar(db.select(StaffSession.last_seen_at)) == seen  # too soon: no write
    _age_sessions(nurse, TOUCH_EVERY + timedelta(minutes=1))
    assert client.get("/staff/me").status_code == 200
    db.session.expire_all()
    assert db.session.scalar(db.select(StaffSession.last_seen_at)) > utcnow() - timedelta(minutes=1)


def test_a_session_unseen_for_a_day_is_refused_and_pruned_at_the_next_sign_in(app, client, make, login):
    nurse, colleague = make.staff(), make.staff()
    login(nurse)
    with client.session_transaction() as session:
        session[SEEN_AT] = time.time()  # the cookie itself looks fresh
    _age_sessions(nurse, timedelta(days=1, minutes=31))
    assert is_login_page(client.get("/patients/"))
    gone = sign_in(app.test_client(), colleague)
    post(gone, "/staff/logout")
    sign_in(app.test_client(), colleague)  # prunes the expired row and the ended one
    db.session.expire_all()
    rows = db.session.scalars(db.select(StaffSession)).all()
    assert [(row.staff_user_id, row.ended_at) for row in rows] == [(colleague.id, None)]


def test_signing_in_again_on_the_same_browser_ends_the_session_it_had(app, client, make, login):
    nurse, colleague = make.staff(), make.staff()
    login(nurse)
    cookie = copied_cookie(client)
    login(colleague)
    assert is_login_page(replay(app, cookie, "/staff/me"))
    assert client.get("/staff/me").status_code == 200


def test_signing_out_on_every_device_ends_each_browser_of_the_user_only(app, make):
    patient = make.patient(site_code="01")
    nurse, colleague = make.staff(role="nurse", site_code="01"), make.staff(role="nurse", site_code="01")
    desk, tablet = sign_in(app.test_client(), nurse), sign_in(app.test_client(), nurse)
    colleague_client = sign_in(app.test_client(), colleague)
    cookie = copied_cookie(desk)
    page = html(desk.get("/staff/me?lang=en"))
    assert "Sign out on every device" in page
    assert post(desk, "/staff/logout", {"everywhere": "1"}).status_code == 302
    assert is_login_page(tablet.get(f"/patients/{patient.id}"))
    assert is_login_page(replay(app, cookie, f"/patients/{patient.id}"))
    assert colleague_client.get(f"/patients/{patient.id}").status_code == 200
    reasons = db.session.scalars(db.select(AuditEntry.reason).filter_by(action="end_sessions")).all()
    assert reasons == ["logout_everywhere"]
