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
