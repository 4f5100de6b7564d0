"""The administrator's account page: create, change role and site, deactivate, unlock; all audited."""
from datetime import datetime, timedelta

import pytest

from pro_app.audit.models import AuditEntry
from pro_app.db import utcnow
from pro_app.extensions import db
from pro_app.staff.models import StaffUser
from tests.integrity.web import session_csrf_token
from tests.staff.web import fresh, html, post, sign_in
from tests.support.factories import PASSWORD


@pytest.fixture
def admin(client, make):
    user = make.staff(role="admin", site_code=None)
    sign_in(client, user)
    return user


def _audit(entity_id, action):
    return db.session.scalars(db.select(AuditEntry).filter_by(entity="staff_user", entity_id=str(entity_id),
                                                              action=action)).all()


def _can_sign_in(app, user, password=PASSWORD) -> bool:
    other = app.test_client()
    response = other.post("/staff/login", data={"email": user.email, "password": password,
                                                 "csrf_token": session_csrf_token(other)})
    return response.status_code == 302


def test_an_administrator_creates_a_nurse_account(client, admin, make):
    make.site("03")
    response = post(client, "/staff/accounts/new", {
        "email": "New.Nurse@Example.org", "display_name": "Nora Nurse", "role": "nurse", "site": "03",
        "language": "fr", "password": "long-enough-pw"})
    assert response.status_code == 302
    user = db.session.scalar(db.select(StaffUser).filter_by(email="new.nurse@example.org"))
    assert (user.role, user.site.code, user.display_name) == ("nurse", "03", "Nora Nurse")
    assert _audit(user.id, "create")[0].actor_id == admin.id


@pytest.mark.parametrize("data, field_message", [
    ({"role": "nurse", "site": ""}, "This role works for one site: choose the site."),
    ({"password": "short"}, "The password must have at least 10 characters."),
])
def test_account_creation_says_which_field_is_wrong(client, admin, make, data, field_message):
    make.site("01")
    form = {"email": "x@example.org", "display_name": "X", "role": "investigator", "site": "01",
            "language": "en", "password": "long-enough-pw", **data}
    response = post(client, "/staff/accounts/new?lang=en", form)
    assert response.status_code == 400 and field_message in html(response)
    assert db.session.scalar(db.select(StaffUser).filter_by(email="x@example.org")) is None


def test_changing_role_and_site_is_audited_field_by_field(client, admin, make):
    nurse = make.staff(role="nurse", site_code="01")
    make.site("02")
    response = post(client, f"/staff/accounts/{nurse.id}", {
        "display_name": nurse.display_name, "role": "investigator", "site": "02", "language": "fr"})
    assert response.status_code == 302
    nurse = fresh(nurse)
    assert (nurse.role, nurse.site.code) == ("investigator", "02")
    changes = {entry.field: (entry.old_value, entry.new_value) for entry in _audit(nurse.id, "update")}
    assert changes == {"role": ("nurse", "investigator"), "site": ("01", "02")}


def test_a_deactivated_account_cannot_sign_in_until_reactivated(client, admin, make, app):
    nurse = make.staff()
    assert post(client, f"/staff/accounts/{nurse.id}/active").status_code == 302
    assert fresh(nurse).is_active_account is False and not _can_sign_in(app, nurse)
    assert post(client, f"/staff/accounts/{nurse.id}/active").status_code == 302
    assert _can_sign_in(app, fresh(nurse))
    assert _audit(nurse.id, "deactivate") and _audit(nurse.id, "activate")


def test_unlocking_lets_a_locked_out_user_in_again(client, admin, make, app):
    nurse = make.staff()
    nurse.locked_until = utcnow() + timedelta(minutes=10)
    db.session.commit()
    assert not _can_sign_in(app, nurse)
    assert post(client, f"/staff/accounts/{nurse.id}/unlock").status_code == 302
    assert _can_sign_in(app, fresh(nurse)) and _audit(nurse.id, "unlock")


def test_an_administrator_cannot_lock_themselves_out(client, admin):
    response = post(client, f"/staff/accounts/{admin.id}/active?lang=en", follow_redirects=True)
    assert "You cannot deactivate your own account." in html(response)
    assert fresh(admin).is_active_account


def test_only_administrators_reach_the_account_page(client, make):
    sign_in(client, make.staff(role="investigator"))
    assert client.get("/staff/accounts/").status_code == 403
    assert post(client, "/staff/accounts/new", {"email": "y@example.org"}).status_code == 403


def test_flask_staff_create_still_works(runner, make):
    make.site("01")
    result = runner.invoke(args=["staff", "create", "--email", "cli@example.org", "--name", "Cli Nurse",
                                 "--role", "nurse", "--site", "01", "--password", "long-enough-pw"])
    assert result.exit_code == 0, result.output
    bad = runner.invoke(args=["staff", "create", "--email", "cli2@example.org", "--name", "No Site",
                              "--role", "nurse", "--password", "long-enough-pw"])
    assert bad.exit_code != 0 and "site" in bad.output


@pytest.mark.parametrize("lang, month", [("fr", "juil."), ("en", "Jul")])
def test_account_times_are_written_the_page_languages_way(client, admin, make, lang, month):
    nurse = make.staff()
    nurse.last_login_at, nurse.locked_until = datetime(2026, 7, 3, 14, 5), utcnow() + timedelta(minutes=10)
    db.session.commit()
    page = html(client.get(f"/staff/accounts/?lang={lang}"))
    assert month in page and "2026-07-03" not in page
