"""Writes for the outreach site."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

from .locks import event_page_lock
from .models import EventPage, EventRegistration
from .notifications import registration_accepted_tell


@transaction.atomic
def event_register(*, event: EventPage, form) -> EventRegistration:
    """Register the person in a valid form for the event, or raise ``DomainError``.

    The event's page row is locked, so simultaneous registrations for the last seats are
    decided one at a time: the event never takes more people than its capacity. The person is
    sent an SMS to check in with, once the registration commits.
    """
    event_page_lock(event=event)
    if not event.needs_registration:
        raise DomainError(_("This event needs no registration."), code="no_registration")
    if timezone.now() >= event.registration_deadline:
        raise DomainError(_("Registration for this event has closed."), code="closed")
    data = form.cleaned_data
    if EventRegistration.objects.filter(page=event, phone=data["phone"]).exists():
        raise DomainError(
            _("This mobile number is already registered for this event."),
            code="duplicate",
            field="phone",
        )
    taken = EventRegistration.objects.filter(page=event).aggregate(n=Sum("attendees"))["n"] or 0
    left = event.capacity - taken
    if data["attendees"] > left:
        message = (
            _("Sorry, the event is full.")
            if left <= 0
            else _("Only %(left)d places are left.") % {"left": left}
        )
        raise DomainError(message, code="full", field="attendees" if left > 0 else None)
    try:
        with transaction.atomic():
            registration = EventRegistration.objects.create(
                page=event,
                name=data["name"],
                phone=data["phone"],
                attendees=data["attendees"],
                form_data=json.loads(json.dumps(form.answers(), cls=DjangoJSONEncoder)),
            )
    except IntegrityError:
        raise DomainError(
            _("This mobile number is already registered for this event."),
            code="duplicate",
            field="phone",
        ) from None
    registration_accepted_tell(registration, event=event)
    return registration
