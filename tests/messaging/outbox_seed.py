"""Many outbox rows due at once, for the multi-process dispatch test and `bench/dispatch.py`.

Each patient has one open visit with one phone questionnaire and its four planned slots, all
due now. The protocol sends at any hour of any day and each patient lives where it is midday,
so the dispatcher's quiet-hours check never defers them, whenever the test runs.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import yaml
from sqlalchemy import insert

import pro_app.protocol
from pro_app.db import utcnow
from pro_app.extensions import db
from pro_app.messaging.models import OutboundMessage
from pro_app.patients.models import Patient
from pro_app.privacy import encrypt_phone, phone_lookup_hash
from pro_app.questionnaires.models import Administration
from pro_app.schedule.calendar import local_time, local_to_utc
from pro_app.schedule.models import Visit
from pro_app.study.models import Site
from pro_app.study.services import sync_study

STEP_FILE = Path(pro_app.protocol.__file__).parent / "step.yaml"
KINDS = ("invitation", "reminder_1", "reminder_2", "reminder_3")


def always_open_protocol(path: Path, messages_per_second: float = 0) -> Path:
    """A copy of the STEP protocol sending at any time; 0 messages per second means no limit."""
    data = yaml.safe_load(STEP_FILE.read_text())
    data["reminders"].update(send_between=["00:00", "23:59"], no_send_weekdays=[], public_holidays="",
                             messages_per_second=messages_per_second)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def midday_zone(now_utc: datetime) -> str:
    ahead = 12 - now_utc.hour
    return "UTC" if ahead == 0 else f"Etc/GMT{-ahead:+d}"  # Etc/GMT-3 is three hours ahead of UTC


def seed_due_messages(count: int, protocol, now: datetime | None = None) -> int:
    """Insert ``count`` due messages (4 per patient) and commit; returns the number inserted."""
    now = now or utcnow()
    sync_study(protocol)
    site_id = db.session.scalar(db.select(Site.id).order_by(Site.code).limit(1))
    zone = midday_zone(now)
    today = local_time(now, zone).date()
    opens, closes = today - timedelta(days=1), today + timedelta(days=10)
    patients = -(-count // 4)
    patient_ids = _insert(Patient, [_patient(n, site_id, zone, today) for n in range(patients)])
    visit_ids = _insert(Visit, [{"patient_id": pid, "code": "m3", "target_date": today, "window_opens": opens,
                                 "window_closes": closes, "status": "open"} for pid in patient_ids])
    admin_ids = _insert(Administration, [{"visit_id": vid, "instrument": "qlq_c30", "mode": "phone",
                                          "status": "created", "details": {}} for vid in visit_ids])
    not_after = local_to_utc(closes, protocol.reminders.send_until, zone)
    messages = [{"patient_id": pid, "administration_id": aid, "kind": kind, "status": "pending",
                 "due_at": now - timedelta(minutes=1), "not_after": not_after, "attempts": 0}
                for pid, aid in zip(patient_ids, admin_ids) for kind in KINDS][:count]
    db.session.execute(insert(OutboundMessage), messages)
    db.session.commit()
    return len(messages)


def _patient(n: int, site_id: int, zone: str, today) -> dict:
    phone = f"+3360{n:07d}"
    return {"study_code": f"LOAD-{n:06d}", "site_id": site_id, "language": "fr" if n % 2 else "en",
            "timezone": zone, "phone_ciphertext": encrypt_phone(phone), "phone_lookup": phone_lookup_hash(phone),
            "inclusion_date": today - timedelta(days=100), "radiotherapy_date": today - timedelta(days=90),
            "status": "active", "sms_consent": True}


def _insert(model, rows: list[dict]) -> list[int]:
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(db.session.scalars(statement, rows))
