"""Visit status transitions: dates, submissions, staff decisions; every change audited."""
import threading
from datetime import date, datetime

import pytest

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.messaging.models import OutboundMessage
from pro_app.schedule.models import Visit
from pro_app.schedule.services import advance_visit_states
from pro_app.schedule.transitions import (VisitError, cancel_patient_visits, lock_for_change,
                                          mark_visit_not_done, on_administration_submitted)
from tests.schedule.conftest import submit

INCLUSION, RADIOTHERAPY = date(2026, 3, 2), date(2026, 3, 16)  # baseline window 2 to 16 March
BEFORE = datetime(2026, 2, 20, 12)


def visit(patient, code):
    return next(v for v in patient.visits if v.code == code)


def pending_kinds(visit):
    ids = [a.id for a in visit.administrations]
    return sorted(db.session.scalars(db.select(OutboundMessage.kind).where(
        OutboundMessage.administration_id.in_(ids), OutboundMessage.status == "pending")))


def audited(entity_id, action="visit_status"):
    db.session.commit()  # audit entries are written by the commit
    return [(e.old_value, e.new_value) for e in db.session.scalars(
        db.select(AuditEntry).filter_by(action=action, entity_id=str(entity_id)).order_by(AuditEntry.id))]


def test_a_window_opens_then_closes_as_missed_and_its_messages_stop(enrol):
    patient = enrol(BEFORE, INCLUSION, RADIOTHERAPY)
    baseline = visit(patient, "baseline")
    assert advance_visit_states(date(2026, 3, 1)) == 0 and baseline.status == "upcoming"
    assert advance_visit_states(date(2026, 3, 2)) >= 1 and baseline.status == "open"
    assert pending_kinds(baseline) == ["invitation", "reminder_1", "reminder_2", "reminder_3"]
    advance_visit_states(date(2026, 3, 17))
    assert baseline.status == "missed" and pending_kinds(baseline) == []
    assert audited(baseline.id) == [("upcoming", "open"), ("open", "missed")]
    cancelled = db.session.scalars(db.select(OutboundMessage.cancel_reason).where(
        OutboundMessage.administration_id == baseline.administration("qlq_c30").id)).all()
    assert set(cancelled) == {"visit_missed"}


def test_one_questionnaire_of_two_makes_a_partial_visit_when_the_window_closes(enrol):
    patient = enrol(BEFORE, INCLUSION, RADIOTHERAPY)
    baseline = visit(patient, "baseline")
    submit(baseline.administration("qlq_c30"), datetime(2026, 3, 5, 10))
    advance_visit_states(date(2026, 3, 10))
    assert baseline.status == "open"
    advance_visit_states(date(2026, 3, 17))
    assert baseline.status == "partial" and baseline.completed_at == datetime(2026, 3, 5, 10)


def test_a_submission_stops_its_reminders_and_the_last_one_completes_the_visit(enrol, app):
    patient = enrol(BEFORE, INCLUSION, RADIOTHERAPY)
    baseline = visit(patient, "baseline")
    qlq, mmse = baseline.administration("qlq_c30"), baseline.administration("mmse")
    submit(qlq, datetime(2026, 3, 4, 9))
    on_administration_submitted(qlq, now=datetime(2026, 3, 4, 9))
    assert pending_kinds(baseline) == [] and baseline.status == "open"
    submit(mmse, datetime(2026, 3, 6, 14))
    on_administration_submitted(mmse, now=datetime(2026, 3, 6, 14))
    assert (baseline.status, baseline.completed_at) == ("completed", datetime(2026, 3, 6, 14))
    assert baseline.timing_flag is None
    db.session.commit()
    reasons = db.session.scalars(db.select(AuditEntry.reason).filter_by(action="message_status")).all()
    assert reasons.count("completed") == 4


def test_a_baseline_answered_after_the_first_fraction_is_kept_but_flagged(enrol):
    patient = enrol(BEFORE, INCLUSION, RADIOTHERAPY)
    baseline = visit(patient, "baseline")
    submit(baseline.administration("mmse"), datetime(2026, 3, 10, 9))
    # 17 March 00:30 in Paris is still 16 March in UTC: the patient's local day decides.
    late = datetime(2026, 3, 16, 23, 30)
    submit(baseline.administration("qlq_c30"), late)
    on_administration_submitted(baseline.administration("qlq_c30"), now=late)
    assert (baseline.status, baseline.timing_flag) == ("completed", "after_treatment_start")
    assert audited(baseline.id, "visit_timing") == [(None, "after_treatment_start")]


