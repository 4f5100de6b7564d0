"""Clinic tablet mode: the nurse hands over, the patient answers, the tablet locks."""
from __future__ import annotations

import time

import pytest

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.questionnaires.models import Administration
from pro_app.staff.idle import SEEN_AT
from tests.questionnaires.conftest import Patient, csrf_token


def _start_url(administration):
    return f"/q/tablet/start/{administration.id}"


def _hand_over(client, administration):
    page = client.get(_start_url(administration))
    assert page.status_code == 200
    return client.post(_start_url(administration), data={"csrf_token": csrf_token(page.get_data(as_text=True))})


def test_nurse_hands_over_and_the_tablet_locks_after_submission(client, make, login, patient_link):
    _, administration = patient_link
    nurse = make.staff(role="nurse", site_code="01")
    login(nurse)
    page = client.get(_start_url(administration)).get_data(as_text=True)
    assert administration.visit.patient.study_code in page  # the nurse checks who it is for
    response = _hand_over(client, administration)
    assert response.status_code == 303 and "/q/" in response.location
    assert client.get("/staff/me").status_code == 302  # the nurse is signed out
    tablet = Patient(client, response.location.rsplit("/q/", 1)[1])
    welcome = client.get(tablet.url()).get_data(as_text=True)
    assert administration.visit.patient.study_code not in welcome and nurse.display_name not in welcome
    tablet.start()
    tablet.answer_all()
    done = tablet.submit()
    assert done.status_code == 303 and "/q/tablet/locked" in done.location
    locked = client.get(done.location).get_data(as_text=True)
    assert "Cette tablette est verrouillée" in locked and "Merci" in locked
    assert administration.visit.patient.study_code not in locked
    assert client.get(tablet.url("/page/1")).status_code == 410  # nothing of the answers is reachable
    db.session.expire_all()
    row = db.session.get(Administration, administration.id)
    assert (row.status, row.mode, row.administered_by_id) == ("submitted", "tablet", nurse.id)
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="hand_over_tablet")).actor_id == nurse.id


def test_a_copy_of_the_nurses_cookie_is_signed_out_by_the_handover_too(app, client, make, login, patient_link):
    login(make.staff(role="nurse", site_code="01"))
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    assert copy.get("/staff/me").status_code == 200
    assert _hand_over(client, patient_link[1]).status_code == 303
    response = copy.get("/staff/me")
    assert response.status_code == 302 and response.location.startswith("/staff/login")


def test_handing_over_needs_the_csrf_token(client, make, login, patient_link):
    login(make.staff(role="nurse", site_code="01"))
    assert client.post(_start_url(patient_link[1])).status_code == 400


@pytest.mark.parametrize("role, site, status", [("nurse", "02", 404), ("data_manager", None, 403),
                                                ("investigator", "01", 200)])
def test_only_staff_of_the_patients_site_may_hand_over(client, make, login, patient_link, role, site, status):
    login(make.staff(role=role, site_code=site))
    assert client.get(_start_url(patient_link[1])).status_code == status


def test_signed_out_visitors_are_sent_to_sign_in(client, patient_link):
    response = client.get(_start_url(patient_link[1]))
    assert response.status_code == 302 and "/staff/login" in response.location


def test_a_submitted_questionnaire_cannot_be_handed_over(client, make, login, patient_link):
    make.qlq_answers(patient_link[1], [1] * 30)
    login(make.staff(role="nurse", site_code="01"))
    response = client.get(_start_url(patient_link[1]))
    assert response.status_code == 409 and "déjà été envoyé" in response.get_data(as_text=True)


def test_giving_the_tablet_back_mid_way_locks_it(client, make, login, patient_link):
    login(make.staff(role="nurse", site_code="01"))
    tablet = Patient(client, _hand_over(client, patient_link[1]).location.rsplit("/q/", 1)[1])
    tablet.start()
    page = client.get(tablet.url("/page/1")).get_data(as_text=True)
    assert "/q/tablet/locked" in page
    locked = client.get("/q/tablet/locked")
    assert locked.status_code == 200 and "Merci :" not in locked.get_data(as_text=True)
    assert "/q/tablet/locked" not in client.get(tablet.url("/page/1")).get_data(as_text=True)


def _go_idle(client, minutes: float) -> None:
    with client.session_transaction() as session:
        session[SEEN_AT] = time.time() - minutes * 60


def test_the_handover_page_signs_an_idle_nurse_out(client, make, login, patient_link):
    administration = patient_link[1]
    login(make.staff(role="nurse", site_code="01"))
    page = client.get(_start_url(administration)).get_data(as_text=True)
    _go_idle(client, 31)
    response = client.post(_start_url(administration), data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302 and "/staff/login?next=/staff/resume/" in response.location
    assert client.get(_start_url(administration)).status_code == 302  # signed out: sign in again first
    db.session.expire_all()
    assert db.session.get(Administration, administration.id).mode == "phone"  # nothing handed over
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="hand_over_tablet")) is None


def test_a_patient_page_never_times_out_even_beside_an_idle_staff_session(client, make, login, patient):
    login(make.staff(role="nurse", site_code="01"))
    patient.start()
    _go_idle(client, 60)
    assert patient.answer(1, {item: 2 for item in range(1, 6)}).status_code == 303  # the answers are saved
    _go_idle(client, 60)
    assert client.get(patient.url("/page/2")).status_code == 200


@pytest.mark.parametrize("lang, shown", [("fr", "<dd>Inclusion</dd>"), ("en", "<dd>Baseline</dd>")])
def test_the_start_page_names_the_visit_in_the_page_language(client, make, login, patient_link, lang, shown):
    login(make.staff(role="nurse", site_code="01"))
    page = client.get(f"{_start_url(patient_link[1])}?lang={lang}").get_data(as_text=True)
    assert shown in page and "<dd>baseline</dd>" not in page
