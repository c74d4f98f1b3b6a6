from django import template

from accounts.validators import display_mobile

register = template.Library()


@register.filter
def local_mobile(e164: str) -> str:
    """+8613812345678 → 13812345678: how people here read and type their number."""
    return display_mobile(e164 or "")
