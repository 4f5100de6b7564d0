"""Links that cannot be used: a kind page in the patient's language, no hint of another link."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from pro_app.extensions import db
from pro_app.questionnaires.links import issue_link, revoke_links
from pro_app.questionnaires.models import PatientLink

CONTACT_FR = "Pour toute question, contactez votre centre"
CONTACT_EN = "please contact your study site"


def _page(client, token, **headers):
    response = client.get(f"/q/{token}", headers=headers)
    return response.status_code, response.get_data(as_text=True)


def test_unknown_link_is_404_in_the_browser_language(client):
    status, html = _page(client, "x" * 22, **{"Accept-Language": "en-GB,en;q=0.9"})
    assert status == 404 and "We cannot find this questionnaire" in html and CONTACT_EN in html
    status, html = _page(client, "y" * 22, **{"Accept-Language": "fr-FR"})
    assert status == 404 and "Nous ne trouvons pas ce questionnaire" in html and CONTACT_FR in html


def test_expired_link_is_410_in_the_patient_language(client, make):
    token, administration = make.questionnaire_link(language="en")
    link = db.session.scalar(db.select(PatientLink).filter_by(administration_id=administration.id))
    link.valid_from, link.valid_until = link.valid_from - timedelta(days=60), link.valid_from - timedelta(days=30)
    db.session.commit()
    status, html = _page(client, token, **{"Accept-Language": "fr"})
    assert status == 410 and "This questionnaire is closed" in html and CONTACT_EN in html


def test_revoked_link_is_410_and_says_nothing_of_a_newer_link(client, make):
    token, administration = make.questionnaire_link()
    issue_link(administration, revoke_others=True)
    db.session.commit()
    status, html = _page(client, token)
    assert status == 410 and "Ce lien ne fonctionne plus" in html and CONTACT_FR in html
    assert "nouveau" not in html and "new link" not in html


def test_links_stop_working_when_the_patient_leaves_the_study(client, make):
    token, administration = make.questionnaire_link()
    patient = administration.visit.patient
    patient.status, patient.status_changed_at = "withdrawn", patient.created_at
    db.session.commit()
    assert _page(client, token)[0] == 410


def test_completed_link_is_410(client, make):
    token, administration = make.questionnaire_link()
    make.qlq_answers(administration, [1] * 30)
    revoke_links(administration, "completed")
    db.session.commit()
    status, html = _page(client, token)
    assert status == 410 and "Ce questionnaire a déjà été envoyé" in html


def test_link_before_the_window_opens_says_when(client, make):
    future = date.today() + timedelta(days=20)
    token, _ = make.questionnaire_link(inclusion=future, radiotherapy=future + timedelta(days=10))
    status, html = _page(client, token)
    assert status == 403 and "pas encore ouvert" in html and str(future.year) in html


@pytest.mark.parametrize("lang, text", [("en", "This link no longer works"), ("fr", "Ce lien ne fonctionne plus")])
def test_problem_pages_can_be_read_in_either_language(client, make, lang, text):
    token, administration = make.questionnaire_link()
    revoke_links(administration, "withdrawn")
    db.session.commit()
    response = client.get(f"/q/{token}?lang={lang}")
    assert response.status_code == 410 and text in response.get_data(as_text=True)
