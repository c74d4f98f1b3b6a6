import pytest
from django.core.management import call_command
from wagtail.models import Site

pytestmark = pytest.mark.django_db


def test_default_site_follows_the_public_address(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://anxun.hangzhou.gov.cn"
    call_command("configure_site", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("anxun.hangzhou.gov.cn", 443)
    assert site.root_page.specific.full_url == "https://anxun.hangzhou.gov.cn/"
