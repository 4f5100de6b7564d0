import subprocess
import sys

import pytest

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
    ({"PRO_APP_ENV": "production", "SECRET_KEY": "x" * 40}, "PHONE_ENCRYPTION_KEY"),
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


def test_production_with_real_secrets_is_accepted():
    from cryptography.fernet import Fernet
    s = settings(PRO_APP_ENV="production", SECRET_KEY="x" * 40, PHONE_ENCRYPTION_KEY=Fernet.generate_key().decode(),
                 DATABASE_URL="postgresql://app@db/pro_app", AUDIT_KEY=new_audit_key("2026-12"),
                 AUDIT_PREVIOUS_KEYS=f" {new_audit_key('2026-01')} , {new_audit_key('2026-06')}")
    assert not s.is_development and not s.is_sqlite


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
