from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from accounts import ports as account_ports

        from . import services
        from .ports import exam_side_check, profile_certificates

        checks.register(exam_side_check)
        # A certificate fixes its holder's real-name record; an approved correction re-issues
        # the holder's certificates in force (accounts.ports).
        account_ports.profile_uses_register(name="certificates", uses=profile_certificates)
        account_ports.correction_listener_register(
            name="certificates", listener=services.certificates_reissue_for_correction
        )
        # A certificate issued under an ID number an approved claim gave back to its owner
        # names someone else: it is revoked.
        account_ports.id_number_freed_listener_register(
            name="certificates", listener=services.certificates_revoke_for_freed_id_number
        )
