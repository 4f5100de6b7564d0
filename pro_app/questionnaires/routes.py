"""The patient's questionnaire pages under /q/<token> (see `access` for how a link is checked).

GET /q/<token> only shows the welcome page: link previewers in messaging apps fetch links
before the patient taps, so nothing is consumed until the patient presses Start (a POST).
Each page POST saves that page; the route commits once.
"""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from ..extensions import csrf, db
from ..instruments import qlq_c30 as structure
from .access import PatientAccess, patient_view
from .answers import saved_answers
from .forms import AnswerError, page_key, parse_page
from .navigation import after_save, page_of, resume_url
from .pages import item_html, item_text, page_view, wording
from .services import (
    PAGE_COUNT,
    QuestionnaireClosed,
    change_language,
    save_page,
    start,
    unanswered_items,
)
from .submission import submit as submit_administration

bp = Blueprint("questionnaires", __name__, template_folder="templates", url_prefix="/q")
bp.add_app_template_global(item_html)
TABLET_SESSION_KEY = "tablet_administration"


@bp.get("/<token>")
@patient_view()
def welcome(access: PatientAccess):
    started = access.link.status != "created"
    return render_template("questionnaires/welcome.html", access=access, started=started,
                           item_count=structure.ITEM_COUNT)


@bp.post("/<token>/start")
@csrf.exempt
@patient_view()
def begin(access: PatientAccess):
    start(access.administration, g.patient_language, access.patient_id)
    db.session.commit()
    return redirect(resume_url(access.token, access.administration_id), code=303)


@bp.get("/<token>/page/<int:number>")
@patient_view(started=True, with_answers=True)
def page(access: PatientAccess, number: int):
    _check_page(number)
    return _render_page(access, number, access.saved)


@bp.post("/<token>/page/<int:number>")
@csrf.exempt
@patient_view(started=True)
def save(access: PatientAccess, number: int):
    _check_page(number)
    try:
        posted = parse_page(request.form, access.link.token_hash, number)
    except AnswerError as error:
        return render_template("questionnaires/form_error.html", access=access, number=number,
                               message=str(error)), 400
    try:
        missing = save_page(access.administration_id, access.patient_id, number, posted.answers,
                            skip_missing=posted.action == "skip")
    except QuestionnaireClosed:
        db.session.rollback()
        return redirect(url_for(".thanks", token=access.token), code=303)
    if posted.action == "stay" and posted.language:
        change_language(access.patient, posted.language, access.administration)
    db.session.commit()
    if posted.action == "next" and missing:
        return _render_page(access, number, saved_answers(access.administration_id), unanswered=missing)
    return redirect(after_save(access.token, number, posted.action), code=303)


@bp.get("/<token>/review")
@patient_view(started=True, with_answers=True)
def review(access: PatientAccess):
    pack, language = wording(access, g.patient_language)
    saved = access.saved
    unanswered = [(item.number, item_text(pack, language, item), page_of(item.number))
                  for item in unanswered_items(saved)]
    return render_template("questionnaires/review.html", access=access, unanswered=unanswered,
                           wording_language=language, last_page=PAGE_COUNT)


@bp.post("/<token>/submit")
@csrf.exempt
@patient_view(started=True, allow_completed=True)
def submit(access: PatientAccess):
    submit_administration(access.administration)
    db.session.commit()
    if session.get(TABLET_SESSION_KEY) == access.administration_id:
        return redirect(url_for(".tablet_locked", finished=1, lang=g.patient_language), code=303)
    return redirect(url_for(".thanks", token=access.token), code=303)


@bp.get("/<token>/thanks")
@patient_view(allow_completed=True)
def thanks(access: PatientAccess):
    if not access.link.is_submitted:
        return redirect(url_for(".welcome", token=access.token), code=303)
    return render_template("questionnaires/thanks.html", access=access)


def _check_page(number: int) -> None:
    if not 1 <= number <= PAGE_COUNT:
        abort(404)


def _render_page(access: PatientAccess, number: int, saved, unanswered=()):
    pack, language = wording(access, g.patient_language)
    view = page_view(pack, language, number, saved)
    return render_template("questionnaires/page.html", access=access, page=view, unanswered=list(unanswered),
                           page_key=page_key(access.link.token_hash, number))


from . import tablet  # noqa: F401  (tablet views live on this blueprint)
