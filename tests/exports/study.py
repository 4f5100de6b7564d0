"""A small study for the export, API and chart tests."""
from __future__ import annotations

from datetime import date, datetime

from pro_app.instruments.mmse import NotAdministrable

# The demo numbers: every exported byte is searched for them in every national format.
PHONES = ("+33612345671", "+33612345672", "+33612345673")
VECTOR = [2, 1, 3, 4, 2, 1, 3, 3, 4, 2, 2, 1, 1, 2, 3, 4, 3, 2, 3, 1, 2, 2, 3, 1, 1, 2, 1, 1, 3, 5]
LINK_TOKEN = "tok3nTHATmustNEVERleave"


def build_small_study(make) -> dict:
    """STEP-01-001 and STEP-01-002 at site 01, STEP-02-001 at site 02: answered, skipped and
    not-administrable items, a delivered invitation whose body holds a phone number and a link."""
    from pro_app.extensions import db
    from pro_app.messaging.models import OutboundMessage
    inclusion = date(2024, 1, 8)
    first = make.patient("STEP-01-001", "01", phone=PHONES[0], inclusion=inclusion,
                         radiotherapy=date(2024, 1, 15), education_level="secondary_or_higher")
    second = make.patient("STEP-01-002", "01", language="en", phone=PHONES[1], inclusion=inclusion,
                          radiotherapy=date(2024, 1, 16))
    third = make.patient("STEP-02-001", "02", phone=PHONES[2], inclusion=inclusion, radiotherapy=date(2024, 1, 17))
    qlq = make.completed_qlq(first, "baseline", VECTOR)
    make.completed_qlq(first, "m3", [None, None] + VECTOR[2:], submitted_at=datetime(2024, 5, 20, 9, 30))
    make.completed_qlq(second, "baseline", [1] * 28 + [7, 7])
    make.completed_qlq(third, "baseline", [4] * 28 + [1, 1])
    items = make.mmse_items()
    make.completed_mmse(first, "baseline", items)
    make.completed_mmse(second, "baseline", {**items, "copying": NotAdministrable("motor"), "serial7_2": "-"})
    db.session.add(OutboundMessage(
        patient_id=first.id, administration_id=qlq.id, kind="invitation", status="delivered",
        due_at=datetime(2024, 1, 8, 8, 0), not_after=datetime(2024, 1, 8, 18, 0), attempts=1,
        provider_sid="SM0001", sent_at=datetime(2024, 1, 8, 8, 0, 5), language="fr",
        body=f"Questionnaire: https://example.org/q/{LINK_TOKEN} reply to {PHONES[0]}"))
    db.session.commit()
    return {"patients": (first, second, third)}
