"""The nurse's MMSE: section by section, never a silent 0, signed with the password, then locked."""
from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.questionnaires.models import ItemAnswer
from pro_app.scoring.mmse import ALGORITHM_VERSION
from tests.mmse.helpers import fill, save, section_data, sign, start
from tests.staff.web import fresh, html, post
from tests.support.factories import PASSWORD


def _scores(administration) -> dict:
    return {score.scale: score.value for score in fresh(administration).scores}


def _answer(administration, code) -> ItemAnswer:
    db.session.expire_all()
    return db.session.scalar(db.select(ItemAnswer).filter_by(administration_id=administration.id, item_code=code))


def test_a_nurse_administers_scores_and_signs_an_mmse(client, nurse, mmse):
    assert start(client, mmse).status_code == 303
    started = fresh(mmse)
    assert (started.status, started.language, started.pack_id) == ("in_progress", "fr", "mmse_demo")
    assert started.details["attention_rule"] == "greco" and started.details["spelling_word"] == "MONDE"
    page = html(client.get(f"/mmse/{mmse.id}/section/orientation_time?lang=en"))
    assert "Orientation dans le temps" in page  # guidance in the language the MMSE is given in
    assert "Demo guidance written by the project, not the validated wording." in page
    fill(client, mmse)
    assert _answer(mmse, "serial7_2").value == 86 and _answer(mmse, "spelling").text_value == "EDNOM"
    response = sign(client, mmse, PASSWORD)
    assert response.status_code == 303
    signed = fresh(mmse)
    assert (signed.status, signed.signed_by_id) == ("locked", nurse.id)
    assert signed.signature_meaning == "I confirm this MMSE was administered and scored as recorded."
    assert signed.details["signature"]["signer_name"] == "Nadia Nurse"
    assert signed.locked_at is not None and signed.submitted_at == signed.locked_at
    assert _scores(mmse) == {"MMSE_TOTAL": 30, "MMSE_PRORATED": 30, "ATTENTION": 5, "SERIAL7": 5, "SPELLING": 5,
                             "ITEMS_NOT_ADMINISTRABLE": 0}
    assert {score.algorithm_version for score in signed.scores} == {ALGORITHM_VERSION}
    record = html(client.get(f"/mmse/{mmse.id}?lang=en"))
    assert "by Nadia Nurse." in record and "I confirm this MMSE was administered" in record
    assert "sign" in db.session.scalars(db.select(AuditEntry.action)).all()


def test_serial_sevens_are_checked_against_the_previous_answer(client, nurse, mmse):
    start(client, mmse)
    data = {**section_data("attention"), "serial7_1": "93", "serial7_2": "85", "serial7_3": "78",
            "serial7_4": "71", "serial7_5": "64", "spelling": "EDNMO"}
    assert save(client, mmse, "attention", data, go="stay").status_code == 303
    page = html(client.get(f"/mmse/{mmse.id}/section/attention?lang=en"))
    assert "Saved answers score 4 of 5" in page and "Saved letters score 4 of 5" in page


def test_not_administrable_needs_a_reason_and_is_never_a_zero(client, nurse, mmse):
    start(client, mmse)
    without_reason = {**section_data("copying"), "copying": "na"}
    response = save(client, mmse, "copying", without_reason)
    assert response.status_code == 400
    assert _answer(mmse, "copying") is None
    assert save(client, mmse, "copying", {"copying": "na", "copying__reason": "motor"}).status_code == 303
    answer = _answer(mmse, "copying")
    assert (answer.state, answer.value, answer.na_reason) == ("not_administrable", None, "motor")
    fill(client, mmse, {"copying": {"copying": "na", "copying__reason": "motor"}})
    assert sign(client, mmse, PASSWORD).status_code == 303
    scores = _scores(mmse)
    assert scores["MMSE_TOTAL"] is None and scores["ITEMS_NOT_ADMINISTRABLE"] == 1
    assert scores["MMSE_PRORATED"] == 30.0  # 29 of 29 points administered, scaled; reported separately
    record = html(client.get(f"/mmse/{mmse.id}?lang=en"))
    assert "Missing: a total needs every item scored." in record and "Not administrable (Motor deficit)" in record


def test_a_reason_is_asked_next_to_the_item(client, nurse, mmse):
    start(client, mmse)
    response = save(client, mmse, "reading", {"reading": "na"})
    page = html(response)
    assert response.status_code == 400
    assert 'id="reading__reason-error">Choose why this could not be administered.' in page


def test_the_attention_tasks_record_what_was_said(client, nurse, mmse):
    start(client, mmse)
    data = {**section_data("attention"), "serial7_3": "", "serial7_3__none": "1", "serial7_4": "seventy"}
    response = save(client, mmse, "attention", data)
    assert response.status_code == 400
    assert "Type the number said, a whole number from 0 to 100." in html(response)
    data["serial7_4"] = "72"
    assert save(client, mmse, "attention", data).status_code == 303
    assert _answer(mmse, "serial7_3").text_value == "-"  # no answer: attempted, scores 0


def test_signing_needs_every_item_recorded(client, nurse, mmse):
    start(client, mmse)
    save(client, mmse, "orientation_time", section_data("orientation_time"))
    response = sign(client, mmse, PASSWORD)
    assert response.status_code == 400 and "Still missing: orient_place_1" in html(response)
    assert fresh(mmse).status == "in_progress"


def test_a_wrong_password_does_not_sign(client, nurse, mmse):
    start(client, mmse)
    fill(client, mmse)
    response = sign(client, mmse, "not-my-password")
    assert response.status_code == 400
    assert "E-mail or password not recognised, or the account is temporarily locked." in html(response)
    assert fresh(mmse).status == "in_progress" and not fresh(mmse).scores
    assert "signature_refused" in db.session.scalars(db.select(AuditEntry.action)).all()


def test_a_signed_mmse_is_read_only_and_a_correction_needs_a_reason(client, nurse, mmse):
    start(client, mmse)
    fill(client, mmse)
    sign(client, mmse, PASSWORD)
    assert save(client, mmse, "recall", section_data("recall", "0")).status_code == 409
    assert _answer(mmse, "recall_1").value == 1
    assert client.get(f"/mmse/{mmse.id}/section/recall").status_code == 302
    url = f"/mmse/{mmse.id}/section/recall/correct"
    version = str(fresh(mmse).version)
    refused = post(client, url + "?lang=en", {**section_data("recall"), "recall_1": "0", "version": version})
    assert refused.status_code == 400 and "Give the reason for this correction" in html(refused)
    assert _answer(mmse, "recall_1").value == 1
    accepted = post(client, url, {**section_data("recall"), "recall_1": "0", "version": version,
                                  "reason": "Word 1 was prompted; scored wrongly"})
    assert accepted.status_code == 303
    assert _answer(mmse, "recall_1").value == 0 and fresh(mmse).status == "locked"
    assert _scores(mmse)["MMSE_TOTAL"] == 29
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="correct_items"))
    assert entry.reason == "Word 1 was prompted; scored wrongly"
    assert ('"recall_1": 1' in entry.old_value) and ('"recall_1": 0' in entry.new_value)
