"""What a person who registered for an event is told: an SMS with what they need to check in
(the demo's events say "凭报名短信签到": check in with the registration SMS), once per
registration and in the site's language.

Called by ``cms.services.event_register`` inside its transaction: the message is queued as a
row there and leaves only once the registration commits.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.exports import local_time_text
from core.notifications import message_send

from .models import EventPage, EventRegistration

__all__ = ["registration_accepted_tell", "registration_number"]


def registration_number(registration: EventRegistration) -> str:
    """The number staff find a registration by at the door."""
    return f"{registration.pk:06d}"


def registration_accepted_tell(registration: EventRegistration, *, event: EventPage) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        where = (
            _("Place: %(place)s") % {"place": event.place}
            if event.place
            else _("Details: %(url)s") % {"url": event.get_full_url()}
        )
        text = _(
            "【安训】%(name)s, your registration for “%(event)s” is confirmed: No. %(number)s, "
            "%(people)s, %(time)s, %(where)s. Show this message to check in."
        ) % {
            "name": registration.name,
            "event": event.title,
            "number": registration_number(registration),
            "people": translation.ngettext("%(n)d person", "%(n)d people", registration.attendees)
            % {"n": registration.attendees},
            "time": local_time_text(event.starts_at),
            "where": where,
        }
    message_send(
        channel="sms",
        recipient=registration.phone,
        body=text,
        dedupe_key=f"event-registration:{registration.pk}",
    )
