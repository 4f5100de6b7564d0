import base64
import secrets
import subprocess
import sys
import uuid

import pytest
from cryptography.fernet import Fernet

from pro_app.audit.keys import DEV_AUDIT_KEY
from pro_app.config import ConfigError, load_settings
from tests.support.audit_keys import new_audit_key

BASE = {"PRO_APP_ENV": "development"}


def settings(**env):
    return load_settings(environ={**BASE, **env})


def test_defaults_are_the_embedded_setup():
    s = settings()
    assert s.database_url.startswith("sqlite:///") and s.sms_backend == "console"
    assert s.default_locale == "fr" and s.study_timezone == "Europe/Paris"


@pytest.mark.parametrize("env, setting", [
    ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
    ({"DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL"),
    ({"DEFAULT_LOCALE": "de"}, "DEFAULT_LOCALE"),
    ({"SMS_BACKEND": "pigeon"}, "SMS_BACKEND"),
    ({"SMS_BACKEND": "twilio"}, "TWILIO_ACCOUNT_SID"),
    ({"STUDY_TIMEZONE": "Mars/Olympus"}, "STUDY_TIMEZONE"),
    ({"PUBLIC_BASE_URL": "example.org"}, "PUBLIC_BASE_URL"),
    ({"PHONE_ENCRYPTION_KEY": "short"}, "PHONE_ENCRYPTION_KEY"),
    ({"PRO_APP_ENV": "production"}, "SECRET_KEY"),
    ({"PRO_APP_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(32)}, "PHONE_ENCRYPTION_KEY"),
    ({"TWILIO_TIMEOUT_SECONDS": "soon"}, "TWILIO_TIMEOUT_SECONDS"),
    ({"DATABASE_POOL_SIZE": "many"}, "DATABASE_POOL_SIZE"),
    ({"DATABASE_POOL_SIZE": "0"}, "DATABASE_POOL_SIZE"),
    ({"DATABASE_POOL_SIZE": "2.5"}, "DATABASE_POOL_SIZE"),
    ({"IDLE_LOGOUT_MINUTES": "half an hour"}, "IDLE_LOGOUT_MINUTES"),
    ({"DATABASE_MAX_OVERFLOW": "-1"}, "DATABASE_MAX_OVERFLOW"),
    ({"DATABASE_POOL_TIMEOUT_SECONDS": "0"}, "DATABASE_POOL_TIMEOUT_SECONDS"),
])
def test_a_wrong_setting_is_named(env, setting):
    with pytest.raises(ConfigError, match=setting):
        settings(**env)


def production(**env):
    return settings(**{"PRO_APP_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(32),
                       "PHONE_ENCRYPTION_KEY": Fernet.generate_key().decode(),
                       "PUBLIC_BASE_URL": "https://pro.example.org", "DATABASE_URL": "postgresql://app@db/pro_app",
                       "AUDIT_KEY": new_audit_key("2026-12"), **env})


@pytest.mark.parametrize("key", [secrets.token_urlsafe(32), secrets.token_hex(32), secrets.token_hex(32).upper(),
                                 base64.b32encode(secrets.token_bytes(32)).decode().rstrip("=")],
                         ids=["base64", "hex", "HEX", "base32"])
def test_production_with_real_secrets_is_accepted(key):
    s = production(SECRET_KEY=key)
    assert not s.is_development and not s.is_sqlite and s.secret_key == key


def test_production_accepts_retired_audit_keys_beside_the_current_one():
    s = production(AUDIT_PREVIOUS_KEYS=f" {new_audit_key('2026-01')} , {new_audit_key('2026-06')}")
    assert not s.is_development


@pytest.mark.parametrize("key", [
    "x", "x" * 40, "s" * 48, secrets.token_hex(16), secrets.token_urlsafe(24), uuid.uuid4().hex * 2, "ab" * 40,
    "9" * 80, "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "correct-horse-battery-staple", secrets.token_urlsafe(40)[:20] + "a" * 30,
], ids=["one-character", "x-40", "s-48", "hex-16-bytes", "base64-24-bytes", "uuid-twice", "ab-repeated",
        "nines", "alphabet", "passphrase", "half-padding"])
def test_production_refuses_a_secret_key_of_less_than_32_random_bytes(key):
    with pytest.raises(ConfigError, match="^SECRET_KEY: ") as refused:
        production(SECRET_KEY=key)
    message = str(refused.value)
    assert "\n" not in message and ("32 random bytes" in message or "not random" in message)


def test_production_refuses_a_patterned_phone_key_and_plain_http():
    with pytest.raises(ConfigError, match="^PHONE_ENCRYPTION_KEY: not random"):
        production(PHONE_ENCRYPTION_KEY=base64.urlsafe_b64encode(b"x" * 32).decode())
    for url in ("http://pro.example.org", "http://127.0.0.1:5000"):
        with pytest.raises(ConfigError, match="^PUBLIC_BASE_URL: must start with https:// in production"):
            production(PUBLIC_BASE_URL=url)
    assert settings(PUBLIC_BASE_URL="http://127.0.0.1:5000", SECRET_KEY="x").public_base_url.startswith("http://")


def test_a_weak_production_secret_stops_the_cli_with_one_line(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "INSTANCE_PATH": str(tmp_path), "PRO_APP_ENV": "production", "SECRET_KEY": "x",
           "PHONE_ENCRYPTION_KEY": Fernet.generate_key().decode(), "PUBLIC_BASE_URL": "https://pro.example.org",
           "AUDIT_KEY": new_audit_key()}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "current"],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("pro_app configuration error: SECRET_KEY: must hold at least 32 random bytes")


def _production(**env):
    from cryptography.fernet import Fernet
    return settings(PRO_APP_ENV="production", SECRET_KEY="x" * 40, PHONE_ENCRYPTION_KEY=Fernet.generate_key().decode(),
                    **env)


def _b64(raw: bytes) -> str:
    import base64
    return base64.b64encode(raw).decode()


@pytest.mark.parametrize("env, why", [
    ({}, "required in production"),
    ({"AUDIT_KEY": DEV_AUDIT_KEY}, "development key is refused"),
    ({"AUDIT_KEY": ""}, "<id>:<base64 secret>"),
    ({"AUDIT_KEY": _b64(bytes(range(40)))}, "<id>:<base64 secret>"),  # no id
    ({"AUDIT_KEY": "k1:" + _b64(bytes(range(100, 131)))}, "at least 32"),  # 31 bytes
    ({"AUDIT_KEY": "k1:not base64!"}, "at least 32"),
    ({"AUDIT_KEY": "k1:" + _b64(b"\x00" * 64)}, "does not look random"),
    ({"AUDIT_KEY": "k1:" + _b64(b"correct horse battery staple, really")}, "does not look random"),
    ({"AUDIT_KEY": "k1:" + _b64(bytes(range(8)) * 8)}, "does not look random"),
    ({"AUDIT_KEY": new_audit_key(), "AUDIT_PREVIOUS_KEYS": DEV_AUDIT_KEY}, "development key is refused"),
    ({"AUDIT_KEY": new_audit_key("k1"), "AUDIT_PREVIOUS_KEYS": new_audit_key("k1")}, "appears twice"),
    ({"AUDIT_KEY": new_audit_key(), "AUDIT_PREVIOUS_KEYS": "k0:short"}, "AUDIT_PREVIOUS_KEYS: key 'k0'"),
    ({"AUDIT_KEY": new_audit_key(), "AUDIT_ANCHOR_FILE": "/nonexistent-folder/anchors.jsonl"}, "AUDIT_ANCHOR_FILE"),
])
def test_production_refuses_a_missing_weak_or_development_audit_key(env, why):
    with pytest.raises(ConfigError, match="^AUDIT_") as raised:
        _production(**env)
    assert why in str(raised.value) and "\n" not in str(raised.value)
    secret = env.get("AUDIT_KEY", "").partition(":")[2]
    assert not secret or secret not in str(raised.value)  # a key never shows in an error


def test_development_uses_the_fixed_audit_key_and_still_checks_a_given_one():
    assert settings().audit_key == DEV_AUDIT_KEY
    with pytest.raises(ConfigError, match="AUDIT_KEY: key 'k1'"):
        settings(AUDIT_KEY="k1:abc")


def test_the_cli_reports_one_line_and_exits_non_zero(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DEFAULT_LOCALE": "de", "INSTANCE_PATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "current"],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "DEFAULT_LOCALE" in result.stderr
    assert "Traceback" not in result.stderr
