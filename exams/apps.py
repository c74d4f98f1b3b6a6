from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("Exams")

    def ready(self) -> None:
        from django.core import checks

        from .ports import certificate_issuer_check

        checks.register(certificate_issuer_check)
