"""The outreach site's demo content (seeding/demo/cms.py): enough of everything, all live, all rendering,
and seeding twice changes nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Revision, Site

from cms.models import (
    ArticleIndexPage,
    ArticlePage,
    Audience,
    CampaignIndexPage,
    CampaignPage,
    CaseIndexPage,
    CasePage,
    DocumentLibraryPage,
    EventFormField,
    EventIndexPage,
    EventPage,
    ExperienceHallIndexPage,
    ExperienceHallPage,
    HomePage,
    SiteSettings,
    Topic,
    VideoIndexPage,
    VideoPage,
)
from cms.search import search_pages

pytestmark = pytest.mark.django_db

SECTIONS = [
    (ArticleIndexPage, "news", "安全动态"),
    (ArticleIndexPage, "science", "安全科普"),
    (ArticleIndexPage, "warning", "警示教育"),
    (CampaignIndexPage, "campaigns", "主题活动"),
    (EventIndexPage, "events", "宣传活动"),
    (ExperienceHallIndexPage, "halls", "安全体验馆"),
    (CaseIndexPage, "cases", "以案说法"),
    (VideoIndexPage, "videos", "视频课堂"),
    (DocumentLibraryPage, "documents", "资料下载"),
]


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def _home() -> HomePage:
    return Site.objects.get(is_default_site=True).root_page.specific


def _counts() -> dict:
    return {
        "pages": Page.objects.count(),
        "live pages": Page.objects.live().count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "collections": Collection.objects.count(),
        "topics": Topic.objects.count(),
        "form fields": EventFormField.objects.count(),
        "site settings": SiteSettings.objects.count(),
    }


def check_sections_are_in_the_menu_in_order(demo):
    # The outreach sections come first; later apps (courses) add theirs after them.
    children = list(_home().get_children().specific())
    assert [(type(p), p.slug, p.title) for p in children][: len(SECTIONS)] == SECTIONS
    assert all(page.show_in_menus and page.live for page in children)


def check_there_is_enough_of_everything(demo):
    assert ArticlePage.objects.live().count() >= 12
    for slug in ("news", "science", "warning"):
        section = ArticleIndexPage.objects.get(slug=slug)
        assert ArticlePage.objects.child_of(section).live().count() >= 3
    assert CampaignPage.objects.live().count() >= 4
    assert EventPage.objects.live().count() >= 6
    assert ExperienceHallPage.objects.live().count() >= 4
    assert CasePage.objects.live().count() >= 6
    assert VideoPage.objects.live().count() >= 2
    assert Topic.objects.count() >= 8
    documents = get_document_model().objects.select_related("collection")
    assert documents.count() >= 4
    assert {d.collection.name for d in documents} >= {"法规标准", "宣传海报"}
    assert all(d.file.size > 1000 and d.file.name.endswith(".pdf") for d in documents)


def check_every_detail_page_has_a_cover_and_articles_are_filed(demo):
    for model in (ArticlePage, CampaignPage, EventPage, ExperienceHallPage, VideoPage):
        assert not model.objects.filter(cover__isnull=True).exists(), model
    articles = ArticlePage.objects.all()
    assert all(a.source and a.intro and a.date.year == 2026 for a in articles)
    assert articles.filter(topic__isnull=False).count() >= 10
    assert articles.filter(campaign__isnull=False).count() >= 3
    assert all(a.tags.exists() for a in articles)
    block_types = {block.block_type for a in articles for block in a.body}
    assert block_types >= {"heading", "paragraph", "image", "quote", "table", "faq"}


def check_events_cover_kinds_audiences_and_time(demo):
    events = EventPage.objects.live()
    now = timezone.now()
    assert set(events.values_list("kind", flat=True)) == set(EventPage.Kind.values)
    assert {Audience.ELDERLY, Audience.CHILDREN} <= set(events.values_list("audience", flat=True))
    upcoming, past = events.filter(starts_at__gt=now), events.filter(ends_at__lt=now)
    assert upcoming.count() >= 4
    assert 1 <= past.count() <= 2
    live = events.get(kind=EventPage.Kind.LIVE)
    assert live.capacity == 0
    assert live.stream_url.startswith("https://live.example.gov.cn/")
    assert EventFormField.objects.values("page").distinct().count() >= 2
    assert all(e.ends_at > e.starts_at and e.thank_you_text for e in events)


def check_a_campaign_is_on_now_and_shown_on_the_home_page(client, demo):
    today = timezone.localdate()
    current = CampaignPage.objects.live().filter(start_date__lte=today, end_date__gte=today)
    assert current.exists()
    html = client.get("/").content.decode()
    assert current.first().title in html


def check_every_page_is_live_and_renders(client, demo):
    assert not Page.objects.filter(depth__gte=2).not_live().exists()
    pages = list(Page.objects.live().filter(depth__gte=2).specific())
    assert len(pages) >= 45
    forms_seen = 0
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, f"{page.url} answered {response.status_code}"
        html = response.content.decode()
        assert page.title in html or isinstance(page, HomePage), page.url
        if isinstance(page, EventPage):
            has_form = 'name="phone"' in html
            if page.needs_registration and page.registration_open and page.seats_left() > 0:
                assert has_form, page.url
                for field in page.form_fields.all():
                    assert field.label in html
                forms_seen += 1
            else:
                assert not has_form, page.url
    assert forms_seen >= 4


def check_articles_are_found_by_a_word_inside_longer_words(demo):
    found = search_pages(ArticlePage.objects.live(), "消防")
    assert len(found) >= 3


def check_site_settings_and_hero(demo):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    assert settings.hotline == "12350"
    assert settings.organiser == "杭州市应急管理局"
    assert settings.icp_number
    home = _home()
    assert home.hero_title == "企业百万员工安全大培训"
    assert home.hero_image is not None


def test_seeding_twice_changes_nothing(demo):
    before = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == before


def test_the_demo_site_is_complete_and_every_page_renders(client, demo):
    """One seed for all these checks: seeding is the slow part."""
    check_sections_are_in_the_menu_in_order(demo)
    check_there_is_enough_of_everything(demo)
    check_every_detail_page_has_a_cover_and_articles_are_filed(demo)
    check_events_cover_kinds_audiences_and_time(demo)
    check_a_campaign_is_on_now_and_shown_on_the_home_page(client, demo)
    check_every_page_is_live_and_renders(client, demo)
    check_articles_are_found_by_a_word_inside_longer_words(demo)
    check_site_settings_and_hero(demo)
