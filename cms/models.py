"""Outreach site pages (Wagtail), in bakerydemo order: fields, panels, search, rules, methods.

Tree: Home → Article sections (动态 / 科普 / 警示教育) → articles; Home → Campaigns → campaign;
Home → Events → event (registration form); Home → Experience halls → hall; Home → Case library
→ case; Home → Videos → video; Home → Document library. Search fields carry bigram terms
(cms.search) so Chinese queries match inside words.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField, AbstractFormSubmission
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from accounts.models import District, Industry
from core.params import int_param

from .blocks import RICH_TEXT_FEATURES, BodyStreamBlock
from .search import cjk_terms

PAGE_SIZE = 12


# --- Shared pieces --------------------------------------------------------------------------


@register_snippet
class Topic(models.Model):
    """A subject articles are filed under (消防, 危化品, 建筑施工 ...): data, kept by editors."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True, allow_unicode=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    PUBLIC = "public", _("general public")
    WORKERS = "workers", _("enterprise workers")
    ELDERLY = "elderly", _("older people")
    CHILDREN = "children", _("children and students")
    MANAGERS = "managers", _("enterprise managers")


class BasePage(Page):
    """What every public page has: a summary for lists and sharing, a cover, a body, search terms."""

    intro = models.TextField(_("summary"), max_length=300, blank=True)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("cover"),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("search_terms"),
        index.FilterField("live"),
    ]

    class Meta:
        abstract = True

    def search_terms(self) -> str:
        text = " ".join(
            [self.title, self.intro, *self.body.stream_block.get_searchable_content(self.body)]
        )
        return cjk_terms(text + " " + self.extra_search_text())

    def extra_search_text(self) -> str:
        return ""

    has_poster = False  # campaigns and events offer a printable A4 poster

    @property
    def share_description(self) -> str:
        return self.search_description or self.intro


class SectionIndexPage(Page):
    """A section under the home page that lists its children (bakerydemo's index pages)."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    max_count = 1

    class Meta:
        abstract = True

    def listing(self, request) -> dict:
        """What the section's template lists: bounded, paginated, related rows fetched."""
        return {}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.listing(request))
        return context


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


# --- Home -----------------------------------------------------------------------------------


