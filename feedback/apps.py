from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Service ratings and complaints")

    def ready(self) -> None:
        from accounts.reference_data import reference_loader_register

        from . import checks  # noqa: F401  (registers feedback.W001)
        from .services.holidays import holiday_calendar_load

        def load_holidays() -> str:
            counts = holiday_calendar_load()
            return (
                f"Working-day calendar (chinesecalendar): {counts['created']} days added, "
                f"{counts['updated']} corrected, {counts['unchanged']} unchanged."
            )

        reference_loader_register(name="holidays", load=load_holidays)
