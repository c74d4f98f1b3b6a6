"""Row locks for outreach-site writes (``select_for_update``), taken inside the caller's
transaction. A registration locks one event's page row, so no order between rows is needed."""

from wagtail.models import Page

from .models import EventPage


def event_page_lock(*, event: EventPage) -> None:
    """Lock the event's page row: registrations for its last seats are decided one at a time."""
    Page.objects.select_for_update().filter(pk=event.pk).first()
