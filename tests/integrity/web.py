"""Sign staff in with a valid CSRF token (CSRF stays on) and read tokens out of pages."""
from __future__ import annotations

import hashlib
import os
import re

from itsdangerous import URLSafeTimedSerializer

from tests.support.factories import PASSWORD

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def session_csrf_token(client) -> str:
    """A token as Flask-WTF issues it: a random value in the session, signed with the secret key."""
    with client.session_transaction() as session:
        raw = session.setdefault("csrf_token", hashlib.sha1(os.urandom(64)).hexdigest())
    return URLSafeTimedSerializer(client.application.secret_key, salt="wtf-csrf-token").dumps(raw)


def sign_in(client, user, password: str = PASSWORD):
    response = client.post("/staff/login", data={"email": user.email, "password": password,
                                                  "csrf_token": session_csrf_token(client)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client
