from django import template

from accounts.validators import display_mobile, mask_id_number

register = template.Library()


@register.filter
def local_mobile(e164: str) -> str:
    """+8613812345678 → 13812345678: how people here read and type their number."""
    return display_mobile(e164 or "")


@register.filter
def masked_id(id_number: str) -> str:
    """330106198502070014 → 330***********0014 (accounts.validators.mask_id_number)."""
    return mask_id_number(id_number or "")