class HomePage(Page):
    """The campaign's front page: current campaigns, upcoming events, latest articles, counters."""

    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_text = models.TextField(_("hero text"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = RichTextField(_("body"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    template = "cms/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def serve(self, request, *args, **kwargs):
        from .caching import serve_cached

        return serve_cached(
            self, request, lambda: super(HomePage, self).serve(request, *args, **kwargs)
        )

    def get_context(self, request, *args, **kwargs):
        from .selectors import home_sections

        context = super().get_context(request, *args, **kwargs)
        context.update(home_sections(home=self))
        return context


# --- Articles -------------------------------------------------------------------------------


class ArticleIndexPage(SectionIndexPage):
    """A section of articles: news (动态), science popularisation (科普), warning education (警示教育)."""

    subpage_types = ["cms.ArticlePage"]
    max_count = None  # several sections: 动态, 科普, 警示教育
    template = "cms/article_index_page.html"

    class Meta:
        verbose_name = _("article section")

    def listing(self, request) -> dict:
        from .selectors import article_listing

        return article_listing(section=self, request=request)


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "cms.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(BasePage):
    date = models.DateField(_("date"), default=date.today)
    source = models.CharField(_("source"), max_length=80, blank=True)
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    campaign = models.ForeignKey(
        "cms.CampaignPage",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    tags = ClusterTaggableManager(verbose_name=_("tags"), through=ArticlePageTag, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("source")]),
        FieldRowPanel([FieldPanel("topic"), FieldPanel("campaign")]),
        FieldPanel("tags"),
        FieldPanel("intro"),
        FieldPanel("cover"),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.FilterField("date")]
    og_type = "article"
    parent_page_types = ["cms.ArticleIndexPage"]
    subpage_types: list[str] = []
    template = "cms/article_page.html"

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def extra_search_text(self) -> str:
        return " ".join([self.source, str(self.topic or ""), *[t.name for t in self.tags.all()]])


# --- Campaigns ------------------------------------------------------------------------------


class CampaignIndexPage(SectionIndexPage):
    subpage_types = ["cms.CampaignPage"]
    template = "cms/campaign_index_page.html"

    class Meta:
        verbose_name = _("campaign list")

    def listing(self, request) -> dict:
        campaigns = CampaignPage.objects.child_of(self).live().select_related("cover")
        return {"campaigns": paginate(request, campaigns.order_by("-start_date"))}


class CampaignPage(BasePage):
    """A themed period (3·19 森林消防日, 5·12 防灾减灾日, 安全生产月 ...) with its events and articles."""

    theme = models.CharField(_("theme"), max_length=120, blank=True)
    start_date = models.DateField(_("starts"))
    end_date = models.DateField(_("ends"))
    audiences = models.CharField(_("audiences"), max_length=200, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("theme"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("audiences"),
        FieldPanel("intro"),
        FieldPanel("cover"),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.FilterField("start_date")]
    parent_page_types = ["cms.CampaignIndexPage"]
    subpage_types: list[str] = []
    template = "cms/campaign_page.html"

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A campaign cannot end before it starts.")})

    has_poster = True

    def extra_search_text(self) -> str:
        return f"{self.theme} {self.audiences}"

    @property
    def is_current(self) -> bool:
        return self.start_date <= timezone.localdate() <= self.end_date

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["events"] = (
            EventPage.objects.live().filter(campaign=self).select_related("district", "cover")
        ).order_by("starts_at")
        context["articles"] = (
            ArticlePage.objects.live().filter(campaign=self).select_related("cover")
        ).order_by("-date")[:6]
        return context


# --- Events with registration ---------------------------------------------------------------


class EventIndexPage(SectionIndexPage):
    subpage_types = ["cms.EventPage"]
    template = "cms/event_index_page.html"

    class Meta:
        verbose_name = _("event list")

    def listing(self, request) -> dict:
        from .selectors import event_listing

        return event_listing(index_page=self, request=request)


class EventFormField(AbstractFormField):
    """Extra questions an editor adds to an event's registration form."""

    page = ParentalKey("cms.EventPage", related_name="form_fields", on_delete=models.CASCADE)


class EventRegistration(AbstractFormSubmission):
    """One person's registration. Name and mobile number are always asked; the number is unique
    per event, so a second registration by the same person is refused by the database."""

    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("mobile number"), max_length=20)
    attendees = models.PositiveSmallIntegerField(_("people"), default=1)

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        constraints = [
            models.UniqueConstraint(fields=["page", "phone"], name="event_registration_once"),
            models.CheckConstraint(
                condition=Q(attendees__gte=1, attendees__lte=5), name="event_attendees_1_to_5"
            ),
        ]

    def get_data(self):
        """Values for the admin list and its CSV export: an answer that starts like a
        spreadsheet formula is defused (Wagtail guards XLSX itself, not CSV)."""
        from core.exports import spreadsheet_safe

        answers = {key: spreadsheet_safe(value) for key, value in super().get_data().items()}
        return {**answers, "name": self.name, "phone": self.phone, "attendees": self.attendees}


class EventPage(AbstractForm, BasePage):
    """A lecture, live stream or hands-on session, with online registration up to its capacity."""

    class Kind(models.TextChoices):
        LECTURE = "lecture", _("lecture")
        LIVE = "live", _("live stream")
        HANDS_ON = "hands_on", _("hands-on experience")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.LECTURE)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    stream_url = models.URLField(_("live stream link"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.PUBLIC
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), default=0, help_text=_("0 means no registration is needed.")
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Empty: when it starts.")
    )
    campaign = models.ForeignKey(
        CampaignPage,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    thank_you_text = RichTextField(_("confirmation text"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("audience")]),
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldRowPanel([FieldPanel("place"), FieldPanel("district")]),
                FieldPanel("stream_url"),
                FieldPanel("campaign"),
            ],
            heading=_("When and where"),
        ),
        FieldPanel("intro"),
        FieldPanel("cover"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("registration_closes_at")]),
                InlinePanel("form_fields", label=_("Extra questions")),
                FieldPanel("thank_you_text"),
            ],
            heading=_("Registration"),
        ),
    ]
    search_fields = [*BasePage.search_fields, index.FilterField("starts_at")]
    parent_page_types = ["cms.EventIndexPage"]
    subpage_types: list[str] = []
    template = "cms/event_page.html"
    landing_page_template = "cms/event_page_registered.html"

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("An event must end after it starts.")})
        if self.kind == self.Kind.LIVE and not self.stream_url:
            raise ValidationError({"stream_url": _("A live stream needs its link.")})

    has_poster = True

    def extra_search_text(self) -> str:
        return f"{self.place} {self.get_kind_display()} {self.get_audience_display()}"

    # Registration: the form builder's form, with name and mobile number always asked.
    def get_submission_class(self):
        return EventRegistration

    def get_data_fields(self):
        """Columns of the registrations list and its CSV/XLSX export in the Wagtail admin."""
        submitted, *questions = super().get_data_fields()
        return [
            submitted,
            ("name", _("name")),
            ("phone", _("mobile number")),
            ("attendees", _("people")),
            *questions,
        ]

    def get_form_class(self):
        from .forms import registration_form_class

        return registration_form_class(super().get_form_class())

    @cached_property
    def registration_deadline(self):
        return self.registration_closes_at or self.starts_at

    @property
    def needs_registration(self) -> bool:
        return self.capacity > 0

    @property
    def registration_open(self) -> bool:
        return self.needs_registration and timezone.now() < self.registration_deadline

    def seats_taken(self) -> int:
        return (
            EventRegistration.objects.filter(page=self).aggregate(n=models.Sum("attendees"))["n"]
            or 0
        )

    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken())

    def serve(self, request, *args, **kwargs):
        """GET shows the event and its form; POST registers through the service, and a refusal
        (full, closed, already registered) comes back as a form error with nothing saved."""
        if request.method != "POST" or not self.needs_registration:
            return super().serve(request, *args, **kwargs)
        from core.errors import DomainError

        from .services import event_register

        form = self.get_form(request.POST, page=self, user=request.user)
        if form.is_valid():
            try:
                registration = event_register(event=self, form=form)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                return self.render_landing_page(request, registration, *args, **kwargs)
        context = self.get_context(request)
        context["form"] = form
        return TemplateResponse(request, self.get_template(request), context)


