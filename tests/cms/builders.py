"""Build outreach pages for tests: published, under the migration-made home page."""

from datetime import date, timedelta

from django.utils import timezone

from cms.models import (
    ArticleIndexPage,
    ArticlePage,
    CampaignIndexPage,
    CampaignPage,
    EventIndexPage,
    EventPage,
    HomePage,
)


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page.specific_class.objects.get(pk=page.pk)


def home() -> HomePage:
    return HomePage.objects.get()


def section(title="安全科普", slug="science") -> ArticleIndexPage:
    existing = ArticleIndexPage.objects.filter(slug=slug).first()
    return existing or publish(home(), ArticleIndexPage(title=title, slug=slug, show_in_menus=True))


def article(
    parent=None,
    *,
    title="森林消防日里的防火知识",
    text="森林消防日提醒大家注意用火安全。",
    **fields,
):
    parent = parent or section()
    body = [("paragraph", f"<p>{text}</p>")]
    return publish(parent, ArticlePage(title=title, intro=text[:60], body=body, **fields))


def campaign(*, title="2026年安全生产月", start=None, end=None, **fields) -> CampaignPage:
    index = CampaignIndexPage.objects.first() or publish(
        home(), CampaignIndexPage(title="主题活动", slug="campaigns")
    )
    today = timezone.localdate()
    return publish(
        index,
        CampaignPage(
            title=title,
            start_date=start or today - timedelta(days=3),
            end_date=end or today + timedelta(days=20),
            theme="人人讲安全、个个会应急",
            **fields,
        ),
    )


def event(
    *, title="有限空间作业安全讲座", capacity=3, starts_in=timedelta(days=7), **fields
) -> EventPage:
    index = EventIndexPage.objects.first() or publish(
        home(), EventIndexPage(title="宣传活动", slug="events")
    )
    starts = timezone.now() + starts_in
    return publish(
        index,
        EventPage(
            title=title,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place="杭州市西湖文化广场",
            capacity=capacity,
            **fields,
        ),
    )


def a_date(days_ago: int) -> date:
    return timezone.localdate() - timedelta(days=days_ago)
