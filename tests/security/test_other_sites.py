"""Another site's record answers exactly like one that does not exist: same status, same page.

Every route of the URL map that takes the id or code of a site-scoped record is tried by staff of
site 01, once with site 02's record and once with an unknown one, by GET and by POST. A route
with an argument this file does not know fails the test until it is classified here.
"""
import re

from pro_app.extensions import db
from pro_app.patients.models import Patient
from pro_app.questionnaires.models import Administration
from pro_app.schedule.models import Visit

UNKNOWN_ID = 2**31 - 1
# Arguments naming a site-scoped record: (other site's value, unknown value) from the seeded study.
RECORDS = {"patient_id", "administration_id", "visit_id", "study_code", "code"}
# Arguments that name no site-scoped record.
NOT_RECORDS = {
    "token": "a patient's link: unknown, expired or revoked links have their own tests",
    "section": "an MMSE section name", "number": "a questionnaire page number", "change": "opt_out or opt_in",
    "name": "an API table name", "filename": "a static file",
    "user_id": "staff accounts belong to no site; only administrators open them",
    "form_id": "a form kept for its own author only (tests/staff)",
}


def _other_site_values() -> dict:
    patient = db.session.scalar(db.select(Patient).filter_by(study_code="STEP-02-001"))
    baseline = db.session.scalar(db.select(Visit).filter_by(patient_id=patient.id, code="baseline"))
    administrations = {a.instrument: a.id for a in db.session.scalars(
        db.select(Administration).filter_by(visit_id=baseline.id))}
    return {"patient_id": patient.id, "visit_id": baseline.id, "study_code": patient.study_code, "code": "02",
            "mmse": administrations["mmse"], "qlq_c30": administrations["qlq_c30"]}


def _value(values: dict, endpoint: str, argument: str):
    if argument == "administration_id":
        return values["mmse" if endpoint.startswith("mmse.") else "qlq_c30"]
    return values[argument]


def _normalised(body: str, value) -> str:
    body = re.sub(r'name="csrf_token" (type="hidden" )?value="[^"]*"', "csrf", body)
    return body.replace(str(value), "VALUE")


def _answer(world, role, method, endpoint, values):
    path = world.path(endpoint, values)
    client = world.clients[role]
    if method == "GET":
        response = client.get(path + "?lang=en")
    else:
        response = client.post(path + "?lang=en", data={"csrf_token": world.csrf(role), "version": "1"})
    answer = response.status_code, response.get_data(as_text=True)
    response.close()
    return answer


def test_another_sites_record_answers_like_an_unknown_one_on_every_route(world):
    other = _other_site_values()
    unknown = {"patient_id": UNKNOWN_ID, "visit_id": UNKNOWN_ID, "study_code": "STEP-99-999", "code": "99",
               "mmse": UNKNOWN_ID, "qlq_c30": UNKNOWN_ID}
    arguments = {a for rule in world.app.url_map.iter_rules() for a in rule.arguments}
    assert arguments <= RECORDS | set(NOT_RECORDS), f"classify {arguments - RECORDS - set(NOT_RECORDS)} here"
    tried = set()
    for rule in world.app.url_map.iter_rules():
        records = rule.arguments & RECORDS
        if not records or rule.rule.startswith("/api/"):
            continue
        role = "investigator" if rule.endpoint.startswith("reports.") else world._role_for(rule)
        assert role in ("nurse", "investigator"), (rule.endpoint, role)
        for method in sorted(rule.methods & {"GET", "POST"}):
            answers = []
            for values in (other, unknown):
                arguments = {a: _value(values, rule.endpoint, a) if a in RECORDS else world.real_value(rule.endpoint, a)
                             for a in rule.arguments}
                status, body = _answer(world, role, method, rule.endpoint, arguments)
                answers.append((status, _normalised(body, _value(values, rule.endpoint, next(iter(records))))))
            assert answers[0][0] == 404, (rule.endpoint, method, answers[0][0])
            assert answers[0] == answers[1], (rule.endpoint, method)
            tried.add(rule.endpoint)
    assert {"reports.patient", "reports.site", "questionnaires.tablet_start", "patients.detail", "mmse.overview",
            "messaging.patient", "patients.visit_not_done", "patients.resend"} <= tried


def test_another_sites_code_in_a_query_or_the_api_answers_like_an_unknown_one(world):
    nurse = world.clients["nurse"]
    for path in ("/patients/find?study_code={}", "/patients/?site={}"):
        other, unknown = (nurse.get(path.format(value) + "&lang=en") for value in ("STEP-02-001", "STEP-99-999"))
        assert other.status_code == unknown.status_code == 404, path
    from pro_app.api.tokens import mint_token
    from pro_app.staff.models import StaffUser
    investigator = db.session.scalar(db.select(StaffUser).filter_by(role="investigator"))
    headers = {"Authorization": f"Bearer {mint_token(investigator)}"}
    db.session.commit()
    other, unknown = (world.clients["anonymous"].get(f"/api/v1/tables/patients?site={code}", headers=headers)
                      for code in ("02", "99"))
    assert other.status_code == unknown.status_code == 403
    assert other.json == unknown.json == {"error": "site: this token reads site 01 only"}
