"""Staff correct a date: visits still to come move, their pending messages follow, nothing else moves."""
from datetime import date, datetime

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.messaging.models import OutboundMessage
from pro_app.schedule.services import advance_visit_states, recompute_future_visits
from pro_app.schedule.transitions import on_administration_submitted
from tests.schedule.conftest import submit

INCLUSION, RADIOTHERAPY = date(2026, 3, 2), date(2026, 3, 16)
BEFORE = datetime(2026, 2, 20, 12)


def visit(patient, code):
    return next(v for v in patient.visits if v.code == code)


def rows(visit):
    return {m.kind: m for m in db.session.scalars(db.select(OutboundMessage).where(
        OutboundMessage.administration_id == visit.administration("qlq_c30").id))}


def mark_sent(message, at):
    message.status, message.provider_sid, message.sent_at = "sent", f"SM{message.id:032d}", at


def test_a_later_first_fraction_moves_the_windows_and_replaces_pending_messages_in_place(enrol):
    patient = enrol(BEFORE, INCLUSION, RADIOTHERAPY)
    baseline, m3 = visit(patient, "baseline"), visit(patient, "m3")
    before = rows(baseline)
    mark_sent(before["invitation"], datetime(2026, 3, 2, 8))
    ids = {kind: row.id for kind, row in before.items()}
    patient.radiotherapy_date = date(2026, 3, 30)
    moved = recompute_future_visits(patient, now=datetime(2026, 3, 3, 10))
    assert [v.code for v in moved] == ["baseline", "m3", "m6", "m9", "m12"]
    assert (baseline.window_opens, baseline.window_closes) == (date(2026, 3, 2), date(2026, 3, 30))
    assert (m3.target_date, m3.window_opens, m3.window_closes) == (
        date(2026, 6, 30), date(2026, 6, 16), date(2026, 7, 28))
    after = rows(baseline)
    assert {kind: row.id for kind, row in after.items()} == ids  # the same slots: no second invitation
    assert after["invitation"].status == "sent"
    # Two days before the new closing date is Saturday 28 March, 09:00 in Paris (still winter time).
    assert after["reminder_3"].due_at == datetime(2026, 3, 28, 8)
    assert after["reminder_3"].not_after == datetime(2026, 3, 30, 17)  # 19:00 summer time
    assert rows(m3)["invitation"].due_at == datetime(2026, 6, 16, 7)
    db.session.commit()  # audit entries are written by the commit
    actions = db.session.scalars(db.select(AuditEntry.action)).all()
    assert actions.count("visit_moved") == 5 and "message_rescheduled" in actions


def test_completed_visits_never_move_but_their_baseline_timing_is_checked_again(enrol):
    patient = enrol(BEFORE, INCLUSION, RADIOTHERAPY)
    baseline = visit(patient, "baseline")
    for administration in baseline.administrations:
        submit(administration, datetime(2026, 3, 10, 9))
        on_administration_submitted(administration, now=datetime(2026, 3, 10, 9))
    assert (baseline.status, baseline.timing_flag) == ("completed", None)
    patient.radiotherapy_date = date(2026, 3, 9)  # treatment had in fact started the day before
    recompute_future_visits(patient, now=datetime(2026, 3, 11, 9))
    assert (baseline.window_opens, baseline.window_closes) == (INCLUSION, RADIOTHERAPY)
    assert baseline.timing_flag == "after_treatment_start"
    assert visit(patient, "m3").target_date == date(2026, 6, 9)


def test_a_shorter_window_cancels_slots_that_a_later_correction_brings_back(enrol):
    patient = enrol(BEFORE, INCLUSION, RADIOTHERAPY)
    baseline = visit(patient, "baseline")
    original = {kind: (row.id, row.due_at) for kind, row in rows(baseline).items()}
    patient.radiotherapy_date = date(2026, 3, 4)
    recompute_future_visits(patient, now=BEFORE)
    states = {kind: (row.status, row.cancel_reason) for kind, row in rows(baseline).items()}
    assert states == {"invitation": ("pending", None), "reminder_1": ("cancelled", "rescheduled"),
                      "reminder_2": ("cancelled", "rescheduled"), "reminder_3": ("cancelled", "rescheduled")}
    patient.radiotherapy_date = RADIOTHERAPY
    recompute_future_visits(patient, now=BEFORE)
    assert {kind: (row.id, row.due_at) for kind, row in rows(baseline).items()} == original
    assert {row.status for row in rows(baseline).values()} == {"pending"}


def test_an_open_visit_moved_into_the_future_is_upcoming_again(enrol):
    patient = enrol(BEFORE, INCLUSION, RADIOTHERAPY)
    advance_visit_states(date(2026, 3, 3))
    baseline = visit(patient, "baseline")
    assert baseline.status == "open"
    patient.inclusion_date, patient.radiotherapy_date = date(2026, 3, 9), date(2026, 3, 23)
    recompute_future_visits(patient, now=datetime(2026, 3, 3, 12))
    assert (baseline.status, baseline.window_opens) == ("upcoming", date(2026, 3, 9))
    assert rows(baseline)["invitation"].due_at == datetime(2026, 3, 9, 8)
