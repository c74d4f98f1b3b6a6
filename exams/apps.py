from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("Exams")

    def ready(self):
        # The exam side of certificates' port (certificates.ports): who works at which centre.
        from certificates import ports

        from .practical import services

        ports.exam_side_register(staff_posts=lambda user: services.center_posts(user))
