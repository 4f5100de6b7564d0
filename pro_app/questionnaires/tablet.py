"""Clinic tablet mode: a nurse hands the tablet over for a self-completion, then it locks.

The nurse (or investigator) of the patient's site opens /q/tablet/start/<administration id>
and confirms. The administration switches to mode "tablet", a short-lived link is minted for
this tablet, and the nurse is signed out on the spot, so the patient holds a tablet with no
staff session. The patient answers through the ordinary patient pages. When they submit, or
when anyone presses "Give the tablet back", the tablet shows a locked screen that carries
nothing of the patient and clears the browser session: staff sign in again to continue.
"""
from __future__ import annotations

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from ..instruments.qlq_c30 import ITEM_COUNT
from ..staff.access import require_administration_access
from ..staff.auth import roles_required
from ..staff.signin import sign_out
from .answers import saved_answers
from .forms import TabletStartForm
from .links import issue_tablet_link, window_utc
from .models import Administration
from .routes import TABLET_SESSION_KEY, bp
from .services import INSTRUMENT

HANDOVER_ROLES = ("nurse", "investigator")


@bp.route("/tablet/start/<int:administration_id>", methods=["GET", "POST"])
@roles_required(*HANDOVER_ROLES)
def tablet_start(administration_id: int):
    # Another site's questionnaire answers 404, exactly like one that does not exist.
    administration = require_administration_access(administration_id, INSTRUMENT)
    problem = handover_problem(administration)
    form = TabletStartForm()
    if problem or not form.validate_on_submit():
        status = 409 if problem else (400 if form.errors else 200)
        return render_template("questionnaires/tablet_start.html", form=form, administration=administration,
                               problem=problem, answered=len(saved_answers(administration.id)),
                               item_count=ITEM_COUNT), status
    token = hand_over(administration, current_user)
    sign_out("logout")  # a copy of the nurse's cookie must not outlive the handover either
    db.session.commit()
    session.clear()
    session[TABLET_SESSION_KEY] = administration.id
    return redirect(url_for(".welcome", token=token), code=303)


@bp.get("/tablet/locked")
def tablet_locked():
    """The locked screen; it also ends whatever session the tablet still had."""
    sign_out("logout")
    db.session.commit()
    session.clear()
    finished = request.args.get("finished") == "1"
    return render_template("questionnaires/tablet_locked.html", finished=finished)


def handover_problem(administration: Administration) -> str | None:
    """Why this questionnaire cannot be handed over now, or None."""
    visit = administration.visit
    opens, closes = window_utc(visit)
    if administration.is_submitted:
        return _("This questionnaire has already been submitted.")
    if administration.mode not in ("phone", "tablet"):
        return _("This questionnaire is completed by staff, not by the patient.")
    if visit.patient.status != "active" or visit.status in ("not_done", "cancelled"):
        return _("This patient or visit is no longer followed.")
    if not opens <= utcnow() < closes:
        return _("The window of this visit is not open.")
    return None


def hand_over(administration: Administration, staff) -> str:
    """Switch to tablet mode and mint the tablet's link; returns its token."""
    patient_id = administration.visit.patient_id
    if administration.mode != "tablet":
        record("update", "administration", administration.id, field="mode", old=administration.mode,
               new="tablet", patient_id=patient_id)
        administration.mode = "tablet"
    administration.administered_by_id = staff.id
    db.session.flush()
    token = issue_tablet_link(administration)
    record("hand_over_tablet", "administration", administration.id, new={"administered_by": staff.id},
           patient_id=patient_id)
    return token
