"""allauth, fitted to Anxun: mainland mobile numbers, SMS through our outbox, mail through it too."""

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.fields import PhoneField
from django.utils.translation import gettext as _

from core.models import OutboundMessage
from core.notifications import message_send

from .models import User
from .validators import normalize_mobile


def user_display(user) -> str:
    """How allauth names a user in its messages: the real name, never the internal username."""
    return user.display_name


class AccountAdapter(DefaultAccountAdapter):
    # --- phone numbers: typed as 13812345678, stored as +8613812345678 ---------------------
    def phone_form_field(self, **kwargs):
        kwargs.setdefault("validators", [normalize_mobile])
        kwargs["label"] = _("Mobile number")
        field = PhoneField(**kwargs)
        field.widget.attrs.update({"placeholder": "13812345678", "inputmode": "tel"})
        return field

    def clean_phone(self, phone: str) -> str:
        return normalize_mobile(phone)

    def set_phone(self, user: User, phone: str, verified: bool) -> None:
        user.phone = phone
        user.phone_verified = verified
        if user.pk:  # allauth calls this before the first save during sign-up
            user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user: User):
        return (user.phone, user.phone_verified) if user.phone else None

    def set_phone_verified(self, user: User, phone: str) -> None:
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone: str):
        try:
            number = normalize_mobile(phone)
        except Exception:  # noqa: BLE001  (the login form passes whatever was typed)
            return None
        return User.objects.filter(phone=number).first()

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        # allauth passes ``reauthentication`` only for login codes; otherwise it verifies a number.
        seconds = (
            account_settings.LOGIN_BY_CODE_TIMEOUT
            if "reauthentication" in kwargs
            else account_settings.PHONE_VERIFICATION_TIMEOUT
        )
        minutes = max(1, seconds // 60)
        text = _(
            "[Anxun] Your verification code is %(code)s, valid for %(minutes)d minutes. "
            "If you did not ask for it, ignore this message."
        ) % {"code": code, "minutes": minutes}
        message_send(
            channel=OutboundMessage.Channel.SMS, recipient=phone, body=text, sensitive=True
        )

    def send_password_reset_code_sms(self, *, phone: str, code: str) -> None:
        minutes = max(1, account_settings.PASSWORD_RESET_BY_CODE_TIMEOUT // 60)
        text = _(
            "[Anxun] Your code to reset your password is %(code)s, valid for %(minutes)d "
            "minutes. Do not give it to anyone. If you did not ask for it, ignore this message."
        ) % {"code": code, "minutes": minutes}
        message_send(
            channel=OutboundMessage.Channel.SMS, recipient=phone, body=text, sensitive=True
        )

    # --- e-mail: queued and delivered by Celery, like SMS ----------------------------------
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        mail = self.render_mail(template_prefix, email, context)
        html_body = ""
        body = mail.body
        if getattr(mail, "content_subtype", "plain") == "html":
            html_body, body = mail.body, ""
        for content, mimetype in getattr(mail, "alternatives", []):
            if mimetype == "text/html":
                html_body = content
        message_send(
            channel=OutboundMessage.Channel.EMAIL,
            recipient=email,
            subject=mail.subject,
            body=body or html_body,
            html_body=html_body,
            sensitive=True,
        )
