"""Factories for tests: real services, real rows, committed."""
from __future__ import annotations

import itertools
from datetime import date, timedelta

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


class Factories:
    def __init__(self, app):
        self.app = app

    @property
    def protocol(self):
        return self.app.extensions["pro_app.protocol"]

    def study(self):
        from pro_app.extensions import db
        from pro_app.study.services import sync_study
        study = sync_study(self.protocol)
        db.session.commit()
        return study

    def site(self, code: str = "01"):
        from pro_app.extensions import db
        from pro_app.study.models import Site
        self.study()
        return db.session.scalar(db.select(Site).filter_by(code=code))

    def staff(self, role: str = "nurse", site_code: str | None = "01", email: str | None = None, **kwargs):
        from pro_app.extensions import db
        from pro_app.staff.services import create_staff
        site = self.site(site_code) if site_code else None
        email = email or f"{role}{next(_counter)}@example.org"
        user = create_staff(email, kwargs.pop("name", f"Test {role}"), PASSWORD, role, site, **kwargs)
        db.session.commit()
        return user

    def patient(self, study_code: str | None = None, site_code: str = "01", language: str = "fr",
                phone: str | None = "+33612345671", inclusion: date | None = None,
                radiotherapy: date | None = None, **kwargs):
        from pro_app.extensions import db
        from pro_app.patients.services import Registration, register_patient
        inclusion = inclusion or date.today() - timedelta(days=1)
        radiotherapy = radiotherapy or inclusion + timedelta(days=10)
        study_code = study_code or f"STEP-{site_code}-{next(_counter):03d}"
        patient = register_patient(Registration(study_code, self.site(site_code), language, phone, inclusion,
                                                radiotherapy, **kwargs), self.protocol)
        db.session.commit()
        return patient

    def qlq_answers(self, administration, values, submitted: bool = True):
        """Save QLQ-C30 answers as ItemAnswer rows: `values` lists q1..q30, None for a skipped item.

        Marks the administration submitted (or in progress) and commits; returns the administration.
        """
        from pro_app.db import utcnow
        from pro_app.extensions import db
        from pro_app.questionnaires.models import ItemAnswer
        values = list(values)
        assert len(values) == 30, "give q1..q30"
        for number, value in enumerate(values, start=1):
            state = "skipped" if value is None else "answered"
            db.session.add(ItemAnswer(administration_id=administration.id, item_code=f"q{number}",
                                      state=state, value=value))
        now = utcnow()
        administration.started_at = administration.started_at or now
        administration.status = "submitted" if submitted else "in_progress"
        administration.submitted_at = now if submitted else None
        db.session.commit()
        db.session.refresh(administration)
        return administration
