"""SMS texts in the patient's language, from the Babel catalogs.

Generic on purpose: no trial name, condition, or patient name, since an SMS can be read by
anyone near the phone. The wording stays in the GSM-7 alphabet (straight apostrophe, no
ê/â/ô, no typographic quotes), so that one segment holds 160 characters, and the link comes
last, after a space, so that no punctuation sticks to it and handsets keep it whole.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _

from .encoding import SmsEncoding, analyse_sms, non_gsm_characters

KINDS = ("invitation", "reminder")
# Same length as a real link token (questionnaires.links.TOKEN_BYTES = 16), for honest previews.
SAMPLE_TOKEN_LENGTH = len(secrets.token_urlsafe(16))


def text_kind(kind: str) -> str:
    """Outbox kinds are "invitation", "reminder_1", "reminder_2"... and "manual_1"... for a link
    staff resent; reminders share one text, and a resent link reads like an invitation."""
    return "reminder" if kind.startswith("reminder") else "invitation"


def sms_text(kind: str, language: str, link: str) -> str:
    with force_locale(language):
        if text_kind(kind) == "invitation":
            return _("Hello, your follow-up questionnaire is ready. To answer it, or to stop these texts: "
                     "%(link)s", link=link)
        return _("Reminder: your follow-up questionnaire is still waiting. To answer it, or to stop these "
                 "texts: %(link)s", link=link)


@dataclass(frozen=True)
class Preview:
    kind: str
    language: str
    text: str
    encoding: SmsEncoding
    non_gsm: list[str]


def sample_link(public_base_url: str) -> str:
    return f"{public_base_url}/q/{'x' * SAMPLE_TOKEN_LENGTH}"


def preview(kind: str, language: str, public_base_url: str) -> Preview:
    text = sms_text(kind, language, sample_link(public_base_url))
    return Preview(kind, language, text, analyse_sms(text), non_gsm_characters(text))


def analyse_stored(body: str) -> SmsEncoding:
    """A stored body has its token redacted; put back a token-long stand-in before counting."""
    return analyse_sms(body.replace("/q/<redacted>", "/q/" + "x" * SAMPLE_TOKEN_LENGTH))
