"""Posting to our Twilio webhooks as Twilio does: the public URL and the form, signed with the auth token."""
from __future__ import annotations

import itertools

TOKEN = "0123456789abcdef0123456789abcdef"
PUBLIC = "https://pro.example.org"
SID = "SM" + "a" * 32
NUMBER = "+33612345671"  # the patient of the `sent` fixture
_SIDS = itertools.count(1)


def new_sid() -> str:
    return f"SM{next(_SIDS):032x}"


def inbound_form(body: str, sender: str = NUMBER, sid: str | None = None, **extra: str) -> dict:
    """What Twilio posts for a text received from ``sender``; each call is a new message unless ``sid``."""
    return {"MessageSid": sid or new_sid(), "AccountSid": "AC" + "0" * 32, "From": sender, "To": "+33700000000",
            "Body": body, "NumMedia": "0", **extra}
