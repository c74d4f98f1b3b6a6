from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("Exams")

    def ready(self) -> None:
        from django.core import checks

        from certificates import ports

        from .ports import certificate_issuer_check
        from .practical import selectors

        checks.register(certificate_issuer_check)
        # The exam side of certificates' port (certificates.ports): who works at which centre.
        ports.exam_side_register(staff_posts=selectors.center_posts)
