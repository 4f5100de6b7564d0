"""Staff pages: the outbox of one's own sites, text previews, a patient's messages and opt-out."""
import re
from datetime import date, datetime

import pytest

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.messaging.backends import ConsoleBackend
from pro_app.messaging.models import OutboundMessage
from pro_app.patients.models import Patient
from tests.messaging.twilio_webhooks import inbound_form
from tests.messaging.web import post, sign_in

INVITED = datetime(2026, 3, 24, 8)


@pytest.fixture
def patients(enrol, dispatch, fake):
    ours = enrol(datetime(2026, 3, 20, 12), date(2026, 3, 24), date(2026, 4, 7), study_code="STEP-01-101")
    theirs = enrol(datetime(2026, 3, 20, 12), date(2026, 3, 24), date(2026, 4, 7), study_code="STEP-02-201",
                   site_code="02", phone="+33612345672")
    fake.reject_numbers["+33612345671"] = 21211  # our patient's number is wrong
    dispatch(INVITED)
    dispatch(INVITED, backend=ConsoleBackend())
    return ours, theirs


def test_a_nurse_sees_her_sites_messages_and_what_needs_attention(make, client, patients):
    ours, theirs = patients
    sign_in(client, make.staff(role="nurse", site_code="01"))
    page = client.get("/staff/messages/?lang=en").get_data(as_text=True)
    assert "STEP-01-101" in page and "STEP-02-201" not in page
    assert "1 message needs your attention" in page
    assert "21211" in page and "Tue 24 Mar 2026 09:00 CET" in page
    attention = client.get("/staff/messages/?status=attention").get_data(as_text=True)
    assert attention.count("<tr class=\"message-") == 1


def test_console_messages_are_readable_in_the_app_without_their_link(make, client, patients):
    _, theirs = patients
    page = sign_in(client, make.staff(role="data_manager", site_code=None)).get(
        "/staff/messages/?status=sent&lang=en").get_data(as_text=True)
    assert "Hello, your follow-up questionnaire is ready." not in page  # STEP-02-201 reads French
    assert "Bonjour, votre questionnaire de suivi est disponible." in page
    assert "/q/&lt;redacted&gt;" in page and "GSM-7 · 1 segment" in page


def test_the_outbox_is_in_french_too(make, client, patients):
    sign_in(client, make.staff(role="nurse", site_code="01"))
    page = client.get("/staff/messages/?lang=fr").get_data(as_text=True)
    assert "1 message est à vérifier" in page and "Prévu le" in page


def test_the_preview_shows_encoding_and_segments(make, client, app):
    sign_in(client, make.staff(role="admin", site_code=None))
    page = client.get("/staff/messages/preview?lang=en").get_data(as_text=True)
    assert page.count("GSM-7") >= 4 and "UCS-2" in page  # the explanation names both
    assert "Rappel : votre questionnaire de suivi attend vos réponses." in page
    assert "/q/" + "x" * 22 in page


def test_an_unknown_filter_or_page_is_a_400_that_names_it(make, client, patients):
    sign_in(client, make.staff(role="nurse", site_code="01"))
    for query, named in (("status=bogus", "status: choose one of the values offered."),
                         ("page=-3", "page: enter a whole number from 1 to 100000."),
                         ("page=" + "9" * 40, "page: enter a whole number from 1 to 100000.")):
        response = client.get(f"/staff/messages/?{query}&lang=en")
        assert response.status_code == 400 and named in response.get_data(as_text=True), query


def test_administrators_see_no_patient_messages_and_strangers_must_sign_in(make, client, patients):
    assert client.get("/staff/messages/").status_code == 302
    sign_in(client, make.staff(role="admin", site_code=None))
    assert client.get("/staff/messages/").status_code == 403


def test_a_patient_page_of_another_site_is_not_found(make, client, patients):
    _, theirs = patients
    client = sign_in(client, make.staff(role="nurse", site_code="01"))
    assert client.get(f"/staff/messages/patient/{theirs.id}").status_code == 404


