"""The patient's path: start, pages, skip confirmation, resume, language, review."""
from __future__ import annotations

from pro_app.extensions import db
from pro_app.patients.models import Patient as PatientRow
from pro_app.questionnaires.models import Administration, ItemAnswer


def _answers(administration_id):
    db.session.expire_all()
    return {a.item_code: (a.state, a.value)
            for a in db.session.scalars(db.select(ItemAnswer).filter_by(administration_id=administration_id))}


def test_opening_the_link_consumes_nothing(patient, patient_link):
    _, administration = patient_link
    response = patient.client.get(patient.url())
    assert response.status_code == 200
    assert 'action="/q/' in response.get_data(as_text=True)
    db.session.expire_all()
    row = db.session.get(Administration, administration.id)
    assert (row.status, row.started_at, row.pack_id) == ("created", None, None)


def test_start_records_pack_and_language_then_shows_page_one(patient, patient_link):
    response = patient.start()
    assert response.status_code == 303 and response.location.endswith("/page/1")
    db.session.expire_all()
    row = db.session.get(Administration, patient_link[1].id)
    assert (row.status, row.language, row.pack_id) == ("in_progress", "fr", "qlq_c30_demo")
    assert row.started_at is not None and row.pack_sha256


def test_nothing_is_preselected_and_headings_sit_where_the_instrument_puts_them(patient):
    patient.start()
    first = patient.client.get(patient.url("/page/1")).get_data(as_text=True)
    assert " checked" not in first
    assert 'class="instruction"' not in first  # items 1-5 have no recall heading
    second = patient.client.get(patient.url("/page/2")).get_data(as_text=True)
    assert second.index('class="instruction"') < second.index('id="item-q6"')
    assert "semaine passée" in second


def test_items_29_and_30_have_seven_points_with_anchors_only_at_the_poles(patient):
    patient.start()
    html = patient.client.get(patient.url("/page/8")).get_data(as_text=True)
    assert [html.count(f'value="{point}"') for point in range(1, 8)] == [1] * 7
    assert "le plus mauvais" in html and "le meilleur" in html
    for bare in range(2, 7):
        assert f'<span lang="fr">{bare}</span>' in html


def test_a_page_saves_its_answers_and_moves_on(patient, patient_link):
    patient.start()
    response = patient.answer(1, {1: 1, 2: 2, 3: 3, 4: 4, 5: 1})
    assert response.status_code == 303 and response.location.endswith("/page/2")
    assert _answers(patient_link[1].id) == {f"q{n}": ("answered", v) for n, v in zip(range(1, 6), (1, 2, 3, 4, 1))}
    db.session.expire_all()
    assert db.session.get(Administration, patient_link[1].id).last_saved_at is not None
    again = patient.client.get(patient.url("/page/1")).get_data(as_text=True)
    assert 'value="3" checked' in again  # the patient's own answer, shown back


def test_unanswered_items_ask_for_confirmation_without_javascript(patient, patient_link):
    patient.start()
    response = patient.answer(1, {1: 2, 2: 2, 3: 2})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Vous avez laissé 2 questions sans réponse." in html
    assert 'id="skip-prompt" role="alert" tabindex="-1"' in html and "hidden" not in html.split('id="skip-prompt"')[1][:80]
    assert _answers(patient_link[1].id) == {f"q{n}": ("answered", 2) for n in (1, 2, 3)}
    confirmed = patient.answer(1, {1: 2, 2: 2, 3: 2}, action="skip")
    assert confirmed.status_code == 303 and confirmed.location.endswith("/page/2")
    assert _answers(patient_link[1].id)["q4"] == ("skipped", None)


def test_a_skip_never_erases_an_answer_given_earlier(patient, patient_link):
    patient.start()
    patient.answer(1, {1: 3, 2: 3, 3: 3, 4: 3, 5: 3})
    patient.answer(1, {}, action="skip")
    assert set(_answers(patient_link[1].id).values()) == {("answered", 3)}


def test_back_keeps_answers_without_skipping(patient, patient_link):
    patient.start()
    response = patient.answer(2, {6: 1}, action="back")
    assert response.status_code == 303 and response.location.endswith("/page/1")
    assert _answers(patient_link[1].id) == {"q6": ("answered", 1)}


def test_resume_goes_to_the_first_page_not_yet_done(client, patient, make):
    patient.start()
    patient.answer(1, {n: 2 for n in range(1, 6)})
    patient.answer(2, {6: 2}, action="skip")
    other_device = make.app.test_client()
    assert other_device.get(patient.url()).status_code == 200
    response = other_device.post(patient.url("/start"))
    assert response.location.endswith("/page/3")


def test_language_switch_is_remembered_for_the_patient(patient, patient_link):
    patient.start()
    response = patient.client.get(patient.url("/page/1?lang=en"))
    assert response.status_code == 303 and response.location.endswith("/page/1")
    html = patient.client.get(patient.url("/page/1")).get_data(as_text=True)
    assert '<html lang="en"' in html and "Demo item 1" in html
    db.session.expire_all()
    assert db.session.get(PatientRow, patient_link[1].visit.patient_id).language == "en"


def test_language_switch_with_answers_saves_them_first(patient, patient_link):
    patient.start()
    response = patient.answer(1, {1: 4}, action="stay", lang="en")
    assert response.status_code == 303 and response.location.endswith("/page/1")
    assert _answers(patient_link[1].id) == {"q1": ("answered", 4)}
    assert '<html lang="en"' in patient.client.get(patient.url("/page/1")).get_data(as_text=True)


def test_review_lists_the_unanswered_items(patient):
    patient.start()
    patient.answer_all(skip=(4, 17))
    html = patient.client.get(patient.url("/review")).get_data(as_text=True)
    assert "2 questions sont sans réponse" in html
    assert "#item-q4" in html and "#item-q17" in html and "#item-q5" not in html


def test_pages_never_show_who_the_patient_is(patient, patient_link):
    study_code = patient_link[1].visit.patient.study_code
    patient.start()
    for path in ("", "/page/1", "/review"):
        response = patient.client.get(patient.url(path))
        assert study_code not in response.get_data(as_text=True)
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Cache-Control"] == "no-store"


def test_without_a_pack_in_the_patients_language_another_study_language_is_used(client, make, tmp_path):
    import yaml

    from pro_app.instruments.packs import demo_pack_path
    from pro_app.questionnaires.packs import install_pack
    from tests.questionnaires.conftest import Patient
    data = yaml.safe_load(demo_pack_path("qlq_c30").read_text())
    data.update(pack_id="qlq_c30_french_only", version="1.0")
    del data["languages"]["en"]
    (tmp_path / "pack.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    install_pack(tmp_path / "pack.yaml")
    db.session.commit()
    token, administration = make.questionnaire_link(language="en")
    patient = Patient(client, token)
    assert patient.start().status_code == 303
    html = client.get(patient.url("/page/1")).get_data(as_text=True)
    assert '<html lang="en"' in html and '<span lang="fr">Item de démonstration 1' in html
    db.session.expire_all()
    row = db.session.get(Administration, administration.id)
    assert (row.pack_id, row.language) == ("qlq_c30_french_only", "fr")
