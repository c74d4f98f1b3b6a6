from django.core.management.base import BaseCommand
from django.utils import timezone

from certificates.signing import new_key_entry


class Command(BaseCommand):
    help = (
        "Print a new Ed25519 certificate signing key as an ANXUN_SIGNING_KEYS entry. Put it "
        "first in the setting; keep the previous entries so old certificates still verify."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kid", default=None, help="Key id (default: k<today>, e.g. k20261129)."
        )

    def handle(self, *args, kid=None, **options):
        self.stdout.write(new_key_entry(kid or f"k{timezone.localdate():%Y%m%d}"))
