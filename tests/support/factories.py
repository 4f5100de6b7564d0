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

    def questionnaire_link(self, patient=None, visit_code: str = "baseline", **patient_kwargs):
        """An open QLQ-C30 administration with the demo packs installed and a fresh link.

        Returns (token, administration); the administration is still `created`.
        """
        from pro_app.extensions import db
        from pro_app.questionnaires.links import issue_link
        from pro_app.questionnaires.packs import ensure_demo_packs
        ensure_demo_packs()
        patient = patient or self.patient(**patient_kwargs)
        visit = next(v for v in patient.visits if v.code == visit_code)
        administration = visit.administration("qlq_c30")
        token = issue_link(administration)
        db.session.commit()
        return token, administration

    # --- exports, API and reports: completed questionnaires written with the scoring core ---
    def completed_qlq(self, patient, visit_code: str = "baseline", values=None, submitted_at=None,
                      language: str = "fr", flags: bool = True):
        """Answers (None = skipped), scores from `score_one`, and threshold flags; committed."""
        from pro_app.extensions import db
        from pro_app.questionnaires.models import ClinicalFlag, ItemAnswer, Score
        from pro_app.scoring.flags import qlq_flags
        from pro_app.scoring.qlq_c30 import ALGORITHM_VERSION, score_one
        values = values if values is not None else [2] * 28 + [5, 5]
        answers = {f"q{number}": value for number, value in enumerate(values, start=1)}
        administration = self._submit_administration(patient, visit_code, "qlq_c30", submitted_at, language,
                                                     "qlq_c30_demo")
        for code, value in answers.items():
            db.session.add(ItemAnswer(administration=administration, item_code=code, value=value,
                                      state="answered" if value is not None else "skipped"))
        scores = score_one(answers)
        for scale, value in scores.items():
            db.session.add(Score(administration=administration, scale=scale, value=value,
                                 algorithm_version=ALGORITHM_VERSION))
        for flag in (qlq_flags(scores, None) if flags else []):
            db.session.add(ClinicalFlag(administration_id=administration.id, scale=flag.scale, rule=flag.rule,
                                        value=flag.value, threshold=flag.threshold, source=flag.source))
        db.session.commit()
        return administration

    def completed_mmse(self, patient, visit_code: str = "baseline", items=None, submitted_at=None,
                       attention_rule: str = "greco", language: str = "fr"):
        """MMSE item answers ({code: 0/1, number said, letters, NotAdministrable}) and their scores."""
        from pro_app.extensions import db
        from pro_app.instruments.mmse import NotAdministrable
        from pro_app.questionnaires.models import ItemAnswer, Score
        from pro_app.scoring.mmse import ALGORITHM_VERSION, score_mmse
        items = items if items is not None else self.mmse_items()
        administration = self._submit_administration(patient, visit_code, "mmse", submitted_at, language, "mmse_demo")
        administration.details = {"attention_rule": attention_rule, "variant": "greco", "word_list": "demo"}
        for code, value in items.items():
            answer = ItemAnswer(administration=administration, item_code=code, state="answered")
            if isinstance(value, NotAdministrable):
                answer.state, answer.na_reason = "not_administrable", value.reason or "other"
            elif isinstance(value, str):
                answer.text_value = value
            else:
                answer.value = value
            db.session.add(answer)
        result = score_mmse(items, attention_rule, language)
        for scale, value in (("MMSE_TOTAL", result.total), ("MMSE_PRORATED", result.total_prorated),
                             ("SERIAL7", result.serial7_score), ("SPELLING", result.spelling_score),
                             ("ATTENTION", result.attention_score),
                             ("ITEMS_NOT_ADMINISTRABLE", len(result.items_not_administrable))):
            db.session.add(Score(administration=administration, scale=scale, value=value,
                                 algorithm_version=ALGORITHM_VERSION))
        db.session.commit()
        return administration

    @staticmethod
    def mmse_items(total_errors: int = 2) -> dict:
        """A complete GRECO MMSE: every binary item correct except the first `total_errors`."""
        from pro_app.instruments.mmse import BINARY_ITEMS, SERIAL7_ITEMS, SPELLING_ITEM
        items = {code: 0 if index < total_errors else 1 for index, code in enumerate(BINARY_ITEMS)}
        items.update(dict(zip(SERIAL7_ITEMS, (93, 86, 79, 72, 65))))
        items[SPELLING_ITEM] = "EDNOM"
        items["registration_trials"] = 1
        return items

    def _submit_administration(self, patient, visit_code, instrument, submitted_at, language, pack_id):
        from datetime import datetime

        from pro_app.extensions import db
        visit = next(v for v in patient.visits if v.code == visit_code)
        administration = visit.administration(instrument)
        when = submitted_at or datetime.combine(visit.window_opens, datetime.min.time()).replace(hour=10)
        administration.status, administration.started_at, administration.submitted_at = "submitted", when, when
        administration.language, administration.pack_id, administration.pack_version = language, pack_id, "1.0"
        visit.status, visit.completed_at = "completed", when
        db.session.flush()
        return administration