def shown_at(page: str) -> str:
    return re.search(r'name="shown_at" type="hidden" value="([^"]+)"', page).group(1)


def consent_form(client, patient_id: int, reason: str) -> dict:
    """The form as the page shows it now."""
    return {"reason": reason, "shown_at": shown_at(client.get(f"/staff/messages/patient/{patient_id}").get_data(
        as_text=True))}


def test_a_nurse_records_an_opt_out_then_an_opt_in(make, client, patients):
    ours, _ = patients
    client = sign_in(client, make.staff(role="nurse", site_code="01"))
    page = client.get(f"/staff/messages/patient/{ours.id}?lang=en").get_data(as_text=True)
    assert "Stop text messages" in page and "Invitation" in page
    response = post(client, f"/staff/messages/patient/{ours.id}/opt_out", {"reason": "", "shown_at": shown_at(page)})
    assert response.status_code == 400  # a reason is required
    response = post(client, f"/staff/messages/patient/{ours.id}/opt_out", {"reason": "asked by phone",
                                                                          "shown_at": shown_at(page)})
    assert response.status_code == 303
    db.session.expire_all()
    patient = db.session.get(Patient, ours.id)
    assert patient.sms_opted_out_at is not None
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="sms_opt_out"))
    assert (entry.actor_type, entry.reason) == ("staff", "recorded by staff: asked by phone")
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboundMessage).filter_by(
        patient_id=ours.id, status="pending")) == 0
    post(client, f"/staff/messages/patient/{ours.id}/opt_in", consent_form(client, ours.id, "changed her mind"))
    db.session.expire_all()
    assert db.session.get(Patient, ours.id).sms_opted_out_at is None


def test_data_managers_cannot_change_consent(make, client, patients):
    ours, _ = patients
    client = sign_in(client, make.staff(role="data_manager", site_code=None))
    assert client.get(f"/staff/messages/patient/{ours.id}").status_code == 200
    response = post(client, f"/staff/messages/patient/{ours.id}/opt_out", {"reason": "x"})
    assert response.status_code == 403


def test_a_choice_the_patient_texted_after_the_page_was_shown_is_not_overridden(make, client, patients, signed):
    ours, _ = patients
    client = sign_in(client, make.staff(role="nurse", site_code="01"))
    signed("/webhooks/twilio/inbound", inbound_form("STOP"))
    stale = consent_form(client, ours.id, "asked by phone yesterday")  # the page offers to send again
    signed("/webhooks/twilio/inbound", inbound_form("START"))
    signed("/webhooks/twilio/inbound", inbound_form("STOP"))  # the patient's newest word
    page = post(client, f"/staff/messages/patient/{ours.id}/opt_in?lang=en", stale)
    assert page.status_code == 409 and "open the page again" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Patient, ours.id).sms_opted_out_at is not None
    assert db.session.scalar(db.select(AuditEntry.reason).filter_by(action="sms_opt_in")) == "SMS keyword"
    fresh = consent_form(client, ours.id, "asked by phone today")
    assert post(client, f"/staff/messages/patient/{ours.id}/opt_in", fresh).status_code == 303
    db.session.expire_all()
    assert db.session.get(Patient, ours.id).sms_opted_out_at is None


@pytest.mark.parametrize("shown", [None, "", "yesterday", "2026-13-45T99:00"])
def test_a_form_without_a_readable_time_it_was_shown_changes_nothing(make, client, patients, shown):
    ours, _ = patients
    client = sign_in(client, make.staff(role="nurse", site_code="01"))
    form = {"reason": "asked by phone"} | ({} if shown is None else {"shown_at": shown})
    assert post(client, f"/staff/messages/patient/{ours.id}/opt_out", form).status_code == 409
    db.session.expire_all()
    assert db.session.get(Patient, ours.id).sms_opted_out_at is None

