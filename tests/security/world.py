"""A seeded study, one signed-in client per role, and the POST routes with the role each needs."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from pro_app.api.tokens import mint_token
from pro_app.demo.seed import DEMO_PASSWORD, DEMO_STAFF, seed_demo
from pro_app.extensions import db
from pro_app.instruments.mmse import SECTIONS
from pro_app.patients.models import Patient
from pro_app.questionnaires.links import issue_link, lookup
from pro_app.questionnaires.models import Administration
from pro_app.schedule.models import Visit
from pro_app.staff.models import StaffUser
from tests.integrity.web import session_csrf_token, sign_in

from .hostile import form_fields

ROLES = ("nurse", "investigator", "data_manager", "admin")
ANONYMOUS_PREFIXES = ("/q/", "/webhooks/", "/staff/login")
SKIPPED = {"staff.logout": "ends the session every other request uses; it reads no input"}
CHOICES = {"change": ["opt_out", "opt_in"], "section": [s.code for s in SECTIONS], "number": [1, 2]}


@dataclass
class Target:
    endpoint: str
    rule: str
    arguments: tuple[str, ...]
    role: str
    fields: list[str] = field(default_factory=list)


class World:
    def __init__(self, app, make):
        self.app = app
        self.token = seed_demo(app.extensions["pro_app.protocol"]).link.rsplit("/", 1)[1]
        db.session.commit()
        self.make, self._codes = make, itertools.count(900)
        self.ids = self._ids(make.staff(role="nurse", email="target@example.org"))
        self.clients = {"anonymous": app.test_client()}
        for email, _name, role, site in DEMO_STAFF:
            if role not in self.clients and site in (None, "01"):
                user = db.session.scalar(db.select(StaffUser).filter_by(email=email))
                self.clients[role] = sign_in(app.test_client(), user, DEMO_PASSWORD)
        self._open_the_forms()
        self.targets = [self._target(rule) for rule in app.url_map.iter_rules()
                        if "POST" in rule.methods and rule.endpoint not in SKIPPED]

    def _open_the_forms(self) -> None:
        """Start the questionnaire and the MMSE, so that their pages show the fields to attack."""
        patient = self.clients["anonymous"]
        patient.post(self.path("questionnaires.begin", {"token": self.token}),
                     data={"csrf_token": self.csrf("anonymous")}).close()
        nurse, administration = self.clients["nurse"], {"administration_id": self.ids["mmse"]}
        page = nurse.get(self.path("mmse.overview", administration))
        version = re.search(r'name="version"[^>]*value="(\d+)"', page.get_data(as_text=True))
        page.close()
        nurse.post(self.path("mmse.start", administration),
                   data={"csrf_token": self.csrf("nurse"), "language": "fr",
                         "version": version.group(1) if version else "1"}).close()

    def _ids(self, target_user) -> dict:
        """Baseline of STEP-01-001 (open) for the MMSE; M3 of STEP-01-002 (open) for link resends,
        so that a resend never revokes the link the patient routes use."""
        first, second = (db.session.scalar(db.select(Patient).filter_by(study_code=code))
                         for code in ("STEP-01-001", "STEP-01-002"))
        return {"patient_id": first.id, "user_id": target_user.id, "form_id": 1,
                "mmse": _administration(first, "baseline", "mmse"),
                "qlq_c30": _administration(second, "m3", "qlq_c30")}

    def usable_token(self) -> str:
        """The patient link, replaced by a new patient's once submitted or revoked by a request."""
        if lookup(self.token).state != "ok":
            patient = self.make.patient(study_code=f"STEP-01-{next(self._codes)}")
            self.token = issue_link(_baseline_qlq(patient))
            db.session.commit()
            self.clients["anonymous"].post(self.path("questionnaires.begin", {"token": self.token}),
                                           data={"csrf_token": self.csrf("anonymous")}).close()
        return self.token

    def real_value(self, endpoint: str, argument: str):
        if argument == "token":
            return self.usable_token()
        if argument == "administration_id":
            return self.ids["mmse" if endpoint.startswith("mmse.") else "qlq_c30"]
        if argument in CHOICES:
            return CHOICES[argument][0]
        return self.ids.get(argument, 1)  # fits both int and string converters

    def path(self, endpoint: str, values: dict) -> str:
        with self.app.test_request_context():
            from flask import url_for
            return url_for(endpoint, **values)

    def csrf(self, role: str) -> str:
        return session_csrf_token(self.clients[role])

    def api_token(self) -> str:
        if not hasattr(self, "_api_token"):
            manager = db.session.scalar(db.select(StaffUser).filter_by(role="data_manager"))
            self._api_token = mint_token(manager)
            db.session.commit()
        return self._api_token

    def pages_to_read(self) -> list[str]:
        """Every GET page whose address can be filled with the seeded ids."""
        paths = []
        for rule in self.app.url_map.iter_rules():
            if "GET" in rule.methods and rule.endpoint != "static":
                values = {a: self.real_value(rule.endpoint, a) for a in rule.arguments}
                paths.append(self.path(rule.endpoint, values))
        return sorted(set(paths))

    def _target(self, rule) -> Target:
        values = {a: self.real_value(rule.endpoint, a) for a in rule.arguments}
        path = self.path(rule.endpoint, values)
        role = self._role_for(rule)
        page = self.clients[role].get(path)
        fields = form_fields(page.get_data(as_text=True)) if page.status_code == 200 else []
        page.close()
        return Target(rule.endpoint, rule.rule, tuple(sorted(rule.arguments)), role, fields)

    def _role_for(self, rule) -> str:
        """The first role `roles_required` lets in (view or blueprint); else anonymous or any staff."""
        declared = _declared_roles(self.app, rule.endpoint)
        fallback = "anonymous" if rule.rule.startswith(ANONYMOUS_PREFIXES) else "nurse"
        return next((role for role in ROLES if role in declared), fallback)


def _declared_roles(app, endpoint: str) -> set[str]:
    guards = [app.view_functions[endpoint], *app.before_request_funcs.get(endpoint.rpartition(".")[0], [])]
    found = set()
    for guard in guards:
        while guard is not None:
            for cell in getattr(guard, "__closure__", None) or ():
                contents = cell.cell_contents
                if isinstance(contents, tuple) and contents and set(contents) <= set(ROLES):
                    found |= set(contents)
            guard = getattr(guard, "__wrapped__", None)
    return found


def _administration(patient, visit_code: str, instrument: str) -> int:
    return db.session.scalar(db.select(Administration.id).join(Visit).where(
        Visit.patient_id == patient.id, Visit.code == visit_code, Administration.instrument == instrument))


def _baseline_qlq(patient) -> Administration:
    return db.session.get(Administration, _administration(patient, "baseline", "qlq_c30"))
