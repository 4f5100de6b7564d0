"""Staff browsing with the test client: CSRF stays on, as in production."""
from __future__ import annotations

from pro_app.extensions import db
from tests.integrity.web import session_csrf_token, sign_in

__all__ = ["html", "post", "sign_in", "fresh", "visit_of"]


def post(client, url: str, data: dict | None = None, **kwargs):
    data = dict(data or {})
    data.setdefault("csrf_token", session_csrf_token(client))
    return client.post(url, data=data, **kwargs)


def html(response) -> str:
    return response.get_data(as_text=True)


def fresh(row):
    """Re-read a row after requests that ran in their own sessions."""
    db.session.expire_all()
    return db.session.get(type(row), row.id)


def visit_of(patient, code: str = "baseline"):
    return next(visit for visit in fresh(patient).visits if visit.code == code)
