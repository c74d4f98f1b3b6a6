import unicodedata

from django.core.management.base import BaseCommand
from django.db import transaction

from core.figures import campaign_figures_refresh
from seeding.demo import demo_seed


class Command(BaseCommand):
    help = (
        "Seed the Chinese demo (idempotent): each app's demo (seeding/demo/<app>.py) runs in "
        "dependency order; the logins they return are printed at the end."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            logins = demo_seed(stdout=self.stdout)
            campaign_figures_refresh()
        if logins:
            self.stdout.write("\nDemo logins (演示账号) — http://127.0.0.1:8000/accounts/login/")
            width = max(_display_width(str(role)) for role, _login, _password in logins)
            for role, login, password in logins:
                padding = " " * (width - _display_width(str(role)))
                self.stdout.write(f"  {role}{padding}  {login:<14}  {password}")


def _display_width(text: str) -> int:
    """Columns a terminal gives the text: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
