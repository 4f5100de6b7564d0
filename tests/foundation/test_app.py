from pro_app.demo.seed import DEMO_PATIENTS, seed_demo
from pro_app.extensions import db
from pro_app.patients.models import Patient
from pro_app.privacy import decrypt_phone
from pro_app.questionnaires.links import lookup


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "base-uri 'self'" in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_unknown_page_is_a_kind_404_in_the_visitors_language(client):
    response = client.get("/nowhere", headers={"Accept-Language": "fr"})
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)


def test_healthz(client):
    assert client.get("/healthz").json == {"status": "ok"}


def test_demo_seed_is_idempotent_and_prints_a_working_link(app):
    protocol = app.extensions["pro_app.protocol"]
    first = seed_demo(protocol)
    db.session.commit()
    second = seed_demo(protocol)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Patient.id))) == len(DEMO_PATIENTS)
    token = second.link.rsplit("/", 1)[1]
    assert lookup(token).state == "ok"
    assert lookup(first.link.rsplit("/", 1)[1]).state == "revoked"


def test_phone_numbers_are_encrypted_at_rest(app, make):
    patient = make.patient(phone="06 12 34 56 71")
    assert b"612345671" not in patient.phone_ciphertext
    assert decrypt_phone(patient.phone_ciphertext) == "+33612345671"
