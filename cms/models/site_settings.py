"""The site's contact details and footer, edited under Settings in the Wagtail admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


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
