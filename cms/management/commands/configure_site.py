from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand
from wagtail.models import Site


class Command(BaseCommand):
    help = (
        "Point the default Wagtail site at the public address (settings.WAGTAILADMIN_BASE_URL, "
        "from ANXUN_BASE_URL in production), so page URLs, the sitemap and e-mail links use it."
    )

    def handle(self, *args, **options):
        address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        port = address.port or (443 if address.scheme == "https" else 80)
        site = Site.objects.get(is_default_site=True)
        site.hostname, site.port = address.hostname, port
        site.save(update_fields=["hostname", "port"])
        self.stdout.write(f"Default site: {site.hostname}:{site.port} → {site.root_page}")
