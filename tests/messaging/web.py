"""Signing staff in, and posting forms with a CSRF token as Flask-WTF issues it."""
from __future__ import annotations

import hashlib
import os

from itsdangerous import URLSafeTimedSerializer

from tests.support.factories import PASSWORD


def csrf_token(client) -> str:
    with client.session_transaction() as session:
        raw = session.setdefault("csrf_token", hashlib.sha1(os.urandom(64)).hexdigest())
    return URLSafeTimedSerializer(client.application.secret_key, salt="wtf-csrf-token").dumps(raw)


def sign_in(client, user):
    response = client.post("/staff/login", data={"email": user.email, "password": PASSWORD,
                                                  "csrf_token": csrf_token(client)})
    assert response.status_code == 302, response.status_code
    return client


def post(client, path: str, data: dict | None = None, **kwargs):
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client)}, **kwargs)
