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


def _index(model, title, slug):
    return model.objects.first() or publish(home(), model(title=title, slug=slug))


def hall(*, title="西湖区应急安全体验中心"):
    from accounts.models import District
    from cms.models import ExperienceHallIndexPage, ExperienceHallPage

    district = District.objects.get_or_create(code="330106", defaults={"name": "西湖区"})[0]
    index = _index(ExperienceHallIndexPage, "安全体验馆", "halls")
    return publish(
        index,
        ExperienceHallPage(
            title=title,
            address="文三路1号",
            district=district,
            opening_hours="周二至周日 9:00-17:00",
        ),
    )


def case(*, title="某化工企业动火作业未审批被处罚案"):
    from accounts.models import Industry
    from cms.models import CaseIndexPage, CasePage

    industry = Industry.objects.get_or_create(code="C", defaults={"name": "制造业"})[0]
    index = _index(CaseIndexPage, "以案说法", "cases")
    return publish(
        index,
        CasePage(
            title=title,
            industry=industry,
            decided_on=a_date(30),
            violation="未办理动火作业许可。",
            penalty="罚款人民币8万元。",
            lesson="<p>动火作业必须先审批。</p>",
        ),
    )


def video(*, title="有限空间作业安全"):
    from cms.models import VideoIndexPage, VideoPage

    index = _index(VideoIndexPage, "视频课堂", "videos")
    return publish(index, VideoPage(title=title, video_url="https://video.example.gov.cn/1"))
