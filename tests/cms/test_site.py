"""Feeds, sitemap, meta tags, sharing, caching, query counts and page-type rules."""

import io
import subprocess
from datetime import timedelta

import pytest
import zxingcpp
from django.core.cache import cache
from PIL import Image

from cms.models import ArticleIndexPage, ArticlePage, CampaignPage, EventPage, HomePage
from tests.cms import builders

pytestmark = pytest.mark.django_db


def decode(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(results) == 1
    return results[0].text


def test_rss_and_atom_feeds_list_the_latest_articles(client):
    article = builders.article(title="冬季用火用电安全提示")
    rss = client.get("/feeds/articles.rss")
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert "冬季用火用电安全提示" in rss.content.decode()
    assert f"http://testserver{article.url}" in rss.content.decode()
    atom = client.get("/feeds/articles.atom")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "冬季用火用电安全提示" in atom.content.decode()


def test_sitemap_lists_live_pages_only(client):
    live = builders.article(title="公开文章")
    draft = builders.article(title="草稿文章")
    draft.unpublish()
    xml = client.get("/sitemap.xml").content.decode()
    assert live.full_url in xml
    assert draft.full_url not in xml


def test_pages_carry_description_canonical_and_open_graph(client):
    article = builders.article(
        title="有限空间作业“七不准”", text="有限空间作业必须先通风、再检测、后作业。"
    )
    html = client.get(article.url).content.decode()
    assert f'<link rel="canonical" href="{article.full_url}">' in html
    assert '<meta property="og:title" content="有限空间作业“七不准”">' in html
    assert '<meta property="og:type" content="article">' in html
    assert 'name="description" content="有限空间作业必须先通风' in html


def test_share_qr_decodes_to_the_page_url(client):
    article = builders.article()
    response = client.get(f"/share/{article.pk}/qr.png")
    assert response["Content-Type"] == "image/png"
    assert decode(response.content) == article.full_url


@pytest.mark.parametrize("make", [builders.campaign, builders.event])
def test_posters_decode_to_the_page_url(client, make, tmp_path):
    page = make()
    url = page.full_url
    png = client.get(f"/share/{page.pk}/poster.png")
    assert png["Content-Type"] == "image/png"
    assert decode(png.content) == url
    pdf = client.get(f"/share/{page.pk}/poster.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    (tmp_path / "poster.pdf").write_bytes(pdf.content)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", tmp_path / "poster.pdf", tmp_path / "p"],
        check=True,
    )
    assert decode((tmp_path / "p.png").read_bytes()) == url
    text = subprocess.run(
        ["pdftotext", tmp_path / "poster.pdf", "-"], capture_output=True, text=True, check=True
    ).stdout
    assert page.title in text.replace("\n", "")


def test_articles_and_drafts_have_no_poster(client):
    article = builders.article()
    assert client.get(f"/share/{article.pk}/poster.png").status_code == 404
    event = builders.event()
    event.unpublish()
    assert client.get(f"/share/{event.pk}/poster.png").status_code == 404
    assert client.get(f"/share/{event.pk}/qr.png").status_code == 404


def test_campaign_and_event_pages_offer_posters_and_articles_do_not(client):
    assert "poster.pdf" in client.get(builders.campaign().url).content.decode()
    assert "poster.pdf" in client.get(builders.event().url).content.decode()
    assert "poster.pdf" not in client.get(builders.article().url).content.decode()


def test_anonymous_home_page_is_served_from_cache_until_content_changes(client):
    cache.clear()
    first = client.get("/")
    assert first["X-Anxun-Cache"] == "miss"
    second = client.get("/")
    assert second["X-Anxun-Cache"] == "hit"
    assert second.content == first.content
    builders.article(title="刚刚发布的新文章")  # publishing makes the cached page stale
    third = client.get("/")
    assert third["X-Anxun-Cache"] == "miss"
    assert "刚刚发布的新文章" in third.content.decode()


def test_logged_in_visitors_get_a_fresh_home_page(client):
    from tests.factories import WorkerProfileFactory

    client.force_login(WorkerProfileFactory().user)
    assert "X-Anxun-Cache" not in client.get("/")
    assert "X-Anxun-Cache" not in client.get("/")


def test_cached_pages_carry_no_csrf_token(client):
    cache.clear()
    client.get("/")
    assert "csrfmiddlewaretoken" not in client.get("/").content.decode()


