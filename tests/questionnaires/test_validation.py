"""A page POST is checked as a whole: one bad field and nothing of the page is saved."""
from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from pro_app.extensions import db
from pro_app.questionnaires.models import ItemAnswer


def _saved_count():
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(ItemAnswer))


@pytest.mark.parametrize("field, value, message", [
    ("q1", "5", "Question 1 : « 5 » ne fait pas partie de ses réponses (1 à 4)."),
    ("q1", "0", "Question 1 : « 0 » ne fait pas partie de ses réponses (1 à 4)."),
    ("q1", "2.0", "Question 1 : « 2.0 » ne fait pas partie de ses réponses (1 à 4)."),
    ("q1", "", "Question 1 : «  » ne fait pas partie de ses réponses (1 à 4)."),
    ("q1", "²", "Question 1 : « ² » ne fait pas partie de ses réponses (1 à 4)."),
    ("q6", "1", "Le formulaire contient « q6 », qui n&#39;est pas une question de cette page."),
    ("q31", "1", "Le formulaire contient « q31 », qui n&#39;est pas une question de cette page."),
    ("action", "submit", "Bouton inconnu : « submit »."),
    ("lang", "de", "Langue inconnue : « de »."),
    ("page_lang", "de", "Langue inconnue : « de »."),
])
def test_a_forged_or_out_of_range_field_is_refused_and_nothing_saved(patient, field, value, message):
    patient.start()
    data = {"page_key": patient.page_key(1), "action": "next", "q2": "1", field: value}
    response = patient.client.post(patient.url("/page/1"), data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _saved_count() == 0


def test_the_seven_point_items_accept_1_to_7_only(patient):
    patient.start()
    assert patient.answer(8, {29: 8}).status_code == 400
    assert patient.answer(8, {29: 7}).status_code == 303
    assert _saved_count() == 1


def test_a_repeated_field_is_refused(patient):
    patient.start()
    data = MultiDict([("page_key", patient.page_key(1)), ("q1", "1"), ("q1", "2")])
    response = patient.client.post(patient.url("/page/1"), data=data)
    assert response.status_code == 400 and "plus d&#39;une fois" in response.get_data(as_text=True)
    assert _saved_count() == 0


@pytest.mark.parametrize("key", ["", "0" * 32, "forged"])
def test_a_form_not_rendered_for_this_page_and_link_is_refused(patient, key):
    patient.start()
    data = {"page_key": key, "q1": "1"} if key else {"q1": "1"}
    response = patient.client.post(patient.url("/page/1"), data=data)
    assert response.status_code == 400
    assert "ne correspond pas à cette page" in response.get_data(as_text=True)
    assert _saved_count() == 0


def test_the_key_of_another_page_is_refused(patient):
    patient.start()
    data = {"page_key": patient.page_key(2), "q1": "1"}
    assert patient.client.post(patient.url("/page/1"), data=data).status_code == 400
    assert _saved_count() == 0


def test_an_unknown_page_is_not_found(patient):
    patient.start()
    assert patient.client.get(patient.url("/page/10")).status_code == 404
    assert patient.client.get(patient.url("/page/0")).status_code == 404


def test_pages_before_start_lead_back_to_the_welcome_page(patient):
    response = patient.client.get(patient.url("/page/1"))
    assert response.status_code == 303 and response.location.endswith(patient.url())
    assert patient.client.post(patient.url("/submit")).status_code == 303
    assert _saved_count() == 0
