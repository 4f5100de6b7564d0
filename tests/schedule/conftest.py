from __future__ import annotations

from datetime import date, datetime

import pytest


def submit(administration, at: datetime) -> None:
    """What the questionnaire pages leave behind once the patient has submitted."""
    administration.status, administration.started_at, administration.submitted_at = "submitted", at, at
