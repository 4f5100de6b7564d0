import subprocess
import sys

import pytest

from pro_app.config import ConfigError, load_settings

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
                 DATABASE_URL="postgresql://app@db/pro_app")
    assert not s.is_development and not s.is_sqlite


def test_the_cli_reports_one_line_and_exits_non_zero(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DEFAULT_LOCALE": "de", "INSTANCE_PATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "current"],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "DEFAULT_LOCALE" in result.stderr
    assert "Traceback" not in result.stderr
