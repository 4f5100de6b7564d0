from __future__ import annotations

from datetime import date, datetime

import pytest


@pytest.fixture
def enrol(make, monkeypatch):
    """Register a patient as if it were ``now`` (naive UTC): its messages are planned from then."""
    def register(now: datetime, inclusion: date, radiotherapy: date, **kwargs):
        with monkeypatch.context() as patched:
            for module in ("pro_app.schedule.services", "pro_app.patients.services"):
                patched.setattr(f"{module}.utcnow", lambda: now, raising=False)
            return make.patient(inclusion=inclusion, radiotherapy=radiotherapy, **kwargs)
    return register


def submit(administration, at: datetime) -> None:
    """What the questionnaire pages leave behind once the patient has submitted."""
    administration.status, administration.started_at, administration.submitted_at = "submitted", at, at
