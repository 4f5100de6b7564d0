"""`flask patients link`: a fresh questionnaire link for the nurse to resend."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from ..questionnaires.links import issue_link, link_url, window_utc
from .models import Patient

patients_cli = AppGroup("patients", help="Patients and their questionnaire links.")
PATIENT_INSTRUMENT = "qlq_c30"


@patients_cli.command("link")
@click.argument("study_code")
@click.argument("visit_code", metavar="VISIT")
def link(study_code: str, visit_code: str) -> None:
    """Print a fresh link to STUDY_CODE's questionnaire of VISIT; every older link of it stops working.

    The link is printed once and stored only as a hash: copy it into the message you send.
    """
    administration = _administration(study_code, visit_code)
    opens, closes = window_utc(administration.visit)
    if utcnow() >= closes:
        raise click.ClickException(f"the window of visit {visit_code} closed on "
                                   f"{administration.visit.window_closes}; a new link would not work")
    token = issue_link(administration, revoke_others=True)
    record("issue_link", "administration", administration.id, reason="reissued from the command line; "
           "older links revoked", patient_id=administration.visit.patient_id)
    db.session.commit()
    if utcnow() < opens:
        click.echo(f"Note: the link works from {administration.visit.window_opens}.", err=True)
    click.echo(link_url(token))


def _administration(study_code: str, visit_code: str):
    patient = db.session.scalar(db.select(Patient).filter_by(study_code=study_code))
    if patient is None:
        raise click.ClickException(f"no patient with study code {study_code!r}")
    if patient.status != "active":
        raise click.ClickException(f"patient {study_code} is {patient.status}; no link can be issued")
    visit = next((v for v in patient.visits if v.code == visit_code), None)
    if visit is None:
        codes = ", ".join(v.code for v in patient.visits)
        raise click.ClickException(f"patient {study_code} has no visit {visit_code!r} (visits: {codes})")
    administration = visit.administration(PATIENT_INSTRUMENT)
    if administration is None or administration.mode not in ("phone", "tablet"):
        raise click.ClickException(f"visit {visit_code} has no questionnaire completed by the patient")
    if administration.is_submitted:
        raise click.ClickException(f"the questionnaire of visit {visit_code} is already submitted")
    if visit.status in ("not_done", "cancelled"):
        raise click.ClickException(f"visit {visit_code} is {visit.status.replace('_', ' ')}")
    return administration
