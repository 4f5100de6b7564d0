"""Results that need review: listed for the site's nurses and investigators on the dashboard and
the patient page, marked reviewed with an audited note, listed again when a new flag appears."""
import pytest

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.reviews.models import ResultReview
from tests.reviews.helpers import flagged_qlq, rescore_with, signed_mmse
from tests.staff.web import fresh, html, post, sign_in

BEST = [1] * 28 + [7, 7]  # no threshold crossed


def _review(client, administration, note: str = "", flags: str | None = None, back: str = "patient"):
    shown = "PA:threshold" if flags is None else flags
    return post(client, f"/reviews/administrations/{administration.id}?lang=en",
                {"note": note, "flags": shown, "back": back})


def _review_rows() -> list[ResultReview]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(ResultReview).order_by(ResultReview.id)))


def test_a_nurse_sees_a_flagged_questionnaire_on_the_dashboard_and_the_patient_page(client, make, nurse):
    patient = make.patient("STEP-01-031")
    quiet = make.patient("STEP-01-032")
    flagged_qlq(make, patient)
    make.completed_qlq(quiet, "baseline", BEST, flags=False)
    dashboard = client.get("/patients/?lang=en")
    assert dashboard.status_code == 200
    page = html(dashboard)
    block = page[page.index('id="review"'):page.index('id="due"')]
    assert "STEP-01-031" in block and "STEP-01-032" not in block
    assert "Pain: 50, beyond the threshold for clinical importance (25)" in block
    assert "Mark reviewed" in block
    detail = client.get(f"/patients/{patient.id}?lang=en")
    assert detail.status_code == 200 and "Pain: 50, beyond the threshold" in html(detail)
    assert "No result waits for review." in html(client.get(f"/patients/{quiet.id}?lang=en"))


def test_the_list_is_translated(client, make, nurse):
    flagged_qlq(make, make.patient("STEP-01-033"))
    page = html(client.get("/patients/?lang=fr"))
    assert "Résultats à revoir" in page and "Marquer comme revu" in page


def test_a_nurse_of_another_site_neither_sees_nor_reviews_the_result(client, make):
    administration = flagged_qlq(make, make.patient("STEP-01-034"))
    sign_in(client, make.staff(role="nurse", site_code="02"))
    assert "STEP-01-034" not in html(client.get("/patients/?lang=en"))
    assert _review(client, administration).status_code == 404
    assert _review_rows() == []


def test_marking_reviewed_is_audited_and_leaves_a_history_on_the_patient_page(client, make, nurse):
    patient = make.patient("STEP-01-035")
    administration = flagged_qlq(make, patient)
    response = _review(client, administration, note="Called the patient; pain treated.", back="dashboard")
    assert response.status_code == 303 and response.headers["Location"].endswith("/patients/#review")
    [review] = _review_rows()
    assert (review.reviewed_by_id, review.flags, review.note) == (nurse.id, ["PA:threshold"],
                                                                 "Called the patient; pain treated.")
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="review", entity_id=str(administration.id)))
    assert entry is not None and entry.patient_id == patient.id and entry.actor_id == nurse.id
    assert "Called the patient; pain treated." in str(entry.new_value)
    block = html(client.get("/patients/?lang=en"))
    assert "STEP-01-035" not in block[block.index('id="review"'):block.index('id="due"')]
    detail = html(client.get(f"/patients/{patient.id}?lang=en"))
    history = detail[detail.index('id="reviewed"'):detail.index('id="visits"')]
    assert "Nadia Nurse" in history and "Called the patient; pain treated." in history and "Pain" in history
    assert "No result waits for review." in detail


def test_a_second_mark_of_the_same_flags_is_refused(client, make, nurse):
    administration = flagged_qlq(make, make.patient("STEP-01-036"))
    assert _review(client, administration).status_code == 303
    again = _review(client, administration)
    assert again.status_code == 409 and "needs no review any more" in html(again)
    assert len(_review_rows()) == 1


def test_a_rescored_result_that_newly_crosses_a_threshold_is_listed_again(client, make, nurse):
    patient = make.patient("STEP-01-037")
    administration = flagged_qlq(make, patient)
    assert _review(client, administration).status_code == 303
    rescore_with(fresh(administration), {"q10": 4, "q12": 4})  # fatigue now 66.7, threshold 39
    page = html(client.get(f"/patients/{patient.id}?lang=en"))
    listed = page[page.index('id="review"'):page.index('id="reviewed"')]
    assert "Fatigue: 66.7" in listed and "(new)" in listed
    assert "FA:threshold" in listed and "PA:threshold" in listed
    assert _review(client, administration, flags="FA:threshold PA:threshold").status_code == 303
    assert _review_rows()[-1].flags == ["FA:threshold", "PA:threshold"]


def test_a_flag_that_appears_after_the_page_was_shown_stays_listed(client, make, nurse):
    patient = make.patient("STEP-01-038")
    administration = flagged_qlq(make, patient)
    rescore_with(administration, {"q10": 4, "q12": 4})
    assert _review(client, administration, flags="PA:threshold").status_code == 303  # the page showed PA only
    assert _review_rows()[-1].flags == ["PA:threshold"]
    assert "Fatigue: 66.7" in html(client.get("/patients/?lang=en"))


def test_a_signed_mmse_with_a_decline_is_listed_an_unsigned_one_is_not(client, make, nurse):
    signed, unsigned = make.patient("STEP-01-039"), make.patient("STEP-01-040")
    for patient, is_signed in ((signed, True), (unsigned, False)):
        signed_mmse(make, patient, "baseline", errors=0)
        signed_mmse(make, patient, "m3", errors=4, signed=is_signed)
    page = html(client.get("/patients/?lang=en"))
    block = page[page.index('id="review"'):page.index('id="due"')]
    assert "STEP-01-039" in block and "STEP-01-040" not in block
    assert "MMSE total (0-30): -4, decline from baseline (rule: 3 points)" in block


def test_a_too_long_note_is_refused_and_nothing_is_written(client, make, nurse):
    administration = flagged_qlq(make, make.patient("STEP-01-041"))
    response = _review(client, administration, note="x" * 2001)
    assert response.status_code == 400 and "The note is too long: 2000 characters at most." in html(response)
    assert _review_rows() == []


def test_an_investigator_may_mark_reviewed_a_data_manager_reads_only(client, make):
    administration = flagged_qlq(make, make.patient("STEP-01-042"))
    sign_in(client, make.staff(role="data_manager", site_code=None))
    page = html(client.get("/patients/?lang=en"))
    assert "STEP-01-042" in page and "Mark reviewed" not in page
    assert _review(client, administration).status_code == 403
    client.post("/staff/logout", data={})
    investigator = make.staff(role="investigator", site_code="01")
    sign_in(client, investigator)
    assert _review(client, administration).status_code == 303
    assert _review_rows()[-1].reviewed_by_id == investigator.id


@pytest.mark.parametrize("status", ["created", "in_progress"])
def test_a_result_not_submitted_is_not_listed(client, make, nurse, status):
    patient = make.patient("STEP-01-043")
    administration = flagged_qlq(make, patient)
    administration.status, administration.submitted_at = status, None
    db.session.commit()
    assert "STEP-01-043" not in html(client.get("/patients/?lang=en")).split('id="due"')[0]
