"""The certificate-issuer port: the system check refuses a setting that cannot issue, and the
resolver returns what the setting names (or nothing, when it is empty)."""

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from exams import ports

HERE = "tests.exams.test_ports"


def good_issuer(*, result):
    return result


def issuer_with_more(*, result, printer=None):
    return result


def issuer_taking_anything(**kwargs):
    return kwargs


def positional_issuer(result, printer=None):
    return result


def issuer_needing_more(*, result, printer):
    return result


def issuer_without_result(*, exam):
    return exam


NOT_CALLABLE = "a string is not an issuer"


def errors() -> list[checks.CheckMessage]:
    return ports.certificate_issuer_check()


def test_the_project_settings_name_a_valid_issuer():
    assert errors() == []


def test_the_check_is_registered_when_the_app_is_ready():
    assert ports.certificate_issuer_check in checks.registry.registry.get_checks()


@pytest.mark.parametrize(
    "name", ["good_issuer", "issuer_with_more", "issuer_taking_anything", "positional_issuer"]
)
def test_an_issuer_that_can_be_called_with_result_passes(name):
    with override_settings(ANXUN_CERTIFICATE_ISSUER=f"{HERE}.{name}"):
        assert errors() == []


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        (None, "is empty"),
        (f"{HERE}.no_such_issuer", "cannot be imported"),
        ("no_such_module.issue", "cannot be imported"),
        (f"{HERE}.NOT_CALLABLE", "is not callable"),
        (f"{HERE}.issuer_without_result", "cannot be called as issue(result=...)"),
        (f"{HERE}.issuer_needing_more", "cannot be called as issue(result=...)"),
    ],
)
def test_a_setting_that_cannot_issue_is_refused_with_the_reason(value, says):
    with override_settings(ANXUN_CERTIFICATE_ISSUER=value):
        found = errors()
    assert len(found) == 1
    error = found[0]
    assert error.id == "exams.E001" and error.level == checks.ERROR
    assert error.msg.startswith("settings.ANXUN_CERTIFICATE_ISSUER ")
    assert says in error.msg
    assert "issue(result=...)" in error.hint


def test_a_missing_setting_is_refused(settings):
    del settings.ANXUN_CERTIFICATE_ISSUER
    assert [error.id for error in errors()] == ["exams.E001"]


def test_the_resolver_returns_the_named_issuer_or_none():
    with override_settings(ANXUN_CERTIFICATE_ISSUER=f"{HERE}.good_issuer"):
        assert ports.certificate_issuer() is good_issuer
    with override_settings(ANXUN_CERTIFICATE_ISSUER=""):
        assert ports.certificate_issuer() is None


def test_manage_py_check_stops_on_an_empty_issuer():
    with (
        override_settings(ANXUN_CERTIFICATE_ISSUER=""),
        pytest.raises(SystemCheckError, match=r"exams\.E001"),
    ):
        call_command("check")
