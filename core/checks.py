"""System checks that `manage.py check --deploy` runs against a production environment."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_outbound_messages(app_configs, **kwargs):
    problems = []
    if settings.SMS_BACKEND in {"core.sms.LogSmsSender", "core.sms.LocmemSmsSender"}:
        problems.append(
            Warning(
                "SMS_BACKEND only logs messages: login codes would never reach the user.",
                id="anxun.W001",
            )
        )
    if settings.SMS_BACKEND == "core.sms.HttpGatewaySmsSender" and not getattr(
        settings, "ANXUN_SMS_GATEWAY_URL", ""
    ):
        problems.append(Warning("Set ANXUN_SMS_GATEWAY_URL for the SMS gateway.", id="anxun.W002"))
    return problems
