"""Issue 15, messages: a resend replaces what is pending, says when it goes, and is not repeated too soon."""
from datetime import datetime, timedelta, timezone
from html import unescape

import pytest

from pro_app.db import utcnow
from pro_app.extensions import db
from pro_app.messaging.models import OutboundMessage
from tests.staff.web import fresh, html, post, visit_of


def _messages(patient):
    db.session.expire_all()
    return db.session.scalars(db.select(OutboundMessage).filter_by(patient_id=patient.id)
                              .order_by(OutboundMessage.id)).all()


def _pending_now(patient, horizon=timedelta(hours=1)):
    """Pending texts of the patient that would go out within the next hour (allowed hours permitting)."""
    return [m.kind for m in _messages(patient) if m.status == "pending" and m.due_at <= utcnow() + horizon]


def _zone_at(hour_wanted: int) -> str:
    """An Etc/GMT zone whose local hour is ``hour_wanted`` now (Etc/GMT+N is UTC-N)."""
    offset = (hour_wanted - datetime.now(timezone.utc).hour + 12) % 24 - 12
    return f"Etc/GMT{'-' if offset >= 0 else '+'}{abs(offset)}"


@pytest.fixture
def daytime_patient(make):
    """A patient whose clock says 12:xx on a weekday-or-not: sending hours are open (unless a holiday)."""
    return make.patient(timezone=_zone_at(12), inclusion=(datetime.now(timezone.utc) - timedelta(days=1)).date())


def test_two_clicks_do_not_stack_three_texts(client, nurse, daytime_patient):
    qlq = visit_of(daytime_patient).administration("qlq_c30")
    first = post(client, f"/patients/administrations/{qlq.id}/resend?lang=en")
    second = post(client, f"/patients/administrations/{qlq.id}/resend?lang=en")
    assert first.status_code == 303
    assert second.status_code == 409
    assert "less than 15 minutes ago; wait 15 min before resending" in unescape(html(second))
    pending = [m for m in _messages(daytime_patient) if m.status == "pending" and m.kind.startswith("manual_")]
    assert [m.kind for m in pending] == ["manual_1"]
    invitation = next(m for m in _messages(daytime_patient) if m.kind == "invitation")
    if invitation.due_at <= pending[0].due_at + timedelta(minutes=15):  # would have gone with the resend
        assert (invitation.status, invitation.cancel_reason) == ("cancelled", "superseded")
    assert len([k for k in _pending_now(daytime_patient)]) <= 1


def test_after_the_interval_a_resend_replaces_the_pending_one(client, nurse, daytime_patient):
    qlq = visit_of(daytime_patient).administration("qlq_c30")
    post(client, f"/patients/administrations/{qlq.id}/resend")
    first = next(m for m in _messages(daytime_patient) if m.kind == "manual_1")
    first.created_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    assert post(client, f"/patients/administrations/{qlq.id}/resend").status_code == 303
    kinds = {m.kind: (m.status, m.cancel_reason) for m in _messages(daytime_patient) if m.kind.startswith("manual_")}
    assert kinds == {"manual_1": ("cancelled", "superseded"), "manual_2": ("pending", None)}


def test_the_button_says_send_until_a_text_went_then_resend_and_shows_the_pending_one(client, nurse,
                                                                                      daytime_patient):
    page = html(client.get(f"/patients/{daytime_patient.id}?lang=en"))
    assert "Send the link now" in page and "Resend the link" not in page
    invitation = next(m for m in _messages(daytime_patient) if m.kind == "invitation")
    invitation.status, invitation.provider_sid, invitation.sent_at = "sent", "SM" + "0" * 32, utcnow()
    invitation.created_at = invitation.sent_at = utcnow() - timedelta(minutes=30)
    db.session.commit()
    page = html(client.get(f"/patients/{daytime_patient.id}?lang=fr"))
    assert "Renvoyer le lien" in page and "Envoyer le lien maintenant" not in page
    qlq = visit_of(daytime_patient).administration("qlq_c30")
    post(client, f"/patients/administrations/{qlq.id}/resend")
    page = unescape(html(client.get(f"/patients/{daytime_patient.id}?lang=en")))
    assert "A resend is already planned for" in page


def test_a_resend_at_night_says_when_it_will_actually_go(client, nurse, make):
    patient = make.patient(timezone=_zone_at(2), inclusion=(datetime.now(timezone.utc) - timedelta(days=1)).date())
    qlq = visit_of(patient).administration("qlq_c30")
    response = post(client, f"/patients/administrations/{qlq.id}/resend?lang=en", follow_redirects=True)
    page = unescape(html(response))
    manual = next(m for m in _messages(fresh(patient)) if m.kind == "manual_1")
    assert manual.due_at > utcnow()
    assert "Text messages are not sent at this hour: the new link will go to" in page
    assert "at the next allowed time" in page