# --- Experience halls -----------------------------------------------------------------------


class ExperienceHallIndexPage(SectionIndexPage):
    """The directory of safety experience halls (安全体验馆), filterable by district."""

    subpage_types = ["cms.ExperienceHallPage"]
    template = "cms/experience_hall_index_page.html"

    class Meta:
        verbose_name = _("experience hall directory")

    def listing(self, request) -> dict:
        halls = (
            ExperienceHallPage.objects.child_of(self)
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


class ExperienceHallPage(BasePage):
    class Level(models.TextChoices):
        CITY = "city", _("city-level")
        DISTRICT = "district", _("district-level")
        ENTERPRISE = "enterprise", _("enterprise-run")

    address = models.CharField(_("address"), max_length=200)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    opening_hours = models.CharField(_("opening hours"), max_length=200)
    phone = models.CharField(_("booking phone"), max_length=40, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    designation = models.CharField(
        _("designation"), max_length=16, choices=Level.choices, default=Level.DISTRICT
    )
    how_to_book = RichTextField(_("how to book"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("district"), FieldPanel("designation")]),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldRowPanel([FieldPanel("opening_hours"), FieldPanel("phone")]),
        FieldPanel("how_to_book"),
        FieldPanel("intro"),
        FieldPanel("cover"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.ExperienceHallIndexPage"]
    subpage_types: list[str] = []
    template = "cms/experience_hall_page.html"

    class Meta:
        verbose_name = _("experience hall")
        verbose_name_plural = _("experience halls")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="hall_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="hall_longitude_range",
            ),
        ]

    def extra_search_text(self) -> str:
        return f"{self.address} {self.district}"


# --- Case library (以案说法) -----------------------------------------------------------------


class CaseIndexPage(SectionIndexPage):
    subpage_types = ["cms.CasePage"]
    template = "cms/case_index_page.html"

    class Meta:
        verbose_name = _("case library")

    def listing(self, request) -> dict:
        from .selectors import case_listing

        return case_listing(index_page=self, request=request)


class CasePage(BasePage):
    """A real enforcement case explained: what was violated, the penalty, the lesson."""

    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_on = models.DateField(_("decision date"))
    violation = models.TextField(_("violation"))
    penalty = models.TextField(_("penalty"))
    lesson = RichTextField(_("lesson"), features=RICH_TEXT_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("industry"), FieldPanel("district"), FieldPanel("decided_on")]),
        FieldPanel("violation"),
        FieldPanel("penalty"),
        FieldPanel("lesson"),
        FieldPanel("intro"),
        FieldPanel("cover"),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.FilterField("decided_on")]
    parent_page_types = ["cms.CaseIndexPage"]
    subpage_types: list[str] = []
    template = "cms/case_page.html"

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def extra_search_text(self) -> str:
        return f"{self.industry} {self.violation} {self.penalty}"


