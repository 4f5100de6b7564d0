"""Invitations and reminders leave at the right local times, through the real twilio library.

A dispatcher runs every minute in production; here it runs at every moment something is due
(and a minute before, when nothing may leave), which is what the minute loop amounts to.
"""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from pro_app.extensions import db
from pro_app.messaging.models import OutboundMessage
from pro_app.questionnaires.links import token_hash
from pro_app.questionnaires.models import PatientLink

PARIS = ZoneInfo("Europe/Paris")


def run_dispatcher_until(dispatch, fake, start: datetime, end: datetime) -> None:
    dispatch(start)
    while True:
        due = db.session.scalar(db.select(db.func.min(OutboundMessage.due_at)).filter_by(status="pending"))
        if due is None or due > end:
            return
        before = len(fake.messages)
        dispatch(due - timedelta(minutes=1))
        assert len(fake.messages) == before, f"something left before {due}"
        dispatch(due)


def sent_times(patient, visit_code):
    visit = next(v for v in patient.visits if v.code == visit_code)
    rows = db.session.scalars(db.select(OutboundMessage).where(
        OutboundMessage.administration_id == visit.administration("qlq_c30").id).order_by(OutboundMessage.due_at))
    return {row.kind: (row.status, row.sent_at) for row in rows}


def paris(moment_utc: datetime) -> str:
    return moment_utc.replace(tzinfo=ZoneInfo("UTC")).astimezone(PARIS).strftime("%a %d %b %H:%M %Z")


def test_baseline_messages_across_the_spring_change_skip_easter_monday(enrol, dispatch, fake):
    patient = enrol(datetime(2026, 3, 20, 12), date(2026, 3, 24), date(2026, 4, 7))
    run_dispatcher_until(dispatch, fake, datetime(2026, 3, 23), datetime(2026, 4, 8))
    sent = sent_times(patient, "baseline")
    assert sent == {
        "invitation": ("sent", datetime(2026, 3, 24, 8)),   # 09:00 CET
        "reminder_1": ("sent", datetime(2026, 3, 27, 8)),   # 09:00 CET
        "reminder_2": ("sent", datetime(2026, 3, 31, 7)),   # 09:00 CEST, two days after the change
        "reminder_3": ("sent", datetime(2026, 4, 7, 7)),    # Sunday 5, then Easter Monday, skipped
    }
    assert {paris(at).split(" ", 3)[3] for _, at in sent.values()} == {"09:00 CET", "09:00 CEST"}
    assert len(fake.messages) == 4


def test_follow_up_messages_across_the_autumn_change(enrol, dispatch, fake):
    patient = enrol(datetime(2026, 7, 20, 12), date(2026, 7, 22), date(2026, 8, 5))
    run_dispatcher_until(dispatch, fake, datetime(2026, 10, 21), datetime(2026, 12, 4))
    assert sent_times(patient, "m3") == {
        "invitation": ("sent", datetime(2026, 10, 22, 7)),  # Thursday 09:00 CEST
        "reminder_1": ("sent", datetime(2026, 10, 26, 8)),  # Sunday 25 (the change) skipped; 09:00 CET
        "reminder_2": ("sent", datetime(2026, 10, 29, 8)),
        "reminder_3": ("sent", datetime(2026, 12, 1, 8)),   # two days before the window closes
    }
    baseline = sent_times(patient, "baseline")
    assert {status for status, _ in baseline.values()} == {"expired"}  # dispatcher was down then
    assert len(fake.messages) == 4


def test_the_text_is_in_the_patients_language_with_a_link_minted_at_send_time(enrol, dispatch, fake):
    patient = enrol(datetime(2026, 3, 20, 12), date(2026, 3, 24), date(2026, 4, 7), language="fr")
    english = enrol(datetime(2026, 3, 20, 12), date(2026, 3, 24), date(2026, 4, 7), language="en",
                    phone="+33612345672")
    dispatch(datetime(2026, 3, 24, 8))
    by_number = {message.to: message for message in fake.messages}
    french_text = by_number["+33612345671"].body
    assert french_text.startswith("Bonjour, votre questionnaire de suivi est disponible.")
    assert by_number["+33612345672"].body.startswith("Hello, your follow-up questionnaire is ready.")
    token = french_text.rsplit("/q/", 1)[1]
    assert french_text.endswith(f" http://127.0.0.1:5000/q/{token}") and len(token) == 22
    row = db.session.scalar(db.select(OutboundMessage).filter_by(patient_id=patient.id, kind="invitation")
                            .order_by(OutboundMessage.due_at).limit(1))
    assert token not in row.body and row.body.endswith("/q/<redacted>")
    assert row.link_hash == token_hash(token) and row.language == "fr"
    link = db.session.scalar(db.select(PatientLink).filter_by(token_hash=token_hash(token)))
    assert link.administration_id == row.administration_id and link.revoked_at is None
    assert by_number["+33612345672"].status_callback == "http://127.0.0.1:5000/webhooks/twilio/status"
    assert english.study_code not in french_text and "STEP" not in french_text
