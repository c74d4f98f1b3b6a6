import pytest
from django.core.cache import cache

from core.figures import CAMPAIGN_FIGURES, campaign_figures, campaign_figures_refresh
from core.models import CampaignFigure
from dashboards.tasks import refresh_aggregates
from tests.factories import EnterpriseFactory, WorkerProfileFactory

pytestmark = pytest.mark.django_db


def test_figures_are_computed_stored_and_idempotent():
    WorkerProfileFactory.create_batch(3)
    assert campaign_figures() == dict.fromkeys(CAMPAIGN_FIGURES, 0)  # nothing stored yet
    refresh_aggregates.delay()
    figures = campaign_figures()
    assert figures["registered"] == 3
    assert figures["enterprises"] == 3  # each factory worker brings an employer
    assert figures["trained"] == figures["examined"] == figures["certified"] == 0
    campaign_figures_refresh()
    assert CampaignFigure.objects.count() == len(CAMPAIGN_FIGURES)


def test_home_page_shows_the_stored_figures_not_live_counts(client):
    cache.clear()
    EnterpriseFactory.create_batch(2)
    refresh_aggregates.delay()
    WorkerProfileFactory.create_batch(4)  # not counted until the next refresh
    html = client.get("/").content.decode()
    assert 'aria-label="已实名注册"' in html
    assert "2 家企业参与" in html


def test_examined_and_certified_count_workers_once(settings):
    from tests.exams.practical_builders import midday_time_zone

    settings.TIME_ZONE = midday_time_zone()
    from certificates.services import certificate_revoke
    from tests.certificates.builders import passed
    from tests.factories import RoleAssignmentFactory

    certificate, _result, _staff = passed()
    passed(worker=certificate.holder, code="welding")  # a second certificate, same worker
    other, _result, _staff = passed(code="height")
    refresh_aggregates.delay()
    figures = campaign_figures()
    assert figures["examined"] == figures["certified"] == 2
    bureau = RoleAssignmentFactory(role="bureau_officer").user
    certificate_revoke(actor=bureau, certificate_id=other.pk, reason="伪造考试记录")
    refresh_aggregates.delay()
    assert campaign_figures()["certified"] == 1


def test_new_figures_replace_the_cached_home_page_and_unchanged_ones_keep_it(client):
    cache.clear()
    WorkerProfileFactory.create_batch(2)
    refresh_aggregates.delay()
    client.get("/")
    assert client.get("/")["X-Anxun-Cache"] == "hit"
    WorkerProfileFactory()  # registered since the last refresh
    refresh_aggregates.delay()
    fresh = client.get("/")
    assert fresh["X-Anxun-Cache"] == "miss"
    assert '<span class="counter-value">3</span><span class="counter-label">已实名注册' in (
        fresh.content.decode()
    )
    refresh_aggregates.delay()  # nothing new: the cached page stays
    assert client.get("/")["X-Anxun-Cache"] == "hit"
