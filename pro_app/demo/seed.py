"""Idempotent demo data: every role, three patients at different points of follow-up."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from ..extensions import db
from ..patients.models import Patient
from ..patients.services import Registration, register_patient
from ..protocol import Protocol
from ..questionnaires.links import issue_link, link_url
from ..questionnaires.packs import ensure_demo_packs
from ..schedule.services import advance_visit_states
from ..staff.models import StaffUser
from ..staff.services import create_staff
from ..study.models import Site
from ..study.services import sync_study

DEMO_PASSWORD = "demo-password"  # nosec B105  # demo accounts only, printed by `flask demo seed`
DEMO_STAFF = (
    ("nurse@demo.example", "Demo Nurse (site 01)", "nurse", "01"),
    ("nurse2@demo.example", "Demo Nurse (site 02)", "nurse", "02"),
    ("investigator@demo.example", "Demo Investigator", "investigator", "01"),
    ("datamanager@demo.example", "Demo Data Manager", "data_manager", None),
    ("admin@demo.example", "Demo Administrator", "admin", None),
)
# Made-up demo mobile numbers (the ARCEP fiction range is rejected by libphonenumber).
DEMO_PATIENTS = (
    # study code, site, language, phone, days since inclusion, days to radiotherapy (negative: past)
    ("STEP-01-001", "01", "fr", "+33612345671", 2, 7),
    ("STEP-01-002", "01", "en", "+33612345672", 100, -92),
    ("STEP-02-001", "02", "fr", "+33612345673", 1, 10),
)


@dataclass
class SeedResult:
    staff: list
    link_patient: str
    link: str


def seed_demo(protocol: Protocol, today: date | None = None) -> SeedResult:
    today = today or date.today()
    sync_study(protocol)
    ensure_demo_packs()
    sites = {s.code: s for s in db.session.scalars(db.select(Site))}
    for email, name, role, site_code in DEMO_STAFF:
        if not db.session.scalar(db.select(StaffUser.id).filter_by(email=email)):
            create_staff(email, name, DEMO_PASSWORD, role, sites.get(site_code), "fr")
    for code, site_code, language, phone, since_inclusion, to_radiotherapy in DEMO_PATIENTS:
        if not db.session.scalar(db.select(Patient.id).filter_by(study_code=code)):
            inclusion = today - timedelta(days=since_inclusion)
            radiotherapy = _radiotherapy_date(today, to_radiotherapy)
            register_patient(Registration(code, sites[site_code], language, phone, inclusion, radiotherapy,
                                          education_level="secondary_or_higher"), protocol)
    advance_visit_states(today)
    first = db.session.scalar(db.select(Patient).filter_by(study_code=DEMO_PATIENTS[0][0]))
    baseline = next(v for v in first.visits if v.code == protocol.visits[0].code)
    token = issue_link(baseline.administration("qlq_c30"), revoke_others=True)
    return SeedResult([(e, r) for e, _, r, _ in DEMO_STAFF], first.study_code, link_url(token))


def _radiotherapy_date(today: date, days: int) -> date:
    if days >= 0:
        return today + timedelta(days=days)
    # Put STEP-01-002 three months after radiotherapy, so its M3 window is open now.
    return today - relativedelta(months=3) + timedelta(days=3)
