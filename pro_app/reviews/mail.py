"""Review e-mails to the investigators of opted-in sites, through an outbox.

`queue_review_mail` writes one row per investigator for each result whose flags were not
announced yet, from committed data only: a result rolled back never mails, and one committed is
never forgotten, whenever the scheduler runs. `send_pending` claims each row in its own commit
before the SMTP call, so a row is sent at most once; a failed call puts it back for the next
pass, up to MAX_ATTEMPTS. The mail holds no patient data: the site and a link to the review list.
"""
from __future__ import annotations

import logging
from collections import Counter
from email.message import EmailMessage

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import update

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from ..i18n import SUPPORTED_LOCALES
from ..patients.models import Patient
from ..staff.models import StaffUser
from ..study.models import Site
from .mail_backends import MailError, make_mail_backend
from .models import ReviewMail
from .services import results_to_review

log = logging.getLogger("pro_app.reviews.mail")
MAX_ATTEMPTS = 5
REVIEW_PATH = "/patients/#review"


def queue_review_mail() -> int:
    """Outbox rows for the results of opted-in sites not announced yet; the caller commits."""
    queued = 0
    for site in db.session.scalars(db.select(Site).where(Site.review_mail.is_(True)).order_by(Site.id)):
        recipients = site_investigators(site)
        results = results_to_review(db.select(Patient.id).where(Patient.site_id == site.id)) if recipients else []
        for result in results:
            if result.unreviewed - _announced(result.administration.id):
                db.session.add_all(ReviewMail(administration_id=result.administration.id, staff_user_id=user.id,
                                              flags=result.keys) for user in recipients)
                queued += len(recipients)
    db.session.flush()
    return queued


def set_site_review_mail(site: Site, wanted: bool, reason: str) -> None:
    """Turn a site's review e-mails on or off (audited); the caller commits."""
    if site.review_mail != wanted:
        record("update", "site", site.id, field="review_mail", old=site.review_mail, new=wanted, reason=reason)
        site.review_mail = wanted


def site_investigators(site: Site) -> list[StaffUser]:
    return list(db.session.scalars(db.select(StaffUser).filter_by(site_id=site.id, role="investigator",
                                                                 is_active_account=True).order_by(StaffUser.id)))


def send_pending(settings) -> Counter:
    """Send every pending mail once; returns how many were sent, retried later or given up."""
    backend, report = make_mail_backend(settings), Counter()
    pending = db.session.scalars(db.select(ReviewMail.id).filter_by(status="pending").order_by(ReviewMail.id)).all()
    for mail_id in pending:
        if _claim(mail_id):
            report[_send(db.session.get(ReviewMail, mail_id), backend, settings)] += 1
    return report


def compose(mail: ReviewMail, settings) -> EmailMessage:
    """The message in the recipient's language: the site code and a link, nothing about the patient."""
    recipient, site = mail.recipient, mail.administration.visit.patient.site
    language = recipient.language if recipient.language in SUPPORTED_LOCALES else settings.default_locale
    with force_locale(language):
        subject = _("A result at site %(site)s needs review", site=site.code)
        body = "\n\n".join((
            _("A questionnaire or an MMSE at site %(site)s crossed a threshold of the study protocol.",
              site=site.code),
            _("Sign in to see it and mark it reviewed: %(link)s", link=settings.public_base_url + REVIEW_PATH),
            _("This message holds no patient data on purpose."),
        ))
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = subject, settings.mail_from or "pro-app@localhost", \
        recipient.email
    message.set_content(body + "\n")
    return message


def _announced(administration_id: int) -> set[str]:
    rows = db.session.scalars(db.select(ReviewMail.flags).filter_by(administration_id=administration_id))
    return {key for flags in rows for key in flags.split()}


def _claim(mail_id: int) -> bool:
    claimed = db.session.execute(update(ReviewMail).where(ReviewMail.id == mail_id, ReviewMail.status == "pending")
                                 .values(status="sending", attempts=ReviewMail.attempts + 1)).rowcount == 1
    db.session.commit()
    return claimed


def _send(mail: ReviewMail, backend, settings) -> str:
    try:
        backend.send(compose(mail, settings), mail.id)
    except MailError as error:
        mail.status = "failed" if mail.attempts >= MAX_ATTEMPTS else "pending"
        mail.last_error = str(error)[:200]
        log.warning("review mail %d not sent (attempt %d): %s", mail.id, mail.attempts, mail.last_error)
    else:
        mail.status, mail.sent_at, mail.last_error = "sent", utcnow(), None
    db.session.commit()
    return {"sent": "sent", "pending": "retried", "failed": "given_up"}[mail.status]
