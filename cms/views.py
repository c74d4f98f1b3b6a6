"""Site-wide pages of the outreach site: search, share QR codes and posters."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Page

from core.documents.qr import qr_png
from core.exports import local_time_text

from .models import CampaignPage, EventPage, SiteSettings
from .search import search_pages
from .sharing import Poster, poster_pdf, poster_png

RESULTS_PER_TYPE = 10


@require_GET
def search(request):
    """Search over all public pages; results grouped by page type, Chinese queries included."""
    query = " ".join(request.GET.get("q", "").split())[:100]
    groups = []
    if query:
        results = search_pages(Page.objects.live().public().specific(), query)
        by_type: dict[str, list] = {}
        for page in results[:100]:
            label = str(page.specific_class._meta.verbose_name_plural)
            by_type.setdefault(label, []).append(page)
        groups = [(label, pages[:RESULTS_PER_TYPE]) for label, pages in by_type.items()]
    return render(
        request,
        "cms/search_results.html",
        {"query": query, "groups": groups, "count": sum(len(p) for _, p in groups)},
    )


def _public_page(page_id: int) -> Page:
    page = get_object_or_404(Page.objects.live().public(), pk=page_id)
    if page.depth < 2:
        raise Http404
    return page.specific


@require_GET
@cache_control(public=True, max_age=3600)
def share_qr(request, page_id: int):
    page = _public_page(page_id)
    return HttpResponse(qr_png(url=page.get_full_url(request)), content_type="image/png")


def _poster_for(page, request) -> Poster:
    settings = SiteSettings.for_request(request)
    footer = f"{settings.organiser} · {_('Hotline')} {settings.hotline}"
    if isinstance(page, EventPage):
        lines = [
            _("Time: %(start)s") % {"start": local_time_text(page.starts_at)},
            *([_("Place: %(place)s") % {"place": page.place}] if page.place else []),
            _("For: %(audience)s") % {"audience": page.get_audience_display()},
        ]
        kicker = page.campaign.title if page.campaign else page.get_kind_display()
    else:
        lines = [
            _("Dates: %(start)s — %(end)s")
            % {"start": page.start_date.isoformat(), "end": page.end_date.isoformat()},
            *([page.theme] if page.theme else []),
            *([_("For: %(audience)s") % {"audience": page.audiences}] if page.audiences else []),
        ]
        kicker = _("Campaign")
    return Poster(
        title=page.title, lines=lines, url=page.get_full_url(request), kicker=kicker, footer=footer
    )


@require_GET
@cache_control(public=True, max_age=600)
def poster(request, page_id: str, fmt: str):
    """A printable A4 poster of a campaign or event (PNG for screens and WeChat, PDF to print)."""
    page = _public_page(int(page_id))
    if not isinstance(page, (CampaignPage, EventPage)):
        raise Http404
    content = _poster_for(page, request)
    if fmt == "pdf":
        response = HttpResponse(poster_pdf(content), content_type="application/pdf")
    else:
        response = HttpResponse(poster_png(content), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="poster-{page.pk}.{fmt}"'
    return response
