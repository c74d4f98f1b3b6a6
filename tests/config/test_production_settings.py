"""Production settings: refuse to start without real secrets; `check --deploy` is clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

REALISTIC_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k3J9-vQ2x_Lr7mW8pZ4tY6uB1nC5eH0aS-dF2gJ7kL9qR3wE5tY8uI1oP4aS6dF8g",
    "ALLOWED_HOSTS": "anxun.hangzhou.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://anxun.hangzhou.gov.cn",
    "ANXUN_BASE_URL": "https://anxun.hangzhou.gov.cn",
    "DATABASE_URL": "postgres://anxun:secret@db.internal:5432/anxun",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "EMAIL_HOST": "smtp.internal",
    "SMS_BACKEND": "core.sms.HttpGatewaySmsSender",
    "ANXUN_SMS_GATEWAY_URL": "https://sms.internal/send",
    "ANXUN_SIGNING_KEYS": "test-k1=5Jhz1YiJ4u6-fTMktiN96Cjdbr9ieYTEqswPV4wUwb0",
}


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in REALISTIC_ENV}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_a_realistic_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=REALISTIC_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("name", "value", "complaint"),
    [
        ("SECRET_KEY", "", "SECRET_KEY"),
        ("SECRET_KEY", "short", "too weak"),
        ("SECRET_KEY", "django-insecure-" + "x" * 60, "too weak"),
        ("DATABASE_URL", "", "DATABASE_URL"),
        ("REDIS_URL", "", "REDIS_URL"),
        ("ALLOWED_HOSTS", "", "ALLOWED_HOSTS"),
        ("ANXUN_SIGNING_KEYS", "", "ANXUN_SIGNING_KEYS"),
        ("ANXUN_SIGNING_KEYS", "k1=not-a-key", "not valid"),
        (
            "ANXUN_SIGNING_KEYS",
            "dev-2026=RYB5A4kq8yBipCrewJ5BRS1_eIHrj-c0S2UapcuIX-Q",
            "development",
        ),
    ],
)
def test_refuses_to_start_without_real_settings(name, value, complaint):
    result = manage("check", env={**REALISTIC_ENV, name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert complaint in result.stderr


def test_log_only_sms_backend_is_a_deploy_warning():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**REALISTIC_ENV, "SMS_BACKEND": "core.sms.LogSmsSender"},
    )
    assert result.returncode != 0
    assert "anxun.W001" in result.stderr + result.stdout
