"""Writes for practical exams, by banner: sessions, eligibility (the refusal rules of booking),
booking (race-free seats, the waiting list, cancel and reschedule), the beat sweep (lapsed
offers, no-shows, reminders), check-in, scoring and results. Locks are in ``exams.locks``
(sessions, then bookings, each in primary-key order); reads in ``exams.practical.selectors``.

Import the services from here (``from exams.practical import services``). The reads and
settings re-exported at the end are kept here for the callers that still reach them through
this package (pages, tickets, the demo, tests); new code imports them from their modules.
"""

from ...locks import sessions_lock
from ...models import Booking
from ...ports import certificate_issuer
from ..selectors import (
    TICKET_SALT,
    center_posts,
    live_booking,
    practical_fails,
    rubric_for,
    theory_pass_for,
    ticket_token,
    ticket_url,
)
from .booking import (
    booking_cancel,
    booking_create,
    booking_offer_accept,
    booking_reschedule,
    waitlist_offer_free_seats,
)
from .checkin import checkin_confirm, checkin_lookup
from .common import _notify, offer_hours, reminder_hours
from .eligibility import booking_eligibility_check, session_bookable_check
from .scoring import booking_abandon, result_correct, rubric_marks, score_submit
from .sessions import session_cancel, session_create, session_plan_problems, session_update
from .sweep import bookings_sweep

SEAT_HOLDING = Booking.SEAT_HOLDING  # the group is declared on the model: read it there

__all__ = [
    "SEAT_HOLDING",
    "TICKET_SALT",
    "_notify",
    "booking_abandon",
    "booking_cancel",
    "booking_create",
    "booking_eligibility_check",
    "booking_offer_accept",
    "booking_reschedule",
    "bookings_sweep",
    "center_posts",
    "certificate_issuer",
    "checkin_confirm",
    "checkin_lookup",
    "live_booking",
    "offer_hours",
    "practical_fails",
    "reminder_hours",
    "result_correct",
    "rubric_for",
    "rubric_marks",
    "score_submit",
    "session_bookable_check",
    "session_cancel",
    "session_create",
    "session_plan_problems",
    "session_update",
    "sessions_lock",
    "theory_pass_for",
    "ticket_token",
    "ticket_url",
    "waitlist_offer_free_seats",
]
