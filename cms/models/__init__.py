"""Outreach site pages (Wagtail), one module per page family, in bakerydemo order inside each:
fields, panels, search, rules, methods.

Tree: Home → Article sections (动态 / 科普 / 警示教育) → articles; Home → Campaigns → campaign;
Home → Events → event (registration form); Home → Experience halls → hall; Home → Case library
→ case; Home → Videos → video; Home → Document library. Search fields carry bigram terms
(cms.search) so Chinese queries match inside words.

Imports run one way: ``cms.selectors``, ``cms.services`` and ``cms.caching`` import the models;
a page imports ``caching`` and ``forms`` (which import no model) at the top. A Wagtail page is
also its own view, so its ``listing``, ``get_context`` and ``serve`` call a selector or a service
at call time and do nothing else: that is the one arrow back, kept out of import time.
"""

from .articles import ArticleIndexPage, ArticlePage, ArticlePageTag
from .base import PAGE_SIZE, Audience, BasePage, SectionIndexPage, Topic, paginate
from .campaigns import CampaignIndexPage, CampaignPage
from .cases import CaseIndexPage, CasePage
from .event_pages import EventFormField, EventIndexPage, EventPage, EventRegistration
from .halls import ExperienceHallIndexPage, ExperienceHallPage
from .home import HomePage
from .media import DocumentLibraryPage, VideoIndexPage, VideoPage
from .site_settings import SiteSettings

__all__ = [
    "PAGE_SIZE",
    "ArticleIndexPage",
    "ArticlePage",
    "ArticlePageTag",
    "Audience",
    "BasePage",
    "CampaignIndexPage",
    "CampaignPage",
    "CaseIndexPage",
    "CasePage",
    "DocumentLibraryPage",
    "EventFormField",
    "EventIndexPage",
    "EventPage",
    "EventRegistration",
    "ExperienceHallIndexPage",
    "ExperienceHallPage",
    "HomePage",
    "SectionIndexPage",
    "SiteSettings",
    "Topic",
    "VideoIndexPage",
    "VideoPage",
    "paginate",
]
