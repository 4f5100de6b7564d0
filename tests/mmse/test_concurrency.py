"""Two nurses on the same MMSE: the second save gets a conflict page, never a silent overwrite."""
from pro_app.extensions import db
from pro_app.questionnaires.models import ItemAnswer
from tests.mmse.helpers import section_data, start
from tests.staff.web import fresh, html, post, sign_in


def test_the_second_of_two_concurrent_saves_gets_a_409_and_changes_nothing(app, client, nurse, make, mmse):
    start(client, mmse)
    colleague = app.test_client()
    sign_in(colleague, make.staff(role="nurse", site_code="01"))
    version = str(fresh(mmse).version)  # both pages were opened at this version
    first = post(client, f"/mmse/{mmse.id}/section/recall", {**section_data("recall", "1"), "version": version})
    second = post(colleague, f"/mmse/{mmse.id}/section/recall?lang=en",
                  {**section_data("recall", "0"), "version": version})
    assert first.status_code == 303 and second.status_code == 409
    page = html(second)
    assert "Someone else saved this MMSE while you were filling in this page." in page
    assert "What you entered (not saved)" in page
    db.session.expire_all()
    values = db.session.scalars(db.select(ItemAnswer.value).filter_by(administration_id=mmse.id)).all()
    assert values == [1, 1, 1]


def test_a_stale_signature_form_is_refused(app, client, nurse, make, mmse):
    start(client, mmse)
    stale = str(fresh(mmse).version)
    post(client, f"/mmse/{mmse.id}/section/recall", {**section_data("recall"), "version": stale})
    response = post(client, f"/mmse/{mmse.id}/sign", {"password": "correct-horse-battery", "version": stale})
    assert response.status_code == 409 and fresh(mmse).status == "in_progress"
