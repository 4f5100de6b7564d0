"""`flask reminders dispatch --once`, `flask reminders plan`, and the scheduler's jobs."""
import logging
from datetime import date, datetime

from apscheduler.schedulers.background import BackgroundScheduler

from pro_app.extensions import db
from pro_app.messaging.models import OutboundMessage
from pro_app.scheduler import jobs
from pro_app.scheduler.runner import add_jobs
from tests.messaging.outbox_seed import seed_due_messages


def statuses() -> list[str]:
    db.session.expire_all()
    return sorted(db.session.scalars(db.select(OutboundMessage.status)))


def test_dispatch_once_sends_what_is_due_through_the_console_backend(app, runner, always_open, caplog):
    seed_due_messages(4, always_open)
    caplog.set_level(logging.INFO, logger="pro_app.sms")
    result = runner.invoke(args=["reminders", "dispatch", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent=4" in result.output and statuses() == ["sent"] * 4
    assert caplog.text.count("console SMS message_id=") == 4
    assert "/q/<redacted>" in caplog.text and "+3360" not in caplog.text
    again = runner.invoke(args=["reminders", "dispatch", "--once"])
    assert "sent=" not in again.output and statuses() == ["sent"] * 4


def test_plan_prints_the_calendar_with_local_times_and_what_would_happen(app, runner, enrol):
    patient = enrol(datetime(2026, 3, 20, 12), date(2026, 3, 24), date(2026, 4, 7), study_code="STEP-01-042")
    patient.status, patient.status_changed_at = "withdrawn", datetime(2026, 3, 21)
    db.session.commit()
    result = runner.invoke(args=["reminders", "plan", "STEP-01-042"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("STEP-01-042  language=fr  time zone=Europe/Paris  text messages=not allowed")
    invitation = next(line for line in lines if "invitation" in line)
    assert "Tue 2026-03-24 09:00 CET  (2026-03-24 08:00 UTC)  pending" in invitation
    assert invitation.endswith("cancel: patient_withdrawn")
    assert any("reminder_2  Tue 2026-03-31 09:00 CEST  (2026-03-31 07:00 UTC)" in line for line in lines)
    assert "baseline  window 2026-03-24 to 2026-04-07  status=upcoming" in result.output
    assert lines[-1] == "Dry run: nothing was sent or changed."
    assert statuses().count("pending") == 20


def test_plan_of_an_unknown_patient_fails_clearly(app, runner):
    result = runner.invoke(args=["reminders", "plan", "STEP-09-999"])
    assert result.exit_code == 1 and "no patient with study code 'STEP-09-999'" in result.output


def test_the_scheduler_dispatches_every_minute_and_never_drops_a_late_run(app):
    scheduler = add_jobs(BackgroundScheduler(timezone="UTC"), app)
    job = scheduler.get_job("dispatch_messages")
    assert job.trigger.interval.total_seconds() == 60
    assert (job.misfire_grace_time, job.max_instances, job.coalesce) == (None, 1, True)
    assert {j.id for j in scheduler.get_jobs()} >= {"advance_visits", "dispatch_messages"}


def test_the_dispatch_job_runs_a_pass_in_its_own_app_context(app, always_open):
    seed_due_messages(2, always_open)
    jobs.dispatch_messages(app)
    assert statuses() == ["sent", "sent"]
