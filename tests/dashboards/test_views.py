import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from dashboards.aggregates import aggregates_refresh
from dashboards.reports import report_week, weekly_report_make
from tests.certificates.builders import passed
from tests.dashboards import builders
from tests.exams.practical_builders import center
from tests.factories import (
    DistrictFactory,
    EnterpriseFactory,
    WorkerProfileFactory,
)

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("dashboards:overview")
ENTERPRISES = reverse("dashboards:enterprises")


@pytest.fixture
def world():
    world = builders.campaign()
    aggregates_refresh(full=True)
    return world


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_bureau_sees_the_city_with_charts_and_tables(client, world):
    client.force_login(builders.bureau())
    response = client.get(OVERVIEW)
    html = response.content.decode()
    assert response.status_code == 200
    assert "全市培训进度" in html
    assert (
        html.count("<svg") >= 8
    )  # map, districts, trend, industries, sizes, two subjects, centres, reviews
    labels = [row["label"] for row in response.context["tables"]["districts"].data.data]
    assert labels == ["上城区", "西湖区"]
    assert response.context["headline"]["target"] == 1_000_000
    assert "西湖考点" in html


def test_bureau_may_narrow_to_a_district(client, world):
    client.force_login(builders.bureau())
    response = client.get(OVERVIEW, {"district": "330102"})
    assert [row["label"] for row in response.context["tables"]["districts"].data.data] == ["上城区"]
    assert response.context["headline"]["target"] == 4
    assert "西湖考点" not in response.content.decode()


def test_district_officer_sees_only_their_district(client, world):
    client.force_login(builders.officer(world["shangcheng"]))
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    context = response.context
    assert [row["label"] for row in context["tables"]["districts"].data.data] == ["上城区"]
    assert context["headline"]["registered"] == 2
    assert "西湖考点" not in response.content.decode()  # a centre in another district
    assert client.get(OVERVIEW, {"district": "330106"}).status_code == 403
    for table in ("districts", "industries", "sizes", "trend", "centres", "subjects"):
        rows = _csv(client.get(OVERVIEW, {"table": table, "_export": "csv"}))
        assert "西湖区" not in str(rows) and "西湖考点" not in str(rows)
    districts = _csv(client.get(OVERVIEW, {"table": "districts", "_export": "csv"}))
    assert [row[0] for row in districts[1:]] == ["上城区"]


def test_district_officer_enterprise_table_and_export_are_scoped(client, world):
    client.force_login(builders.officer(world["shangcheng"]))
    response = client.get(ENTERPRISES)
    assert [row.record.label for row in response.context["table"].rows] == [world["east"].name]
    exported = _csv(client.get(ENTERPRISES, {"_export": "csv"}))
    assert [row[0] for row in exported[1:]] == [world["east"].name]
    assert client.get(ENTERPRISES, {"district": world["xihu"].pk}).context["table"].rows
    # the district filter is not theirs to use: other districts' rows never appear
    names = [
        r.record.label
        for r in client.get(ENTERPRISES, {"district": world["xihu"].pk}).context["table"].rows
    ]
    assert names == [world["east"].name]
    other = reverse("dashboards:enterprise_detail", args=[world["west"].pk])
    assert client.get(other).status_code == 403
    own = reverse("dashboards:enterprise_detail", args=[world["east"].pk])
    assert client.get(own).status_code == 200


def test_enterprise_table_filters_and_links(client, world):
    client.force_login(builders.bureau())
    response = client.get(ENTERPRISES, {"district": world["xihu"].pk})
    assert [row.record.label for row in response.context["table"].rows] == [world["west"].name]
    assert (
        reverse("dashboards:enterprise_detail", args=[world["west"].pk])
        in response.content.decode()
    )
    behind = client.get(ENTERPRISES, {"behind": "true"}).context["table"].rows
    assert [row.record.label for row in behind] == [world["west"].name]  # 2 trained of 8
    ahead = client.get(ENTERPRISES, {"behind": "false"}).context["table"].rows
    assert world["west"].name not in [row.record.label for row in ahead]


