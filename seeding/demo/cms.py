"""Demo content for the outreach site: sections, campaigns, events, articles, halls, cases,
videos, documents and site settings, all written for the demo (cases are anonymised: 某化工企业).

Every cover image and every PDF is drawn by ``seeding.demo.pictures``, so seeding needs no
network. Pages are looked up by slug under their parent, images and documents by title, so
running the seed again changes nothing. Dates of the "current" campaign and of upcoming events
are computed from today, so a fresh demo always has a campaign on now and open registrations.

The words are data: ``seeding/data/cms/*.json`` (sections, topics, documents, halls, cases,
videos, settings read here; articles, campaigns and events read by ``seeding.loaders``). This
module keeps what is made at seeding time: the drawn images and PDFs, the pages built from the
specs, and the bodies that are the same for every page of a kind (a campaign's, an event's, a
hall's, a case's, a video's).
"""

import io
import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypedDict, cast

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db.models import Q
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from accounts.models import District, Industry
from cms.models import (
    ArticleIndexPage,
    ArticlePage,
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
from seeding.demo.blocks import (
    bullets,
    cta,
    documents,
    faq,
    heading,
    para,
    quote,
    rich,
)
from seeding.demo.pictures import HEIGHT, SOURCE, WIDTH, draw_cover, draw_pdf
from seeding.loaders import articles_load, campaigns_load, events_load

EVENT_TAGS = {"lecture": "安全讲座", "live": "线上直播", "hands_on": "实操体验"}


class Images:
    """Wagtail images by title: drawn and saved the first time, found afterwards."""

    def __init__(self):
        self.model = get_image_model()
        self.created = 0

    def get(
        self,
        title: str,
        *,
        key: str,
        motif: str,
        palette: str,
        caption: str = "",
        tag: str = "",
        size=(WIDTH, HEIGHT),
    ):
        image = self.model.objects.filter(title=title).first()
        if image is None:
            jpeg = draw_cover(
                caption=caption or title, motif=motif, palette=palette, tag=tag, size=size
            )
            image = self.model(
                title=title, file=ImageFile(io.BytesIO(jpeg), name=f"anxun-demo-{key}.jpg")
            )
            image.save()
            self.created += 1
        return image


# --- Pages -----------------------------------------------------------------------------------


class Pages:
    def __init__(self):
        self.created = 0

    def child(self, parent, slug: str, build):
        """The live child of ``parent`` with this slug, or ``build()`` added and published."""
        existing = parent.get_children().filter(slug=slug).first()
        if existing is not None:
            return existing.specific
        page = build()
        page.slug = slug
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created += 1
        return page


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


# --- Content ---------------------------------------------------------------------------------

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "cms"


def _data(name: str) -> Any:
    """The parsed JSON file ``seeding/data/cms/<name>.json``."""
    return json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))


SECTION_MODELS: dict[str, type[Page]] = {
    model.__name__: model
    for model in (
        ArticleIndexPage,
        CampaignIndexPage,
        EventIndexPage,
        ExperienceHallIndexPage,
        CaseIndexPage,
        VideoIndexPage,
        DocumentLibraryPage,
    )
}

# Sections in menu order: (model, slug, title, intro); the file names the model by class name.
SECTIONS: list[tuple[type[Page], str, str, str]] = [
    (SECTION_MODELS[s["model"]], s["slug"], s["title"], s["intro"]) for s in _data("sections")
]

# (name, slug)
TOPICS: list[tuple[str, str]] = [(t["name"], t["slug"]) for t in _data("topics")]

# (collection, title, key, subtitle, lines); the key names the PDF file.
DOCUMENTS: list[tuple[str, str, str, str, list[str]]] = [
    (d["collection"], d["title"], d["key"], d["subtitle"], d["lines"]) for d in _data("documents")
]


class HallSpec(TypedDict):
    slug: str
    title: str
    district: str  # a district's code
    designation: str  # ExperienceHallPage.Level
    address: str
    latitude: str
    longitude: str
    opening_hours: str
    phone: str
    motif: str
    palette: str
    intro: str
    zones: list[str]


HALLS: list[HallSpec] = _data("halls")


class CaseSpec(TypedDict):
    slug: str
    title: str
    industry: str  # an industry's code
    district: str  # a district's code
    decided_on: date  # ISO in the file
    motif: str
    palette: str
    intro: str
    violation: str
    penalty: str
    lesson: list[str]  # paragraphs


CASES: list[CaseSpec] = [
    cast(CaseSpec, {**case, "decided_on": date.fromisoformat(case["decided_on"])})
    for case in _data("cases")
]


