"""Health and rate limits against the real PostgreSQL, Redis and broker."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, WorkerProfileFactory

# serialized_rollback everywhere in this suite: mixing it with plain transactional tests makes
# the restore collide with content types that a plain flush re-creates.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_healthz_checks_postgresql_redis_and_the_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert all(check["ok"] for check in checks.values()), checks


def test_healthz_reports_a_dead_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    from config.celery_app import app

    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = settings.REDIS_URL
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


def test_failed_login_lock_is_shared_through_redis(client):
    from django.core.cache import cache

    cache.clear()
    WorkerProfileFactory(user__phone="+8613977778888")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "13977778888", "password": "wrong"})
    # A different browser (another web process would share the same Redis) is locked out too.
    other = type(client)()
    response = other.post(reverse("account_login"), {"login": "13977778888", "password": PASSWORD})
    assert "_auth_user_id" not in other.session
    assert "登录失败次数过多" in response.content.decode()
