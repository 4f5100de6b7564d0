"""What the nurse reads around an MMSE: when it can be started, what the counters count, the
corrections made after the signature, and every time in one named zone."""
import re
from html import unescape
from datetime import date, datetime, timedelta

import pytest

from pro_app.db import utcnow
from pro_app.extensions import db
from tests.mmse.helpers import fill, save, section_data, sign, start
from tests.staff.web import fresh, html, post, sign_in, visit_of
from tests.support.factories import PASSWORD

TODAY = date.today()


def _set_state(make, patient, state: str) -> None:
    """Put the baseline visit (and its MMSE) in one of the states a nurse meets."""
    visit = visit_of(patient)
    if state == "future":
        visit.window_opens, visit.window_closes, visit.status = TODAY + timedelta(days=3), TODAY + timedelta(days=9), \
            "upcoming"
    elif state == "missed":
        visit.window_opens, visit.window_closes, visit.status = TODAY - timedelta(days=20), \
            TODAY - timedelta(days=10), "missed"
    elif state == "not_done":
        visit.status, visit.status_reason = "not_done", "patient in hospital"
    elif state == "withdrawn":
        patient = fresh(patient)
        patient.status, patient.status_changed_at = "withdrawn", utcnow()
    elif state == "signed":
        make.completed_mmse(fresh(patient))
    db.session.commit()


def _offered(page: str, mmse) -> bool:
    return re.search(rf'href="/mmse/{mmse.id}">\s*Start the MMSE', page) is not None


def test_start_the_mmse_is_offered_exactly_when_the_start_is_accepted(client, nurse, make):
    """Offer (patient page, MMSE page) and acceptance (the start view) come from one rule."""
    expected = {"open": True, "future": False, "missed": False, "not_done": False, "withdrawn": False,
                "signed": False}
    seen = {}
    for number, state in enumerate(expected, start=60):
        patient = make.patient(study_code=f"STEP-01-{number:03d}")
        mmse = visit_of(patient).administration("mmse")
        _set_state(make, patient, state)
        offered = _offered(html(client.get(f"/patients/{patient.id}?lang=en")), mmse)
        form_shown = f'action="/mmse/{mmse.id}/start"' in html(client.get(f"/mmse/{mmse.id}"))
        before = fresh(mmse).status
        start(client, mmse)
        accepted = before == "created" and fresh(mmse).status == "in_progress"
        seen[state] = (offered, form_shown, accepted)
    assert seen == {state: (can, can, can) for state, can in expected.items()}


def test_the_dashboard_says_why_an_mmse_cannot_start_yet(client, nurse, make, patient, mmse):
    _set_state(make, patient, "future")
    page = unescape(html(client.get("/patients/?lang=en")))
    assert "This visit's window is not open yet." in page and not _offered(page, mmse)
    french = unescape(html(client.get("/patients/?lang=fr")))
    assert "La fenêtre de cette visite n’est pas encore ouverte." in french


def test_a_missed_visit_refuses_the_start_with_its_reason(client, nurse, make, patient, mmse):
    _set_state(make, patient, "missed")
    response = start(client, mmse)
    assert response.status_code == 400 and "This visit's window has closed." in unescape(html(response))
    assert fresh(mmse).status == "created"


def test_section_counters_say_they_count_recorded_items(client, nurse, mmse):
    start(client, mmse)
    save(client, mmse, "orientation_time", section_data("orientation_time"))
    english = html(client.get(f"/mmse/{mmse.id}/section/orientation_place?lang=en"))
    assert "5 of 5 items recorded" in english and "0 of 5 items recorded" in english
    assert not re.search(r">\s*\d+/\d+\s*<", english)
    french = html(client.get(f"/mmse/{mmse.id}?lang=fr"))
    assert "5 sur 5 éléments renseignés" in french and "0 sur 5 éléments renseignés" in french


def _signed_and_corrected(client, make, mmse):
    start(client, mmse)
    fill(client, mmse)
    assert sign(client, mmse, PASSWORD).status_code == 303
    investigator = make.staff(role="investigator", site_code="01", name="Ines Investigator")
    sign_in(client, investigator)
    version = fresh(mmse).version
    data = {**section_data("recall"), "recall_1": "0", "recall_2": "na", "recall_2__reason": "hearing",
            "reason": "Transcription error: checked against the paper form", "version": str(version), "go": "overview"}
    response = post(client, f"/mmse/{mmse.id}/section/recall/correct", data)
    assert response.status_code == 303, html(response)
    return investigator


def test_a_corrected_mmse_shows_its_corrections_on_its_record(client, nurse, make, mmse):
    _signed_and_corrected(client, make, mmse)
    page = html(client.get(f"/mmse/{mmse.id}?lang=en"))
    history = page[page.index('id="corrections-title"'):page.index('id="results-title"')]
    assert "Corrections after signature" in history
    assert "Ines Investigator" in history and "(Investigator)" in history
    assert "Transcription error: checked against the paper form" in history
    assert "Correct (1)" in history and "Incorrect (0)" in history and "Not administrable (Hearing)" in history
    assert history.count("<tr>") == 3  # the header and the two items changed
    assert re.search(r"Signed on .+ by Nadia Nurse; corrected afterwards \(2 corrections, listed below\)\.", page)
    french = html(client.get(f"/mmse/{mmse.id}?lang=fr"))
    assert "Corrections après la signature" in french and "Non administrable (Audition)" in french
    assert "corrigé ensuite (2 corrections, détaillées ci-dessous)" in french


def test_an_uncorrected_mmse_has_no_correction_table(client, nurse, mmse):
    start(client, mmse)
    fill(client, mmse)
    sign(client, mmse, PASSWORD)
    page = html(client.get(f"/mmse/{mmse.id}?lang=en"))
    assert "Corrections after signature" not in page and "corrected afterwards" not in page
    assert re.search(r"Signed on .+ by Nadia Nurse\.", page)


@pytest.mark.parametrize("lang, started, signed", [
    ("en", "Dec 6, 2026, 9:05\u202fAM CET", "Dec 6, 2026, 10:20\u202fAM CET"),
    ("fr", "6 déc. 2026, 09:05 CET", "6 déc. 2026, 10:20 CET"),
])
def test_start_and_signature_times_are_in_the_study_zone_and_name_it(client, nurse, make, mmse, lang, started,
                                                                        signed):
    _signed_and_corrected(client, make, mmse)
    administration = fresh(mmse)
    administration.started_at = datetime(2026, 12, 6, 8, 5)  # UTC; Paris is UTC+1 in December
    administration.locked_at = administration.submitted_at = datetime(2026, 12, 6, 9, 20)
    db.session.commit()
    page = html(client.get(f"/mmse/{mmse.id}?lang={lang}"))
    assert started in page and signed in page
    assert "UTC" not in page
    zones = re.findall(r"\d{1,2}:\d{2}(?:\u202f[AP]M)? ([A-Z]{3,4})\b", page)
    assert len(zones) >= 4 and set(zones) == {"CET"}  # start, signature, the two corrections
