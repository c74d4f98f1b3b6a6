"""The bureau's certificate register: who may see it (district officers their district's rows,
in the page and in exports), who may act (bureau officers only), the actions with bad input
refused and nothing changed, the filters, and a query count that does not grow with the list."""

import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.validators import mask_id_number
from certificates import links, services, signing
from certificates.models import Certificate, CertificateEvent, Status
from certificates.services import add_years
from core.models import AuditEvent
from tests.certificates.builders import passed
from tests.factories import (
    DistrictFactory,
    EnterpriseFactory,
    RoleAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("certificate_bureau:list")


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def officer(role=Role.BUREAU_OFFICER, **scope):
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=role, **scope)
    return user


@pytest.fixture
def districts():
    return (
        DistrictFactory(code="330102", name="上城区"),
        DistrictFactory(code="330105", name="拱墅区"),
    )


@pytest.fixture
def world(districts):
    """Two certificates, one in each district, and the users who try the pages."""
    shangcheng, gongshu = districts
    here, _result, staff = passed(
        district=shangcheng, employer=EnterpriseFactory(district=shangcheng)
    )
    there, _result, _staff = passed(district=gongshu, employer=EnterpriseFactory(district=gongshu))
    return {
        "here": here,
        "there": there,
        "bureau": officer(),
        "district": officer(Role.DISTRICT_OFFICER, district=shangcheng),
        "worker": here.holder.user,
        "centre staff": staff["desk"],
        "examiner": staff["examiner"],
        "enterprise admin": officer(Role.ENTERPRISE_ADMIN, enterprise=here.holder.employer),
    }


def detail_url(certificate) -> str:
    return reverse("certificate_bureau:detail", args=[certificate.pk])


def action_url(certificate, action: str) -> str:
    return reverse(f"certificate_bureau:{action}", args=[certificate.pk])


ACTIONS = {
    "revoke": {"revoke-reason": "伪造培训记录"},
    "reissue": {"reissue-reason": "证书遗失补发"},
    "review": {"review-passed_on": ""},  # filled in per test: today
}


def posted(action: str) -> dict:
    data = dict(ACTIONS[action])
    if action == "review":
        data["review-passed_on"] = timezone.localdate().isoformat()
    return data


def state():
    """Everything an action could change."""
    return (
        list(Certificate.objects.order_by("pk").values()),
        CertificateEvent.objects.count(),
    )


