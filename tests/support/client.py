"""A test client whose requests run in their own app context, as in production.

The `app` fixture keeps an app context pushed for the test body; without this, requests would
reuse it and share `g` (cached locale, audit actor) and the SQLAlchemy session between requests.
"""
import contextvars

from flask.testing import FlaskClient


class IsolatedClient(FlaskClient):
    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)