def test_people_without_the_campaign_role_are_refused(client, world):
    assert client.get(OVERVIEW).status_code == 302  # to the login page
    worker = world["xihu_workers"][1]
    client.force_login(worker.user)
    for url in (OVERVIEW, ENTERPRISES, reverse("dashboards:reports")):
        assert client.get(url).status_code == 403
    client.force_login(builders.enterprise_admin(world["west"]))
    assert client.get(OVERVIEW).status_code == 403
    assert client.get(OVERVIEW, {"table": "districts", "_export": "csv"}).status_code == 403


def test_enterprise_admin_sees_their_own_enterprise_only(client, world):
    client.force_login(builders.enterprise_admin(world["west"]))
    response = client.get(reverse("dashboards:enterprise"))
    assert response.status_code == 200
    html = response.content.decode()
    assert world["west"].name in html and "25.0%" in html  # 2 of the target of 8
    not_started = {row.record.worker for row in response.context["not_started"].rows}
    holder, _trained, _enrolled, idle = world["xihu_workers"]
    assert not_started == {holder, idle}  # the holder sat the exams without a course
    other = reverse("dashboards:enterprise_detail", args=[world["east"].pk])
    assert client.get(other).status_code == 403
    exported = _csv(
        client.get(reverse("dashboards:enterprise"), {"table": "not-started", "_export": "csv"})
    )
    assert sorted(row[0] for row in exported[1:]) == sorted([holder.real_name, idle.real_name])
    from core.models import AuditEvent

    assert AuditEvent.objects.filter(verb="export.enterprise-not-started").count() == 1


def test_certificates_falling_due_are_listed_for_the_enterprise(client, world):
    import datetime

    from django.utils import timezone

    from certificates.models import Certificate

    Certificate.objects.filter(pk=world["certificate"].pk).update(
        review_due=timezone.localdate() + datetime.timedelta(days=30)
    )
    client.force_login(builders.enterprise_admin(world["west"]))
    response = client.get(reverse("dashboards:enterprise"))
    assert [row.record for row in response.context["expiring"].rows] == [world["certificate"]]
    assert "*" in response.content.decode()  # ID numbers masked


