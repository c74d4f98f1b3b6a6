"""Error pages and the service check, as users and operators meet them."""

import os
import subprocess
import sys
from pathlib import Path

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


def test_server_error_page_renders_without_a_request_context():
    # Django renders 500.html with no context processors: it must stand on its own.
    with translation.override("zh-hans"):
        html = render_to_string("500.html")
    assert "服务热线" in html and "/static/css/anxun.css" in html


def test_rate_limited_page_is_friendly(db):
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with translation.override("zh-hans"):
        html = render_to_string("429.html", request=request)
    assert "429" in html
    assert "请等待几分钟后再试" in html


def test_service_check_names_the_service_that_does_not_answer():
    result = subprocess.run(
        [sys.executable, "scripts/check_services.py"],
        cwd=ROOT,
        env={**os.environ, "PGPORT": "1", "REDIS_URL": "redis://127.0.0.1:1/0"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "PostgreSQL at 127.0.0.1:1 does not answer" in result.stderr
    assert "Redis at redis://127.0.0.1:1/0 does not answer" in result.stderr
