from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_reports_database(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True


def _settings_with(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "PII_HASH_KEY", "PII_ENCRYPTION_KEY"}}
    clean.update(env)
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); "
        "from django.conf import settings; "
        "print(settings.DEBUG, settings.DATABASES['default']['ENGINE'], settings.CHANNEL_LAYERS['default']['BACKEND'],"
        " settings.LANGUAGE_CODE, settings.TIME_ZONE)"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_defaults_are_embedded_sqlite_debug_vietnamese() -> None:
    result = _settings_with({})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True", "django.db.backends.sqlite3", "channels.layers.InMemoryChannelLayer", "vi", "Asia/Ho_Chi_Minh",
    ]


def test_refuses_to_start_with_debug_off_and_no_secret_key() -> None:
    result = _settings_with({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_refuses_to_start_in_production_without_personal_data_keys() -> None:
    result = _settings_with({"DEBUG": "0", "SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "PII_HASH_KEY" in result.stderr


def test_production_settings_use_postgres_and_redis_urls() -> None:
    result = _settings_with({
        "DEBUG": "false",
        "SECRET_KEY": "x" * 50,
        "PII_HASH_KEY": "h" * 40,
        "PII_ENCRYPTION_KEY": "ZmVybmV0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU=",
        "DATABASE_URL": "postgres://u:p@db.example:5432/ytp",
        "REDIS_URL": "redis://cache.example:6379/1",
        "ALLOWED_HOSTS": "ytp.example",
    })
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:3] == [
        "False", "django.db.backends.postgresql", "channels_redis.pubsub.RedisPubSubChannelLayer",
    ]