class VideoSpec(TypedDict):
    slug: str
    title: str
    video_url: str
    duration: str
    motif: str
    palette: str
    intro: str
    transcript: list[str]  # paragraphs


VIDEOS: list[VideoSpec] = _data("videos")

SETTINGS: dict[str, str] = _data("settings")


# --- Seeding ---------------------------------------------------------------------------------


def _home() -> HomePage:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    return HomePage.objects.get(slug="home")


def _collection(name: str) -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def _documents() -> tuple[dict, int]:
    Document = get_document_model()
    found, created = {}, 0
    for collection_name, title, key, subtitle, lines in DOCUMENTS:
        document = Document.objects.filter(title=title).first()
        if document is None:
            document = Document(
                title=title,
                collection=_collection(collection_name),
                file=ContentFile(draw_pdf(title, subtitle, lines), name=f"{key}.pdf"),
            )
            document.save()
            created += 1
        found[title] = document
    return found, created


def _topics() -> dict:
    topics = {}
    for name, slug in TOPICS:
        topic = Topic.objects.filter(Q(slug=slug) | Q(name=name)).first()
        if topic is None:
            topic = Topic.objects.create(name=name, slug=slug)
        topics[slug] = topic
    return topics


def _campaign_body(spec: dict, *, events_index, poster) -> list:
    body = [heading("活动背景"), para(*spec["paragraphs"])]
    if "focus" in spec:
        body.append(bullets(spec["focus"], ordered=True))
    body.append(quote(*spec["quote"]))
    if poster is not None:
        body.append(documents("宣传资料", [poster]))
    body += [
        faq("常见问题", spec["faq"]),
        cta(
            "参加活动",
            "全市讲座、直播和体验活动正在报名，名额有限，报满即止。",
            "查看活动并报名",
            events_index,
        ),
    ]
    return body


