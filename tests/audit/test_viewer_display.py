"""The audit trail as a person reads it: translated actions, named records, "field: old → new", reasons."""
import html as html_lib
import re

import pytest
from sqlalchemy import event

from pro_app.audit.services import Actor, record
from pro_app.extensions import db
from tests.integrity.web import sign_in
from tests.staff.web import visit_of

SUBMIT_REASON = "0 item(s) without an answer, 2 reminder(s) cancelled, 1 link(s) revoked"
EXPECTED = {
    "en": ["MMSE items saved", "Questionnaire: STEP-01-042 · Baseline · MMSE", "Orientation in time",
           "orient_time_1: — → 1", "orient_time_2: 0 → 1",
           "Follow-up status changed", "Patient: STEP-01-042", "Status: In follow-up → Withdrawn",
           "Submitted", "Status: In progress → Submitted", SUBMIT_REASON,
           "Visit #999999", "Text message status", "provider reference SM123",
           "Sessions ended", "Staff account: Nina Nurse", "role changed"],
    "fr": ["Éléments du MMSE enregistrés", "Questionnaire : STEP-01-042 · Inclusion · MMSE",
           "Orientation dans le temps", "orient_time_1 : — → 1", "orient_time_2 : 0 → 1",
           "Statut de suivi modifié", "Patient : STEP-01-042", "Statut : Suivi en cours → Sorti de l’étude",
           "Envoyé", "Statut : En cours → Envoyé",
           "0 élément(s) sans réponse, 2 rappel(s) annulé(s), 1 lien(s) révoqué(s)",
           "Visite n° 999999", "Statut du SMS", "référence du fournisseur SM123",
           "Sessions terminées", "Compte du personnel : Nina Nurse", "rôle modifié"],
}


def _text(response) -> str:
    """The page's visible text, tags removed and white space collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True).split("<main", 1)[1])
    return re.sub(r"\s+", " ", html_lib.unescape(body))


def _entries(make):
    nurse = make.staff(role="nurse", name="Nina Nurse")
    patient = make.patient(study_code="STEP-01-042")
    mmse = visit_of(patient).administration("mmse")
    as_nurse = Actor("staff", nurse.id, "nurse")
    record("save_items", "administration", mmse.id, field="orientation_time", old={"orient_time_2": 0},
           new={"orient_time_1": 1, "orient_time_2": 1}, patient_id=patient.id, actor=as_nurse)
    record("change_status", "patient", patient.id, field="status", old="active", new="withdrawn",
           reason="moved to Lyon", patient_id=patient.id, actor=as_nurse)
    record("submit", "administration", mmse.id, field="status", old="in_progress", new="submitted",
           reason=SUBMIT_REASON, patient_id=patient.id)
    record("visit_timing", "visit", 999999, field="timing_flag", old=None, new="late")
    record("message_status", "outbound_message", 888888, field="status", old="claimed", new="sent",
           reason="provider sid SM123")
    record("end_sessions", "staff_user", nurse.id, field="sessions", old=2, new=0, reason="role_changed")
    db.session.commit()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_entries_read_as_translated_sentences(client, make, lang):
    sign_in(client, make.staff(role="data_manager", site_code=None))
    _entries(make)
    page = _text(client.get(f"/audit/?lang={lang}"))
    for expected in EXPECTED[lang]:
        assert expected in page
    assert "moved to Lyon" in page  # typed by staff: shown as typed, in both languages
    for raw in ("save_items", "change_status", "administration ", '{"', "in_progress"):
        assert raw not in page


def test_old_free_text_reasons_and_unknown_codes_stay_readable(client, make):
    sign_in(client, make.staff(role="data_manager", site_code=None))
    record("retired_action", "retired_kind", 7, field="colour", old=["a", "b"], new={"x": [1, 2]},
           reason="some old English sentence")
    db.session.commit()
    page = _text(client.get("/audit/?lang=fr"))
    assert "retired_action" in page and "retired_kind n° 7" in page
    assert "colour : a, b → x : 1, 2" in page and "some old English sentence" in page


def _selects_while(client, url: str) -> tuple[int, str]:
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        page = _text(client.get(url))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return sum(s.lstrip().upper().startswith("SELECT") for s in statements), page


def test_record_names_are_loaded_in_bulk_not_per_row(client, make):
    sign_in(client, make.staff(role="data_manager", site_code=None))
    patients = [make.patient(study_code=f"STEP-01-{n:03d}") for n in range(1, 21)]
    for patient in patients[:2]:
        record("start", "administration", visit_of(patient).administration("mmse").id, patient_id=patient.id)
        record("visit_timing", "visit", visit_of(patient).id, field="timing_flag", new="late", patient_id=patient.id)
    db.session.commit()
    client.get("/audit/?lang=en")  # the first request of a session loads a few things once
    few, _ = _selects_while(client, "/audit/?lang=en")
    for patient in patients[2:]:
        record("start", "administration", visit_of(patient).administration("mmse").id, patient_id=patient.id)
        record("visit_timing", "visit", visit_of(patient).id, field="timing_flag", new="late", patient_id=patient.id)
    db.session.commit()
    many, page = _selects_while(client, "/audit/?lang=en")
    assert "Questionnaire: STEP-01-020 · Baseline · MMSE" in page and "Visit: STEP-01-020 · Baseline" in page
    assert many <= few  # one query per kind of record (at most), whatever the number of rows
