"""A seeded study, one signed-in client per role, and the POST routes with the role each needs."""
from __future__ import annotations

from dataclasses import dataclass, field

from pro_app.demo.seed import DEMO_PASSWORD, DEMO_STAFF, seed_demo
from pro_app.extensions import db
from pro_app.instruments.mmse import SECTIONS
from pro_app.patients.models import Patient
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
        self.ids = self._ids(make.staff(role="nurse", email="target@example.org"))
        self.clients = {"anonymous": app.test_client()}
        for email, _name, role, site in DEMO_STAFF:
            if role not in self.clients and site in (None, "01"):
                user = db.session.scalar(db.select(StaffUser).filter_by(email=email))
                self.clients[role] = sign_in(app.test_client(), user, DEMO_PASSWORD)
        self.targets = [self._target(rule) for rule in app.url_map.iter_rules()
                        if "POST" in rule.methods and rule.endpoint not in SKIPPED]

    def _ids(self, target_user) -> dict:
        patient = db.session.scalar(db.select(Patient).filter_by(study_code="STEP-01-001"))
        administrations = {a.instrument: a.id for a in db.session.scalars(
            db.select(Administration).join(Visit).where(Visit.patient_id == patient.id))}
        return {"patient_id": patient.id, "user_id": target_user.id, "form_id": 1,
                "qlq_c30": administrations.get("qlq_c30", 1), "mmse": administrations.get("mmse", 1)}

    def real_value(self, endpoint: str, argument: str):
        if argument == "token":
            return self.token
        if argument == "administration_id":
            return self.ids["mmse" if endpoint.startswith("mmse.") else "qlq_c30"]
        if argument in CHOICES:
            return CHOICES[argument][0]
        return self.ids[argument]

    def path(self, endpoint: str, values: dict) -> str:
        with self.app.test_request_context():
            from flask import url_for
            return url_for(endpoint, **values)

    def csrf(self, role: str) -> str:
        return session_csrf_token(self.clients[role])

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
        role = "anonymous" if rule.rule.startswith(ANONYMOUS_PREFIXES) else self._role_for(rule.endpoint)
        page = self.clients[role].get(path)
        fields = form_fields(page.get_data(as_text=True)) if page.status_code == 200 else []
        page.close()
        return Target(rule.endpoint, rule.rule, tuple(sorted(rule.arguments)), role, fields)

    def _role_for(self, endpoint: str) -> str:
        """The first role `roles_required` lets in, on the view or its blueprint; any staff otherwise."""
        declared = _declared_roles(self.app, endpoint)
        return next((role for role in ROLES if role in declared), "nurse")


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
