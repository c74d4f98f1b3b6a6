from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("Exams")

    def ready(self) -> None:
        from django.core import checks

        from accounts import ports as account_ports
        from certificates import ports

        from .ports import certificate_issuer_check, profile_bookings
        from .practical import selectors

        checks.register(certificate_issuer_check)
        # The exam side of certificates' port (certificates.ports): who works at which centre.
        ports.exam_side_register(staff_posts=selectors.center_posts)
        # A ticketed booking fixes the worker's name and photo (accounts.ports).
        account_ports.profile_uses_register(name="exams.bookings", uses=profile_bookings)