def test_answers_on_the_day_of_the_first_fraction_are_still_a_baseline(enrol):
    patient = enrol(BEFORE, INCLUSION, RADIOTHERAPY)
    baseline = visit(patient, "baseline")
    for administration in baseline.administrations:
        submit(administration, datetime(2026, 3, 16, 20))  # 21:00 in Paris on the 16th
        on_administration_submitted(administration, now=datetime(2026, 3, 16, 20))
    assert (baseline.status, baseline.timing_flag) == ("completed", None)


def test_a_follow_up_visit_is_never_flagged(enrol):
    patient = enrol(BEFORE, INCLUSION, RADIOTHERAPY)
    m3 = visit(patient, "m3")
    for administration in m3.administrations:
        submit(administration, datetime(2026, 6, 20, 9))
        on_administration_submitted(administration, now=datetime(2026, 6, 20, 9))
    assert (m3.status, m3.timing_flag) == ("completed", None)


def test_staff_mark_a_visit_not_done_with_a_reason(enrol):
    patient = enrol(BEFORE, INCLUSION, RADIOTHERAPY)
    m3 = visit(patient, "m3")
    with pytest.raises(VisitError) as missing:
        mark_visit_not_done(m3, "  ")
    assert missing.value.field == "reason"
    mark_visit_not_done(m3, "Hospitalised during the whole window")
    assert (m3.status, m3.status_reason, pending_kinds(m3)) == ("not_done", "Hospitalised during the whole window", [])
    with pytest.raises(VisitError) as final:
        mark_visit_not_done(m3, "again")
    assert final.value.field == "status"


def test_a_completed_visit_cannot_be_marked_not_done(enrol):
    patient = enrol(BEFORE, INCLUSION, RADIOTHERAPY)
    baseline = visit(patient, "baseline")
    for administration in baseline.administrations:
        submit(administration, datetime(2026, 3, 5, 9))
        on_administration_submitted(administration, now=datetime(2026, 3, 5, 9))
    with pytest.raises(VisitError):
        mark_visit_not_done(baseline, "entered by mistake")
    assert baseline.status == "completed"


def test_leaving_the_study_cancels_the_visits_to_come_and_their_messages(enrol):
    patient = enrol(BEFORE, INCLUSION, RADIOTHERAPY)
    baseline = visit(patient, "baseline")
    for administration in baseline.administrations:
        submit(administration, datetime(2026, 3, 5, 9))
        on_administration_submitted(administration, now=datetime(2026, 3, 5, 9))
    assert cancel_patient_visits(patient, "patient_withdrawn") == 4
    assert [v.status for v in patient.visits] == ["completed"] + ["cancelled"] * 4
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboundMessage)
                             .filter_by(status="pending")) == 0


def test_the_daily_job_waits_for_a_nurse_changing_a_visit_and_keeps_her_decision(app, enrol):
    """The nurse's transaction holds the visit when the job starts; the job must not overwrite it."""
    patient = enrol(BEFORE, INCLUSION, RADIOTHERAPY)
    advance_visit_states(date(2026, 3, 2))
    baseline_id = visit(patient, "baseline").id
    db.session.commit()
    nurse_holds_the_visit, nurse_may_commit = threading.Event(), threading.Event()

    def nurse():
        with app.app_context():
            baseline = db.session.get(Visit, baseline_id)
            lock_for_change(baseline)
            mark_visit_not_done(baseline, "Hospitalised during the whole window")
            db.session.flush()
            nurse_holds_the_visit.set()
            nurse_may_commit.wait(10)
            db.session.commit()

    def daily_job():
        with app.app_context():
            advance_visit_states(date(2026, 3, 17))  # the window has closed: "missed" unless decided
            db.session.commit()

    nurse_thread = threading.Thread(target=nurse)
    nurse_thread.start()
    assert nurse_holds_the_visit.wait(10)
    job_thread = threading.Thread(target=daily_job)
    job_thread.start()
    job_thread.join(0.5)
    nurse_may_commit.set()
    for thread in (nurse_thread, job_thread):
        thread.join(30)
    db.session.expire_all()
    assert db.session.get(Visit, baseline_id).status == "not_done"
    assert audited(baseline_id) == [("upcoming", "open"), ("open", "not_done")]
