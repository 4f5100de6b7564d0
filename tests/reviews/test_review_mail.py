"""Review e-mails: to the investigators of opted-in sites only, once per newly flagged result,
in their language, with a link and no patient data; through a real local SMTP server (aiosmtpd)."""
import dataclasses
import logging
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from pro_app.config import ConfigError, load_settings
from pro_app.extensions import db
from pro_app.reviews.mail import queue_review_mail, send_pending
from pro_app.reviews.models import ReviewMail
from tests.reviews.helpers import flagged_qlq, rescore_with

PHONE = "+33612345671"


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.envelopes.append(envelope)
        return "250 OK"

    def texts(self) -> list[str]:
        return [envelope.content.decode("utf-8", "replace") for envelope in self.envelopes]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def _smtp_settings(app, port: int):
    return dataclasses.replace(app.extensions["pro_app.settings"], mail_backend="smtp", smtp_host="127.0.0.1",
                               smtp_port=port, smtp_security="none", mail_from="step-pro@example.org",
                               smtp_timeout_seconds=5)


def _mail_pass(settings):
    queued = queue_review_mail()
    db.session.commit()
    return queued, send_pending(settings)


@pytest.fixture
def site01(app, make, runner):
    make.site("01")
    result = runner.invoke(args=["reviews", "site-mail", "01", "on"])
    assert result.exit_code == 0, result.output
    return make.site("01")


def test_an_opted_in_sites_investigators_get_one_mail_without_patient_data(app, make, site01, smtp_server):
    inbox, port = smtp_server
    investigator = make.staff(role="investigator", site_code="01", email="inv01@example.org", language="en")
    make.staff(role="nurse", site_code="01", email="nurse01@example.org")
    make.staff(role="investigator", site_code="02", email="inv02@example.org")
    patient = make.patient("STEP-01-061", phone=PHONE)
    administration = flagged_qlq(make, patient)
    settings = _smtp_settings(app, port)
    assert _mail_pass(settings)[0] == 1
    assert [e.rcpt_tos for e in inbox.envelopes] == [["inv01@example.org"]]
    text = inbox.texts()[0]
    assert "Subject: A result at site 01 needs review" in text
    assert f"{settings.public_base_url}/patients/#review" in text
    for identifying in ("STEP-01-061", "0612345671", "33612345671", "12 34 56", "Pain", "threshold for clinical"):
        assert identifying not in text, identifying
    assert investigator.email in text and "From: step-pro@example.org" in text
    assert _mail_pass(settings) == (0, {})  # never twice
    assert len(inbox.envelopes) == 1
    rescore_with(administration, {"q10": 4, "q12": 4})  # fatigue newly beyond its threshold
    assert _mail_pass(settings)[0] == 1 and len(inbox.envelopes) == 2


def test_the_mail_is_in_the_investigators_language(app, make, site01, smtp_server):
    inbox, port = smtp_server
    make.staff(role="investigator", site_code="01", language="fr")
    flagged_qlq(make, make.patient("STEP-01-062"))
    _mail_pass(_smtp_settings(app, port))
    message = message_from_bytes(inbox.envelopes[0].content, policy=policy.default)
    assert message["Subject"] == "Un résultat du site 01 est à revoir"
    assert "aucune donnée de patient" in message.get_content()


def test_a_site_that_did_not_opt_in_gets_no_mail(app, make, smtp_server):
    inbox, port = smtp_server
    make.staff(role="investigator", site_code="02")
    flagged_qlq(make, make.patient("STEP-02-061", site_code="02"))
    assert _mail_pass(_smtp_settings(app, port)) == (0, {})
    assert inbox.envelopes == [] and db.session.scalars(db.select(ReviewMail)).all() == []


def test_a_result_already_reviewed_is_not_mailed(app, make, site01, smtp_server):
    from pro_app.reviews.services import mark_reviewed
    inbox, port = smtp_server
    investigator = make.staff(role="investigator", site_code="01")
    administration = flagged_qlq(make, make.patient("STEP-01-066"))
    mark_reviewed(administration, "PA:threshold", None, investigator)
    db.session.commit()
    assert _mail_pass(_smtp_settings(app, port)) == (0, {}) and inbox.envelopes == []


def test_an_unreachable_smtp_server_leaves_the_mail_for_the_next_pass(app, make, site01, smtp_server):
    inbox, port = smtp_server
    make.staff(role="investigator", site_code="01")
    flagged_qlq(make, make.patient("STEP-01-063"))
    down = _smtp_settings(app, _free_port())  # nothing listens there
    queued, report = _mail_pass(down)
    assert (queued, report) == (1, {"retried": 1})
    db.session.expire_all()
    [mail] = db.session.scalars(db.select(ReviewMail)).all()
    assert (mail.status, mail.attempts, mail.last_error) == ("pending", 1, "ConnectionRefusedError")
    assert _mail_pass(_smtp_settings(app, port)) == (0, {"sent": 1})
    assert _mail_pass(_smtp_settings(app, port)) == (0, {})
    assert len(inbox.envelopes) == 1


def test_the_console_backend_logs_the_mail_without_identifying_data(app, make, site01, caplog):
    make.staff(role="investigator", site_code="01", email="inv01@example.org", language="en")
    flagged_qlq(make, make.patient("STEP-01-064", phone=PHONE))
    caplog.set_level(logging.INFO, logger="pro_app.reviews.mail")
    assert _mail_pass(app.extensions["pro_app.settings"]) == (1, {"sent": 1})
    logged = caplog.text
    assert "A result at site 01 needs review" in logged and "/patients/#review" in logged
    for identifying in ("STEP-01-064", "612345671", "inv01@example.org"):
        assert identifying not in logged, identifying