def test_bad_input_gets_a_clear_error_and_changes_nothing(client, world):
    client.force_login(builders.bureau())
    response = client.get(OVERVIEW, {"weeks": "7", "district": "999999"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "选择一个有效的选项" in html
    assert response.context["scope"].district is None  # shows the city
    assert client.get(OVERVIEW, {"table": "nope", "_export": "csv"}).status_code == 404
    assert client.get(OVERVIEW, {"table": "districts", "_export": "pdf"}).status_code == 404


def test_reports_are_scoped_to_the_district(client, world):
    week = report_week()
    west_report = weekly_report_make(district_id=world["xihu"].pk, week=week)
    east_report = weekly_report_make(district_id=world["shangcheng"].pk, week=week)
    city = weekly_report_make(district_id=None, week=week)
    client.force_login(builders.officer(world["shangcheng"]))
    listed = client.get(reverse("dashboards:reports")).context["reports"]
    assert list(listed) == [east_report]
    download = client.get(reverse("dashboards:report_download", args=[east_report.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    for refused in (west_report, city):
        url = reverse("dashboards:report_download", args=[refused.pk])
        assert client.get(url).status_code == 403
    client.force_login(builders.bureau())
    assert set(client.get(reverse("dashboards:reports")).context["reports"]) == {
        west_report,
        east_report,
        city,
    }


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_pages_make_a_constant_number_of_queries_whatever_the_campaign_size(
    client, world, settings
):
    # Uncached: the work every page does when its cached part is cold.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    bureau = builders.bureau()
    officer = builders.officer(world["xihu"])
    admin = builders.enterprise_admin(world["west"])
    pages = [
        (bureau, OVERVIEW, {}),
        (bureau, OVERVIEW, {"district": "330106", "weeks": "13"}),
        (officer, OVERVIEW, {}),
        (bureau, ENTERPRISES, {}),
        (officer, ENTERPRISES, {}),
        (admin, reverse("dashboards:enterprise"), {}),
        (bureau, reverse("dashboards:reports"), {}),
    ]

    def measure():
        counts = []
        for user, url, params in pages:
            client.force_login(user)
            counts.append(_queries(client, url, **params))
        return counts

    Certificate.objects.filter(pk=world["certificate"].pk).update(
        review_due=timezone.localdate() + datetime.timedelta(days=20)
    )  # every list has a row to begin with: an empty page skips its fetch
    measure()  # first requests warm per-process caches (site, translations)
    small = measure()
    # Grow the campaign: more districts, enterprises and workers at every step.
    for number in range(4):
        district = DistrictFactory(code=f"33012{number}", name=f"新区{number}")
        enterprise = EnterpriseFactory(district=district, headcount=2000)
        for _n in range(3):
            builders.train(WorkerProfileFactory(employer=enterprise), world["course"])
    for _n in range(5):  # the enterprise's "not started" list grows, and its certificates
        WorkerProfileFactory(employer=world["west"])
    for _n in range(3):
        certificate, _result, _staff = passed(employer=world["west"])
        Certificate.objects.filter(pk=certificate.pk).update(
            review_due=timezone.localdate() + datetime.timedelta(days=20)
        )
    center(code=f"more-{_n}", district=world["xihu"], subjects=[world["certificate"].subject])
    weekly_report_make(district_id=None, week=report_week())
    aggregates_refresh(full=True)
    assert measure() == small


def test_an_officer_who_also_runs_an_enterprise_elsewhere_sees_its_dashboard(client, world):
    from accounts import services as account_services

    user = builders.officer(world["shangcheng"])
    account_services.role_grant(
        user=user, role="enterprise_admin", actor=None, enterprise=world["west"]
    )
    client.force_login(user)
    response = client.get(reverse("dashboards:enterprise"))
    assert response.status_code == 200 and response.context["enterprise"] == world["west"]
    other = reverse("dashboards:enterprise_detail", args=[world["west"].pk])
    assert client.get(other).status_code == 403  # as an officer, another district's


def test_workers_without_an_industry_are_said_so(client, world):
    WorkerProfileFactory(employer=None, district=world["xihu"])
    aggregates_refresh(full=True)
    client.force_login(builders.bureau())
    rows = client.get(OVERVIEW).context["tables"]["industries"].data.data
    assert {row["label"]: row["registered"] for row in rows} == {"制造业": 6, "行业未登记": 1}


def test_below_half_of_the_target_counts_exactly(client, world):
    from training.models import CampaignTarget

    CampaignTarget.objects.filter(enterprise=world["west"]).update(target=5)  # 2 of 5: 40%
    aggregates_refresh(full=True)
    client.force_login(builders.bureau())
    behind = client.get(ENTERPRISES, {"behind": "true"}).context["table"].rows
    assert [row.record.label for row in behind] == [world["west"].name]
    CampaignTarget.objects.filter(enterprise=world["west"]).update(target=4)  # 2 of 4: half
    aggregates_refresh(full=True)
    assert not client.get(ENTERPRISES, {"behind": "true"}).context["table"].rows


def test_long_expired_certificates_are_not_falling_due(client, world):
    import datetime

    from django.utils import timezone

    from certificates.models import Certificate

    long_ago = timezone.localdate() - datetime.timedelta(days=3000)
    Certificate.objects.filter(pk=world["certificate"].pk).update(
        issued_on=long_ago - datetime.timedelta(days=2000),
        review_due=long_ago - datetime.timedelta(days=900),
        valid_until=long_ago,
    )
    client.force_login(builders.enterprise_admin(world["west"]))
    assert not client.get(reverse("dashboards:enterprise")).context["expiring"].rows


def test_the_period_choices_follow_the_language(client, world):
    client.force_login(builders.bureau())
    client.cookies["django_language"] = "en"
    html = client.get(OVERVIEW).content.decode()
    assert "Last 13 weeks" in html and "Whole city" in html and "最近 13 周" not in html


def test_the_overview_body_is_cached_until_the_next_refresh_and_per_scope(client, world):
    from dashboards.models import ProgressFact

    client.force_login(builders.officer(world["xihu"]))
    assert "西湖区" in client.get(OVERVIEW).content.decode()
    ProgressFact.objects.filter(scope="district").update(label="改名区")
    assert "改名区" not in client.get(OVERVIEW).content.decode()  # the cached body
    client.force_login(builders.bureau())
    city = client.get(OVERVIEW).content.decode()
    assert "改名区" in city  # another scope: its own body, nothing from the officer's
    aggregates_refresh()
    client.force_login(builders.officer(world["xihu"]))
    assert "西湖区" in client.get(OVERVIEW).content.decode()  # a refresh makes new keys