def exported(client, **filters) -> list[list[str]]:
    response = client.get(LIST, {**filters, "_export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


# --- Who may -----------------------------------------------------------------------------------


def test_anonymous_visitors_go_to_the_login_page(client, world):
    here = world["here"]
    before = state()
    for url in (LIST, detail_url(here)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    for action in ACTIONS:
        response = client.post(action_url(here, action), posted(action))
        assert response.status_code == 302
    assert state() == before


@pytest.mark.parametrize("who", ["worker", "centre staff", "examiner", "enterprise admin"])
def test_users_without_a_campaign_role_are_refused(client, world, who):
    client.force_login(world[who])
    before = state()

    assert client.get(LIST).status_code == 403
    assert client.get(LIST, {"_export": "csv"}).status_code == 403
    assert client.get(detail_url(world["here"])).status_code == 403
    for action in ACTIONS:
        assert client.post(action_url(world["here"], action), posted(action)).status_code == 403
    assert state() == before


def test_a_district_officer_sees_the_district_rows_only_and_cannot_act(client, world):
    here, there = world["here"], world["there"]
    client.force_login(world["district"])

    page = client.get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert here.number in html and there.number not in html
    assert here.holder.id_number not in html  # masked on screen
    assert mask_id_number(here.holder.id_number) in html

    rows = exported(client)
    numbers = [row[0] for row in rows[1:]]
    assert numbers == [here.number]
    assert there.holder.id_number not in str(rows)

    detail = client.get(detail_url(here))
    assert detail.status_code == 200
    assert 'action="' + action_url(here, "revoke") not in detail.content.decode()
    assert client.get(detail_url(there)).status_code == 404

    before = state()
    for certificate in (here, there):
        for action in ACTIONS:
            response = client.post(action_url(certificate, action), posted(action))
            assert response.status_code == 403, (certificate, action)
    assert state() == before


def test_the_bureau_sees_every_row_and_the_export_is_whole_and_audited(client, world):
    here, there = world["here"], world["there"]
    client.force_login(world["bureau"])

    html = client.get(LIST).content.decode()
    assert here.number in html and there.number in html
    assert detail_url(here) in html

    rows = exported(client, q=here.number)
    header, *body = rows
    assert len(header) == 10 and header[0] == "Certificate number"
    assert [row[0] for row in body] == [here.number]
    row = body[0]
    assert here.holder.id_number in row  # exports carry the whole ID number
    assert here.issued_on.isoformat() in row and "valid" in row
    audit = AuditEvent.objects.get(verb="export.certificates")
    assert audit.actor == world["bureau"]
    assert audit.after == {"format": "csv", "filters": {"q": here.number}}

    xlsx = client.get(LIST, {"_export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


# --- The bureau's actions ----------------------------------------------------------------------


def test_the_bureau_revokes_from_the_record_page(client, world):
    here = world["here"]
    client.force_login(world["bureau"])
    page = client.get(detail_url(here)).content.decode()
    assert action_url(here, "revoke") in page and action_url(here, "reissue") in page

    response = client.post(
        action_url(here, "revoke"), {"revoke-reason": "伪造培训记录"}, follow=True
    )

    assert response.redirect_chain == [(detail_url(here), 302)]
    html = response.content.decode()
    assert f"Certificate {here.number} is revoked." in html
    assert "伪造培训记录" in html
    assert action_url(here, "revoke") not in html  # nothing more to do with it
    here.refresh_from_db()
    assert here.status == Status.REVOKED and here.revoked_by == world["bureau"]


def test_the_bureau_reissues_and_lands_on_the_new_certificate(client, world):
    here = world["here"]
    client.force_login(world["bureau"])

    response = client.post(action_url(here, "reissue"), {"reissue-reason": "证书遗失补发"})

    new = Certificate.objects.get(replaces=here)
    assert response.status_code == 302 and response["Location"] == detail_url(new)
    html = client.get(detail_url(new)).content.decode()
    assert new.number in html and here.number in html
    assert detail_url(here) in html  # "issued in place of"
    old = client.get(detail_url(here)).content.decode()
    assert detail_url(new) in old and 'data-testid="status">replaced<' in old
    here.refresh_from_db()
    assert here.status == Status.REPLACED


def test_the_bureau_records_a_passed_review(client, world):
    here = world["here"]
    today = timezone.localdate()
    here.issued_on = add_years(today, -3) + timedelta(days=10)
    here.valid_until = add_years(here.issued_on, 6) - timedelta(days=1)
    here.review_due = add_years(here.issued_on, 3)
    here.signature = signing.sign(here.token, links.compact_of(here))
    here.save()
    client.force_login(world["bureau"])

    response = client.post(
        action_url(here, "review"), {"review-passed_on": today.isoformat()}, follow=True
    )

    assert response.redirect_chain == [(detail_url(here), 302)]
    here.refresh_from_db()
    assert here.review_due == add_years(today, 3)
    html = response.content.decode()
    assert "The review is recorded" in html and here.review_due.isoformat() in html
    assert here.events.filter(kind=CertificateEvent.Kind.REVIEW_RECORDED).count() == 1


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("revoke", {"revoke-reason": ""}, "This field is required."),
        ("revoke", {"revoke-reason": "  "}, "This field is required."),
        ("revoke", {"revoke-reason": "作废"}, "Give the reason for the revocation."),
        ("revoke", {"revoke-reason": "x" * 301}, "at most 300 characters"),
        ("reissue", {}, "This field is required."),
        ("reissue", {"reissue-reason": "丢了"}, "Give the reason for the re-issue."),
        ("review", {"review-passed_on": ""}, "This field is required."),
        ("review", {"review-passed_on": "2026-13-45"}, "Enter a valid date."),
        ("review", {"review-passed_on": "tomorrow"}, "The review date is not possible."),
        ("review", {"review-passed_on": "2001-01-01"}, "The review date is not possible."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    client, world, action, data, message
):
    here = world["here"]
    if data.get("review-passed_on") == "tomorrow":
        data = {"review-passed_on": (timezone.localdate() + timedelta(days=1)).isoformat()}
    client.force_login(world["bureau"])
    before = state()

    response = client.post(action_url(here, action), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "alert-error" in html  # the page says nothing was changed, and why
    assert state() == before


def test_acting_on_a_revoked_certificate_is_refused_with_the_reason(client, world):
    here = world["here"]
    services.certificate_revoke(actor=world["bureau"], certificate_id=here.pk, reason="第一次吊销")
    client.force_login(world["bureau"])
    before = state()

    for action in ACTIONS:
        response = client.post(action_url(here, action), posted(action))
        assert response.status_code == 400, action
        html = response.content.decode()
        assert (
            "This certificate is revoked already." in html or "the certificate is revoked" in html
        )
    assert state() == before


def test_unknown_certificates_are_404(client, world):
    client.force_login(world["bureau"])
    assert client.get(reverse("certificate_bureau:detail", args=[999_999])).status_code == 404
    response = client.post(
        reverse("certificate_bureau:revoke", args=[999_999]), {"revoke-reason": "没有这本证"}
    )
    assert response.status_code == 404


# --- Filters -----------------------------------------------------------------------------------


def numbers(client, **filters) -> set[str]:
    response = client.get(LIST, filters)
    assert response.status_code == 200
    return {row[0] for row in exported(client, **filters)[1:]}


def test_the_filters(client, world):
    here, there = world["here"], world["there"]
    today = timezone.localdate()
    bureau = world["bureau"]
    soon, _result, _staff = passed()
    Certificate.objects.filter(pk=soon.pk).update(
        issued_on=add_years(today, -3) + timedelta(days=20),
        review_due=today + timedelta(days=20),
    )
    overdue, _result, _staff = passed()
    Certificate.objects.filter(pk=overdue.pk).update(
        issued_on=add_years(today, -3) - timedelta(days=5),
        review_due=today - timedelta(days=5),
    )
    expired, _result, _staff = passed()
    Certificate.objects.filter(pk=expired.pk).update(
        issued_on=add_years(today, -7),
        review_due=add_years(today, -4),
        valid_until=today - timedelta(days=1),
    )
    services.certificate_revoke(actor=bureau, certificate_id=there.pk, reason="伪造培训记录")
    client.force_login(bureau)
    everyone = {c.number for c in (here, there, soon, overdue, expired)}

    assert numbers(client) == everyone
    assert numbers(client, status="valid") == {here.number, soon.number}
    assert numbers(client, status="review_due") == {overdue.number}
    assert numbers(client, status="expired") == {expired.number}
    assert numbers(client, status="revoked") == {there.number}
    assert numbers(client, status="replaced") == set()
    assert numbers(client, review_within="30") == {soon.number, overdue.number}
    assert numbers(client, review_within="10") == {overdue.number}
    assert numbers(client, q=here.number) == {here.number}
    assert numbers(client, q=here.number[:6].lower()) >= {here.number}
    assert numbers(client, q=here.holder.real_name) == {here.number}
    assert numbers(client, q=here.holder.id_number[:14]) == {here.number}
    assert numbers(client, subject=here.subject.pk) == everyone
    assert numbers(client, issued_from=today.isoformat()) == {here.number, there.number}
    assert numbers(client, issued_to=(today - timedelta(days=1)).isoformat()) == {
        soon.number,
        overdue.number,
        expired.number,
    }
    # The status column says what a verifier would be told.
    rows = {row[0]: row for row in exported(client)[1:]}
    assert rows[overdue.number][8] == "review due" and rows[there.number][8] == "revoked"
    assert rows[there.number][9] == "伪造培训记录"


def test_a_bad_filter_value_says_so(client, world):
    client.force_login(world["bureau"])

    response = client.get(LIST, {"review_within": "soon"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a whole number." in html
    assert world["here"].number not in html


def test_the_list_query_count_does_not_grow_with_the_rows(client, world):
    client.force_login(world["bureau"])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    queries()
    few = queries()
    for _n in range(3):
        passed()
    assert Certificate.objects.count() == 5
    assert queries() == few

    client.force_login(world["district"])
    queries()
    assert queries() <= few + 2  # the officer's district is looked up once
