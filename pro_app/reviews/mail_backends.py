"""How review e-mails leave: logged (console, the default) or through an SMTP server (smtplib)."""
from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

log = logging.getLogger("pro_app.reviews.mail")


class MailError(RuntimeError):
    """The mail did not go; the message names the error class and SMTP code, never an address."""


class ConsoleMailBackend:
    """Development backend: logs the subject and body (no patient data in them), not the address."""

    def send(self, message: EmailMessage, mail_id: int) -> None:
        log.info("console mail review_mail=%d subject=%s body=%s", mail_id, message["Subject"],
                 message.get_content().strip().replace("\n\n", " | "))


class SmtpMailBackend:
    def __init__(self, settings):
        self.settings = settings

    def send(self, message: EmailMessage, mail_id: int) -> None:
        s = self.settings
        try:
            if s.smtp_security == "ssl":
                connection = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds,
                                              context=ssl.create_default_context())
            else:
                connection = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds)
            with connection as smtp:
                if s.smtp_security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                if s.smtp_username:
                    smtp.login(s.smtp_username, s.smtp_password)
                smtp.send_message(message)
        except smtplib.SMTPResponseException as error:
            raise MailError(f"{type(error).__name__} {error.smtp_code}") from None
        except (smtplib.SMTPException, OSError) as error:
            raise MailError(type(error).__name__) from None


def make_mail_backend(settings):
    return SmtpMailBackend(settings) if settings.mail_backend == "smtp" else ConsoleMailBackend()