def test_the_cli_sends_and_switches_sites(app, make, runner):
    unknown = runner.invoke(args=["reviews", "site-mail", "99", "on"])
    assert unknown.exit_code != 0 and "SITE_CODE: no site with the code '99'" in unknown.output
    make.site("01")
    lonely = runner.invoke(args=["reviews", "site-mail", "01", "on"])
    assert lonely.exit_code == 0 and "nobody will receive them" in lonely.output
    make.staff(role="investigator", site_code="01")
    flagged_qlq(make, make.patient("STEP-01-065"))
    sent = runner.invoke(args=["reviews", "send-mail"])
    assert sent.exit_code == 0 and "queued 1, sent 1, to retry 0, given up 0" in sent.output
    assert runner.invoke(args=["reviews", "site-mail", "01", "off"]).exit_code == 0
    assert make.site("01").review_mail is False


@pytest.mark.parametrize(("environ", "message"), [
    ({"MAIL_BACKEND": "sendmail"}, "MAIL_BACKEND: must be console or smtp, got 'sendmail'"),
    ({"MAIL_BACKEND": "smtp"}, "SMTP_HOST: required when MAIL_BACKEND is smtp"),
    ({"MAIL_BACKEND": "smtp", "SMTP_HOST": "mail.example.org"}, "MAIL_FROM: the sender's address"),
    ({"SMTP_PORT": "70000"}, "SMTP_PORT: must be 1 to 65535, got 70000"),
    ({"SMTP_SECURITY": "tls"}, "SMTP_SECURITY: must be starttls, ssl or none, got 'tls'"),
    ({"SMTP_USERNAME": "step"}, "SMTP_USERNAME, SMTP_PASSWORD: set both"),
    ({"MAIL_BACKEND": "smtp", "SMTP_HOST": "mail.example.org", "MAIL_FROM": "step@example.org",
      "SMTP_USERNAME": "u", "SMTP_PASSWORD": "p", "SMTP_SECURITY": "none"}, "SMTP_SECURITY: none would send"),
])
def test_mail_settings_fail_fast_with_one_line(environ, message):
    with pytest.raises(ConfigError) as raised:
        load_settings(environ)
    assert str(raised.value).startswith(message) and "\n" not in str(raised.value)


def test_an_administrator_turns_a_sites_review_mail_on_and_it_is_audited(client, make):
    from pro_app.audit.models import AuditEntry
    from tests.staff.web import html, post, sign_in
    site = make.site("01")
    sign_in(client, make.staff(role="admin", site_code=None))
    assert "Turn on" in html(client.get("/reviews/sites?lang=en"))
    response = post(client, "/reviews/sites?lang=en", {"site": "01", "state": "on"})
    assert response.status_code == 303
    db.session.expire_all()
    assert site.review_mail is True
    entry = db.session.scalar(db.select(AuditEntry).filter_by(entity="site", field="review_mail"))
    assert (entry.old_value, entry.new_value) == ("false", "true")
    refused = post(client, "/reviews/sites?lang=en", {"site": "99", "state": "on"})
    assert refused.status_code == 400 and "Choose a site" in html(refused)
    assert post(client, "/reviews/sites?lang=en", {"site": "01", "state": "maybe"}).status_code == 400


@pytest.mark.parametrize("role", ["nurse", "investigator", "data_manager"])
def test_only_an_administrator_sets_the_review_mail(client, make, role):
    from tests.staff.web import post, sign_in
    make.site("01")
    sign_in(client, make.staff(role=role, site_code=None if role == "data_manager" else "01"))
    assert client.get("/reviews/sites").status_code == 403
    assert post(client, "/reviews/sites", {"site": "01", "state": "on"}).status_code == 403
    db.session.expire_all()
    assert make.site("01").review_mail is False


def test_a_rolled_back_result_is_never_mailed(app, make, site01):
    from pro_app.questionnaires.scoring import score_and_store
    from tests.reviews.helpers import PAIN_ONLY
    make.staff(role="investigator", site_code="01")
    administration = make.completed_qlq(make.patient("STEP-01-067"), "baseline", PAIN_ONLY, flags=False)
    score_and_store(administration)  # flags written in the transaction ...
    db.session.rollback()  # ... that fails
    assert _mail_pass(app.extensions["pro_app.settings"]) == (0, {})


def test_the_mails_link_opens_the_list_for_the_investigator(app, client, make, site01, smtp_server):
    from tests.staff.web import html, sign_in
    inbox, port = smtp_server
    investigator = make.staff(role="investigator", site_code="01", language="en")
    flagged_qlq(make, make.patient("STEP-01-068"))
    settings = _smtp_settings(app, port)
    _mail_pass(settings)
    body = message_from_bytes(inbox.envelopes[0].content, policy=policy.default).get_content()
    link = next(word for word in body.split() if word.startswith(settings.public_base_url))
    sign_in(client, investigator)
    path, _, anchor = link.removeprefix(settings.public_base_url).partition("#")
    page = html(client.get(path + "?lang=en"))
    assert f'id="{anchor}"' in page
    assert "Results to review" in page and "STEP-01-068" in page.split('id="due"')[0]
