"""Build the APScheduler instance: in-memory job store, jobs defined here, never pickled."""
from __future__ import annotations

from datetime import datetime, timezone

from apscheduler.schedulers.base import BaseScheduler
from flask import Flask

from . import jobs

DISPATCH_EVERY_SECONDS = 60
# Entries newer than the last anchor can be deleted unseen: anchor often (it reads only the new ones).
ANCHOR_EVERY_MINUTES = 60


def add_jobs(scheduler: BaseScheduler, app: Flask) -> BaseScheduler:
    zone = app.extensions["pro_app.settings"].study_timezone
    # Lateness is decided by our own code (not_after on each message), so never skip a run.
    common = {"args": [app], "coalesce": True, "max_instances": 1, "misfire_grace_time": None,
              "replace_existing": True}
    scheduler.add_job(jobs.advance_visits, "cron", id="advance_visits", hour=0, minute=10, timezone=zone,
                      **common)
    scheduler.add_job(jobs.advance_visits, id="advance_visits_at_start", **common)
    scheduler.add_job(jobs.dispatch_messages, "interval", id="dispatch_messages", seconds=DISPATCH_EVERY_SECONDS,
                      next_run_time=datetime.now(timezone.utc), **common)
    scheduler.add_job(jobs.anchor_audit_trail, "interval", id="anchor_audit_trail", minutes=ANCHOR_EVERY_MINUTES,
                      next_run_time=datetime.now(timezone.utc), **common)
    scheduler.add_job(jobs.send_review_mail, "interval", id="send_review_mail", seconds=DISPATCH_EVERY_SECONDS,
                      next_run_time=datetime.now(timezone.utc), **common)
    for job in EXTRA_JOBS:
        job(scheduler, common)
    return scheduler


# Features add (scheduler, common_kwargs) callables here for jobs of their own.
EXTRA_JOBS: list = []
