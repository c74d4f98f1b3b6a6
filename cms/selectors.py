"""Reads for the outreach site: bounded, paginated, with their related rows fetched up front, so
a page's query count does not grow with the number of children it lists."""

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.models import Collection

from accounts.models import District, Industry
from core.figures import campaign_figures
from core.params import int_param

from .caching import COUNTERS_CACHE_KEY, SECTIONS_CACHE_KEY
from .models import (
    ArticlePage,
    CampaignPage,
    CasePage,
    EventPage,
    ExperienceHallPage,
    Topic,
    VideoPage,
    paginate,
)

COUNTERS_TTL = 300


def campaign_counters() -> dict:
    """Campaign figures for the home page: the stored aggregates (core.figures), cached."""
    figures = cache.get(COUNTERS_CACHE_KEY)
    if figures is None:
        figures = campaign_figures()
        cache.set(COUNTERS_CACHE_KEY, figures, COUNTERS_TTL)
    return figures


def site_sections() -> list[dict]:
    """The public sections for the main navigation (home's children shown in menus), cached and
    refreshed when a page is published (cms.signals)."""
    sections = cache.get(SECTIONS_CACHE_KEY)
    if sections is None:
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        pages = site.root_page.get_children().live().in_menu() if site else []
        sections = [{"title": page.title, "url": page.url} for page in pages]
        cache.set(SECTIONS_CACHE_KEY, sections, 3600)
    return sections


def home_sections(*, home) -> dict:
    from django.conf import settings

    now = timezone.now()
    today = timezone.localdate()
    counters = campaign_counters()
    target = settings.ANXUN_CAMPAIGN_TARGET
    return {
        "campaigns": list(
            CampaignPage.objects.live()
            .filter(end_date__gte=today)
            .select_related("cover")
            .order_by("start_date")[:3]
        ),
        "events": list(
            EventPage.objects.live()
            .filter(ends_at__gte=now)
            .select_related("district", "cover")
            .order_by("starts_at")[:4]
        ),
        "articles": list(
            ArticlePage.objects.live().select_related("cover", "topic").order_by("-date", "-pk")[:6]
        ),
        "sections": list(home.get_children().live().in_menu().specific()),
        "counters": counters,
        "target": target,
        "progress": [
            (label, counters[key], min(100, round(100 * counters[key] / target, 2)))
            for key, label in (
                ("registered", _("registered")),
                ("trained", _("trained")),
                ("examined", _("examined")),
                ("certified", _("certified")),
            )
        ],
    }


def article_listing(*, section, request) -> dict:
    articles = (
        ArticlePage.objects.child_of(section)
        .live()
        .select_related("cover", "topic")
        .prefetch_related("tagged_items__tag")
        .order_by("-date", "-pk")
    )
    tag, topic = request.GET.get("tag", "").strip(), request.GET.get("topic", "").strip()
    if tag:
        articles = articles.filter(tags__name=tag)
    if topic:
        articles = articles.filter(topic__slug=topic)
    return {
        "articles": paginate(request, articles),
        "topics": Topic.objects.all(),
        "selected_tag": tag,
        "selected_topic": topic,
    }


def campaign_listing(*, index_page, request) -> dict:
    campaigns = CampaignPage.objects.child_of(index_page).live().select_related("cover")
    return {"campaigns": paginate(request, campaigns.order_by("-start_date"))}


def campaign_sections(*, campaign) -> dict:
    """What a campaign's page lists besides itself: its events and its latest articles."""
    return {
        "events": (
            EventPage.objects.live().filter(campaign=campaign).select_related("district", "cover")
        ).order_by("starts_at"),
        "articles": (
            ArticlePage.objects.live().filter(campaign=campaign).select_related("cover")
        ).order_by("-date")[:6],
    }


def event_listing(*, index_page, request) -> dict:
    events = (
        EventPage.objects.child_of(index_page)
        .live()
        .select_related("district", "cover", "campaign")
    )
    when = request.GET.get("when", "upcoming")
    now = timezone.now()
    if when == "past":
        events = events.filter(ends_at__lt=now).order_by("-starts_at")
    else:
        events = events.filter(ends_at__gte=now).order_by("starts_at")
    kind, audience = request.GET.get("kind", ""), request.GET.get("audience", "")
    if kind in EventPage.Kind.values:
        events = events.filter(kind=kind)
    if audience:
        events = events.filter(audience=audience)
    return {
        "events": paginate(request, events),
        "when": "past" if when == "past" else "upcoming",
        "kinds": EventPage.Kind.choices,
        "selected_kind": kind,
        "selected_audience": audience,
    }


def hall_listing(*, index_page, request) -> dict:
    halls = (
        ExperienceHallPage.objects.child_of(index_page)
        .live()
        .select_related("district", "cover")
        .order_by("district__sort_order", "title")
    )
    district = request.GET.get("district", "")
    if (district_id := int_param(district)) is not None:
        halls = halls.filter(district_id=district_id)
    return {
        "halls": paginate(request, halls),
        "districts": District.objects.filter(parent__isnull=False),
        "selected_district": district,
    }


def case_listing(*, index_page, request) -> dict:
    cases = (
        CasePage.objects.child_of(index_page)
        .live()
        .select_related("industry", "district", "cover")
        .order_by("-decided_on", "-pk")
    )
    industry, district, year = (
        request.GET.get("industry", ""),
        request.GET.get("district", ""),
        request.GET.get("year", ""),
    )
    if industry:
        cases = cases.filter(industry__code=industry)
    if (district_id := int_param(district)) is not None:
        cases = cases.filter(district_id=district_id)
    if (year_number := int_param(year)) is not None:
        cases = cases.filter(decided_on__year=year_number)
    return {
        "cases": paginate(request, cases),
        "industries": Industry.objects.all(),
        "districts": District.objects.filter(parent__isnull=False),
        "years": [
            d.year
            for d in CasePage.objects.child_of(index_page)
            .live()
            .dates("decided_on", "year", "DESC")
        ],
        "selected": {"industry": industry, "district": district, "year": year},
    }


def video_listing(*, index_page, request) -> dict:
    videos = VideoPage.objects.child_of(index_page).live().select_related("cover")
    return {"videos": paginate(request, videos.order_by("-first_published_at"))}


def document_listing(*, request) -> dict:
    documents = get_document_model().objects.select_related("collection").order_by("-created_at")
    query, collection = request.GET.get("q", "").strip(), request.GET.get("collection", "")
    if query:
        documents = documents.filter(title__icontains=query)
    if (collection_id := int_param(collection)) is not None:
        documents = documents.filter(collection_id=collection_id)
    return {
        "documents": paginate(request, documents, per_page=20),
        "collections": Collection.objects.filter(depth__gt=1).order_by("path"),
        "query": query,
        "selected_collection": collection,
    }