# --- Videos and documents -------------------------------------------------------------------


class VideoIndexPage(SectionIndexPage):
    subpage_types = ["cms.VideoPage"]
    template = "cms/video_index_page.html"

    class Meta:
        verbose_name = _("video list")

    def listing(self, request) -> dict:
        videos = VideoPage.objects.child_of(self).live().select_related("cover")
        return {"videos": paginate(request, videos.order_by("-first_published_at"))}


class VideoPage(BasePage):
    video_file = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("video file (MP4)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    video_url = models.URLField(_("or a video link"), blank=True)
    duration = models.CharField(_("duration"), max_length=10, blank=True, help_text="12:30")
    transcript = RichTextField(_("transcript"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("video_file"), FieldPanel("video_url"), FieldPanel("duration")]),
        FieldPanel("intro"),
        FieldPanel("cover"),
        FieldPanel("transcript"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.VideoIndexPage"]
    subpage_types: list[str] = []
    template = "cms/video_page.html"

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")

    def clean(self):
        super().clean()
        if not self.video_file and not self.video_url:
            raise ValidationError({"video_file": _("Choose a video file or give a video link.")})

    def extra_search_text(self) -> str:
        from django.utils.html import strip_tags

        return strip_tags(self.transcript)


class DocumentLibraryPage(SectionIndexPage):
    """Regulations, posters and leaflets from Wagtail documents, by collection and search."""

    subpage_types: list[str] = []
    template = "cms/document_library_page.html"

    class Meta:
        verbose_name = _("document library")

    def listing(self, request) -> dict:
        from .selectors import document_listing

        return document_listing(request=request)


# --- Site settings --------------------------------------------------------------------------


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    hotline = models.CharField(_("hotline"), max_length=20, default="12350")
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    organiser = models.CharField(_("organiser"), max_length=80, default="杭州市应急管理局")
    wechat_account = models.CharField(_("WeChat official account"), max_length=60, blank=True)
    weibo_url = models.URLField(_("Weibo"), blank=True)
    footer_text = models.CharField(_("footer text"), max_length=200, blank=True)
    icp_number = models.CharField(_("ICP licence number"), max_length=60, blank=True)

    panels = [
        FieldPanel("organiser"),
        FieldRowPanel([FieldPanel("hotline"), FieldPanel("contact_email")]),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("wechat_account"), FieldPanel("weibo_url")]),
        FieldPanel("footer_text"),
        FieldPanel("icp_number"),
    ]

    class Meta:
        verbose_name = _("site settings")
