from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.reference_data import reference_data_load, reference_loaders


class Command(BaseCommand):
    help = (
        "Load districts and industries from JSON (defaults: settings.ANXUN_*_FILE), then what "
        "the apps register (the working-day calendar from chinesecalendar). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--districts", default=settings.ANXUN_DISTRICTS_FILE)
        parser.add_argument("--industries", default=settings.ANXUN_INDUSTRIES_FILE)

    def handle(self, *args, **options):
        counts = reference_data_load(
            districts_file=options["districts"], industries_file=options["industries"]
        )
        self.stdout.write(
            f"Loaded {counts['districts']} districts and {counts['industries']} industries."
        )
        for load in reference_loaders().values():
            self.stdout.write(load())