def query_count(client, url, django_assert_max_num_queries) -> int:
    client.get(url)  # warm the per-process caches (content types, site root paths)
    cache.clear()
    with django_assert_max_num_queries(60) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("index_url", "add"),
    [
        ("/", lambda n: [builders.article(title=f"文章{i}") for i in range(n)]),
        ("/science/", lambda n: [builders.article(title=f"科普{i}") for i in range(n)]),
        ("/campaigns/", lambda n: [builders.campaign(title=f"活动{i}") for i in range(n)]),
        ("/events/", lambda n: [builders.event(title=f"讲座{i}") for i in range(n)]),
        ("/halls/", lambda n: [builders.hall(title=f"体验馆{i}") for i in range(n)]),
        ("/cases/", lambda n: [builders.case(title=f"案例{i}") for i in range(n)]),
        ("/videos/", lambda n: [builders.video(title=f"视频{i}") for i in range(n)]),
    ],
)
def test_index_query_count_does_not_grow_with_children(
    client, index_url, add, django_assert_max_num_queries
):
    builders.section(), builders.campaign(title="预热"), builders.event(title="预热讲座")
    (
        builders.hall(title="预热体验馆"),
        builders.case(title="预热案例"),
        builders.video(title="预热视频"),
    )
    add(2)
    few = query_count(client, index_url, django_assert_max_num_queries)
    add(10)
    many = query_count(client, index_url, django_assert_max_num_queries)
    assert many == few


def test_page_type_rules_keep_the_tree_sane():
    assert ArticlePage.can_create_at(builders.section())
    assert not ArticlePage.can_create_at(builders.home())
    assert not EventPage.can_create_at(builders.section())
    assert not CampaignPage.can_create_at(builders.home())
    assert ArticleIndexPage.can_create_at(builders.home())
    assert not HomePage.can_create_at(builders.home())


def test_campaign_and_event_dates_are_checked():
    from django.core.exceptions import ValidationError

    campaign = CampaignPage(title="x", start_date=builders.a_date(0), end_date=builders.a_date(5))
    with pytest.raises(ValidationError):
        campaign.clean()
    event = builders.event()
    event.ends_at = event.starts_at - timedelta(hours=1)
    with pytest.raises(ValidationError):
        event.clean()


def test_event_poster_prints_the_local_time_not_utc(client, rf, tmp_path):
    """TIME_ZONE is Asia/Shanghai: an event at 09:30 there (01:30 UTC) reads 09:30 on the
    poster — in the layout's text, in the PDF's text and in the PNG's pixels."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from cms import sharing
    from cms.views import _poster_for
    from core.documents.fonts import cjk_font_path
    from core.documents.layout import Text, measure_for

    starts = dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(
        hour=9, minute=30, second=0, microsecond=0
    ) + timedelta(days=7)
    page = builders.event(starts_in=timedelta(days=7))
    page.starts_at, page.ends_at = starts, starts + timedelta(hours=2)
    page.save_revision().publish()
    page.refresh_from_db()
    day = starts.strftime("%Y-%m-%d")

    poster = _poster_for(page, rf.get("/"))
    drawn = " ".join(
        op.text
        for op in sharing._layout(poster, measure_for(cjk_font_path()))
        if isinstance(op, Text)
    )
    assert f"{day} 09:30" in drawn
    assert "01:30" not in drawn

    text = subprocess.run(
        ["pdftotext", "-", "-"],
        input=client.get(f"/share/{page.pk}/poster.pdf").content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert f"{day} 09:30" in text
    assert "01:30" not in text

    # The PNG the view serves is pixel for pixel the poster whose time line says 09:30, and
    # not the one that says 01:30.
    def pixels(png: bytes) -> bytes:
        return Image.open(io.BytesIO(png)).convert("RGB").tobytes()

    served = pixels(client.get(f"/share/{page.pk}/poster.png").content)

    def poster_at(hhmm: str) -> bytes:
        lines = [f"时间：{day} {hhmm}", *poster.lines[1:]]
        return pixels(sharing.poster_png(sharing.Poster(**{**poster.__dict__, "lines": lines})))

    assert poster.lines[0].startswith("时间：")
    assert served == poster_at("09:30")
    assert served != poster_at("01:30")