def seed(*, stdout) -> list:
    today = timezone.localdate()
    images = Images()
    pages = Pages()
    home = _home()
    districts = {d.code: d for d in District.objects.all()}
    industries = {i.code: i for i in Industry.objects.all()}

    docs, docs_created = _documents()
    topics = _topics()

    # Sections, in menu order.
    sections = {}
    for model, slug, title, intro in SECTIONS:
        sections[slug] = pages.child(
            home,
            slug,
            lambda model=model, title=title, intro=intro: model(
                title=title, intro=intro, show_in_menus=True
            ),
        )

    # Extra pictures for bodies.
    pictures = {
        "forest": images.get(
            "配图·森林防火宣传",
            key="body-forest",
            motif="tree",
            palette="green",
            caption="进山不带火 野外不用火",
            tag="森林防火",
        ),
        "extinguisher": images.get(
            "配图·灭火器使用四步法",
            key="body-extinguisher",
            motif="flame",
            palette="red",
            caption="提、拔、握、压：灭火器使用四步法",
            tag="消防安全",
        ),
        "confined": images.get(
            "配图·有限空间作业流程",
            key="body-confined",
            motif="manhole",
            palette="slate",
            caption="先通风 再检测 后作业",
            tag="有限空间",
        ),
        "chemical": images.get(
            "配图·危险化学品安全标签",
            key="body-chemical",
            motif="diamond",
            palette="amber",
            caption="看标签 查说明书 再作业",
            tag="危险化学品",
        ),
        "evacuation": images.get(
            "配图·保持消防通道畅通",
            key="body-evacuation",
            motif="road",
            palette="red",
            caption="生命通道 请勿占用",
            tag="消防通道",
        ),
    }

    # Campaigns.
    campaigns = {}
    specs = campaigns_load(today=today)
    for spec in specs:
        cover = images.get(
            f"封面·{spec['title']}",
            key=f"campaign-{spec['slug']}",
            motif=spec["motif"],
            palette=spec["palette"],
            caption=spec["title"],
            tag="主题活动",
        )
        poster = docs["2026安全生产月宣传海报"] if spec["slug"] == "safety-month-2026" else None
        if spec["slug"] == specs[-1]["slug"] and spec["slug"].startswith("winter"):
            poster = docs["家庭消防安全“十不要”宣传单"]
        campaigns[spec["slug"]] = pages.child(
            sections["campaigns"],
            spec["slug"],
            lambda spec=spec, cover=cover, poster=poster: CampaignPage(
                title=spec["title"],
                theme=spec["theme"],
                start_date=spec["start"],
                end_date=spec["end"],
                audiences=spec["audiences"],
                intro=spec["intro"],
                cover=cover,
                body=_campaign_body(spec, events_index=sections["events"], poster=poster),
            ),
        )
    current_slug = specs[-1]["slug"]
    campaigns["current"] = campaigns[current_slug]

    # Events.
    for spec in events_load(today=today):
        (start_h, start_m), (end_h, end_m) = spec["hours"]
        starts_at, ends_at = _at(spec["day"], start_h, start_m), _at(spec["day"], end_h, end_m)
        campaign = campaigns.get(spec["campaign"]) if spec["campaign"] else None
        cover = images.get(
            f"封面·{spec['title']}",
            key=f"event-{spec['slug']}",
            motif=spec["motif"],
            palette=spec["palette"],
            caption=spec["title"],
            tag=EVENT_TAGS[spec["kind"]],
        )

        def build(spec=spec, starts_at=starts_at, ends_at=ends_at, campaign=campaign, cover=cover):
            questions = [
                EventFormField(
                    label=label,
                    field_type=field_type,
                    required=required,
                    choices=choices,
                    default_value=default,
                    help_text=help_text,
                    sort_order=index,
                )
                for index, (label, field_type, required, choices, default, help_text) in enumerate(
                    spec.get("questions", [])
                )
            ]
            body = [
                heading("活动安排"),
                bullets(spec["programme"]),
            ]
            if spec["capacity"]:
                body.append(
                    faq(
                        "报名须知",
                        [
                            (
                                "怎样报名？",
                                f"在本页面下方填写姓名和手机号即可报名，每个手机号限报一次，每次最多5人。名额{spec['capacity']}个，报满即止。",
                            ),
                            (
                                "报名后不能参加怎么办？",
                                "请提前拨打12350热线告知，以便将名额让给其他市民。",
                            ),
                        ],
                    )
                )
            else:
                body.append(
                    para(
                        "本活动为线上直播，无需报名。直播开始前10分钟开放直播间，届时点击页面上方“观看直播”链接即可进入。错过直播的，可在“视频课堂”栏目观看回放。"
                    )
                )
            closes = spec.get("closes_days_before")
            return EventPage(
                title=spec["title"],
                kind=spec["kind"],
                audience=spec["audience"],
                starts_at=starts_at,
                ends_at=ends_at,
                place=spec["place"],
                district=districts.get(spec["district"]) if spec["district"] else None,
                stream_url=spec.get("stream_url", ""),
                capacity=spec["capacity"],
                registration_closes_at=starts_at - timedelta(days=closes) if closes else None,
                campaign=campaign,
                intro=spec["intro"],
                cover=cover,
                body=body,
                thank_you_text=rich(
                    f"您已成功报名“{spec['title']}”。",
                    f"请于{timezone.localtime(starts_at):%-m月%-d日 %H:%M}前15分钟到达{spec['place']}，凭报名短信签到。如有疑问请拨打12350。",
                ),
                form_fields=questions,
            )

        pages.child(sections["events"], spec["slug"], build)

    # Articles.
    articles = articles_load(
        campaigns=campaigns,
        current_campaign=campaigns["current"],
        current_is_winter=current_slug.startswith("winter"),
        images=pictures,
        documents=docs,
    )
    for section_slug, specs_ in articles.items():
        for spec in specs_:
            topic = topics.get(spec["topic"]) if spec["topic"] else None
            cover = images.get(
                f"封面·{spec['title']}",
                key=f"article-{spec['slug']}",
                motif=spec["motif"],
                palette=spec["palette"],
                caption=spec["title"],
                tag=topic.name if topic else sections[section_slug].title,
            )

            def build_article(spec=spec, topic=topic, cover=cover):
                page = ArticlePage(
                    title=spec["title"],
                    date=spec["date"],
                    source=SOURCE,
                    topic=topic,
                    campaign=spec["campaign"],
                    intro=spec["intro"],
                    cover=cover,
                    body=spec["body"],
                )
                page.tags.add(*spec["tags"])
                return page

            pages.child(sections[section_slug], spec["slug"], build_article)

    # Experience halls.
    for hall in HALLS:
        cover = images.get(
            f"封面·{hall['title']}",
            key=f"hall-{hall['slug']}",
            motif=hall["motif"],
            palette=hall["palette"],
            caption=hall["title"],
            tag="安全体验馆",
        )
        pages.child(
            sections["halls"],
            hall["slug"],
            lambda hall=hall, cover=cover: ExperienceHallPage(
                title=hall["title"],
                district=districts[hall["district"]],
                designation=hall["designation"],
                address=hall["address"],
                latitude=hall["latitude"],
                longitude=hall["longitude"],
                opening_hours=hall["opening_hours"],
                phone=hall["phone"],
                intro=hall["intro"],
                cover=cover,
                how_to_book=rich(
                    "团体参观（10—40人）请至少提前3个工作日预约，个人和家庭参观可直接前往（节假日建议预约）。",
                    "<ol><li>拨打预约电话，或在“杭州应急管理”微信公众号“场馆预约”栏目提交申请；</li>"
                    "<li>填写单位名称、参观人数、联系人和期望日期；</li>"
                    "<li>收到确认短信后，按预约时间凭短信入馆。</li></ol>",
                    "参观免费。请穿着运动鞋等便于活动的服装，孕妇、心脏病患者等不宜参加剧烈体验项目。",
                ),
                body=[
                    heading("体验项目"),
                    bullets(hall["zones"]),
                    faq(
                        "参观须知",
                        [
                            (
                                "企业可以组织员工来做实操培训吗？",
                                "可以。场馆可根据企业行业特点定制培训课程，参加体验计入“企业百万员工安全大培训”学时。",
                            ),
                            (
                                "有停车位吗？",
                                "场馆停车位有限，建议乘坐公共交通前往；团体大巴请提前告知车牌号。",
                            ),
                        ],
                    ),
                ],
            ),
        )

    # Cases.
    for case in CASES:
        industry = industries[case["industry"]]
        cover = images.get(
            f"封面·{case['title']}",
            key=f"case-{case['slug']}",
            motif=case["motif"],
            palette=case["palette"],
            caption=case["title"],
            tag="以案说法",
        )
        pages.child(
            sections["cases"],
            case["slug"],
            lambda case=case, industry=industry, cover=cover: CasePage(
                title=case["title"],
                industry=industry,
                district=districts.get(case["district"]),
                decided_on=case["decided_on"],
                violation=case["violation"],
                penalty=case["penalty"],
                lesson=rich(*case["lesson"]),
                intro=case["intro"],
                cover=cover,
                body=[
                    quote(
                        "以案为鉴、以案促改。企业要对照案例开展自查自纠，举一反三消除同类隐患。",
                        SOURCE,
                    ),
                ],
            ),
        )

    # Videos.
    for video in VIDEOS:
        cover = images.get(
            f"封面·{video['title']}",
            key=f"video-{video['slug']}",
            motif=video["motif"],
            palette=video["palette"],
            caption=video["title"],
            tag=f"视频课堂 · {video['duration']}",
        )
        pages.child(
            sections["videos"],
            video["slug"],
            lambda video=video, cover=cover: VideoPage(
                title=video["title"],
                video_url=video["video_url"],
                duration=video["duration"],
                intro=video["intro"],
                cover=cover,
                transcript=rich(*video["transcript"]),
                body=[
                    cta(
                        "学完去考试",
                        "观看视频计入在线学习学时，学时达标后即可参加理论考试。",
                        "前往安全大培训",
                        sections["events"],
                    ),
                ],
            ),
        )

    # Site settings and the home page's picture.
    site = (
        Site.objects.filter(root_page=home).first()
        or Site.objects.filter(is_default_site=True).first()
    )
    if site is not None:
        settings_ = SiteSettings.for_site(site)
        changed = [name for name, value in SETTINGS.items() if getattr(settings_, name) != value]
        if changed or settings_.pk is None:
            for name, value in SETTINGS.items():
                setattr(settings_, name, value)
            settings_.save()
    hero = images.get(
        "首页主视觉·企业百万员工安全大培训",
        key="hero",
        motif="shield",
        palette="navy",
        caption="企业百万员工安全大培训",
        tag="学安全 考证书 即考即领",
        size=(1600, 900),
    )
    if home.hero_image_id is None:
        home.hero_image = hero
        home.save_revision().publish()

    live = Page.objects.live().descendant_of(home)
    counts = {
        "articles": ArticlePage.objects.live().count(),
        "campaigns": CampaignPage.objects.live().count(),
        "events": EventPage.objects.live().count(),
        "halls": ExperienceHallPage.objects.live().count(),
        "cases": CasePage.objects.live().count(),
        "videos": VideoPage.objects.live().count(),
    }
    stdout.write(
        f"Seeded the outreach site: {live.count()} pages under home ({pages.created} new; "
        + ", ".join(f"{n} {name}" for name, n in counts.items())
        + f"), {len(topics)} topics, {images.created} new images, {len(docs)} documents ({docs_created} new)."
    )
    return []
