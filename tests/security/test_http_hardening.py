"""Headers, cookies, size limits and error pages, on patient, staff and API responses."""
import re

import pytest
from flask import abort

from pro_app.api.tokens import mint_token
from pro_app.demo.seed import seed_demo
from pro_app.extensions import db
from pro_app.security import HSTS
from tests.security.conftest import PRODUCTION

EXPECTED = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def _assert_hardened(response):
    csp = response.headers["Content-Security-Policy"]
    for directive in ("script-src 'self'", "frame-ancestors 'none'", "base-uri 'self'", "object-src 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    for name, value in EXPECTED.items():
        assert response.headers[name] == value, name


def _patient_link_path(app) -> str:
    link = seed_demo(app.extensions["pro_app.protocol"]).link
    db.session.commit()
    return "/q/" + link.rsplit("/", 1)[1]


def test_patient_staff_and_api_responses_carry_the_headers(app, client, make):
    patient_page = client.get(_patient_link_path(app))
    assert patient_page.status_code == 200
    token = mint_token(make.staff(role="data_manager", site_code=None))
    db.session.commit()
    api = client.get("/api/v1/tables", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200 and api.is_json
    for response in (patient_page, client.get("/q/not-a-real-token"), client.get("/staff/login"), api,
                     client.get("/api/v1/tables"), client.get("/healthz"), client.get("/api/v1/nothing-here")):
        _assert_hardened(response)
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP here
    assert client.get("/api/v1/nothing-here").is_json


def test_https_adds_hsts_and_secure_host_only_session_cookie(other_app):
    app = other_app(PUBLIC_BASE_URL="https://pro.example.org")
    client = app.test_client()
    response = client.get("/?lang=en", base_url="https://pro.example.org")
    assert response.headers["Strict-Transport-Security"] == HSTS
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert flag in cookie
    assert "Domain=" not in cookie


def test_plain_http_session_cookie_is_still_http_only(client):
    cookie = client.get("/?lang=en").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_an_oversized_post_gets_a_kind_413(client):
    response = client.post("/staff/login?lang=en", data={"email": "x" * (600 * 1024), "password": "y"})
    assert response.status_code == 413
    body = response.get_data(as_text=True)
    assert "What was sent is too large" in body and "Traceback" not in body


def test_production_errors_show_nothing_internal(other_app):
    app = other_app(**PRODUCTION)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret-internal-detail in /srv/pro_app/models.py line 42")

    @app.get("/api/boom")
    def api_boom():
        raise KeyError("secret-internal-detail")

    @app.get("/teapot")
    def teapot():
        abort(500, "secret-internal-detail")

    client = app.test_client()
    for path in ("/boom?lang=en", "/teapot?lang=en", "/api/boom"):
        response = client.get(path)
        body = response.get_data(as_text=True)
        assert response.status_code == 500
        for leak in ("secret-internal-detail", "Traceback", "RuntimeError", "KeyError", ".py", "line 42"):
            assert leak not in body, (path, leak)
    assert "Something went wrong on our side" in client.get("/boom?lang=en").get_data(as_text=True)
    assert client.get("/api/boom").json == {"error": "500"}


@pytest.mark.parametrize("settings, named", [
    ({**PRODUCTION, "RATE_LIMIT_STORAGE_URI": "memory://"}, "RATE_LIMIT_STORAGE_URI"),
    ({**PRODUCTION, "FLASK_DEBUG": "1"}, "FLASK_DEBUG"),
])
def test_production_refuses_unsafe_settings(tmp_path, monkeypatch, limiter_restored, settings, named):
    from pro_app import create_app
    if "FLASK_DEBUG" in settings:
        monkeypatch.setenv("FLASK_DEBUG", settings.pop("FLASK_DEBUG"))
    with pytest.raises(SystemExit, match=named):
        create_app({**settings, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                    "INSTANCE_PATH": str(tmp_path)})


def test_csp_allows_no_inline_script_in_any_template():
    from pathlib import Path
    import pro_app
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=", re.IGNORECASE)
    for template in Path(pro_app.__file__).parent.rglob("templates/**/*.html"):
        assert not inline.search(template.read_text(encoding="utf-8")), template


@pytest.mark.parametrize("value", ["-1", "9", "several"])
def test_a_wrong_trusted_proxy_count_is_named(value):
    from pro_app.config import ConfigError, load_settings
    with pytest.raises(ConfigError, match="TRUSTED_PROXY_COUNT"):
        load_settings(environ={"PRO_APP_ENV": "development", "TRUSTED_PROXY_COUNT": value})
