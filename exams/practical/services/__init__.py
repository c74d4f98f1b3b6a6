"""Writes for practical exams, by banner: sessions, eligibility (the refusal rules of booking),
booking (race-free seats, the waiting list, cancel and reschedule), the beat sweep (lapsed
offers, no-shows, reminders), check-in, scoring and results. Locks are in ``exams.locks``
(sessions, then bookings, each in primary-key order); reads in ``exams.practical.selectors``.

Import the services from here (``from exams.practical import services``); the reads are in
``exams.practical.selectors``, the locks in ``exams.locks``, the issuer port in ``exams.ports``
and the booking status groups on ``exams.models.Booking``.
"""

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

__all__ = [
    "_notify",
    "booking_abandon",
    "booking_cancel",
    "booking_create",
    "booking_eligibility_check",
    "booking_offer_accept",
    "booking_reschedule",
    "bookings_sweep",
    "checkin_confirm",
    "checkin_lookup",
    "offer_hours",
    "reminder_hours",
    "result_correct",
    "rubric_marks",
    "score_submit",
    "session_bookable_check",
    "session_cancel",
    "session_create",
    "session_plan_problems",
    "session_update",
    "waitlist_offer_free_seats",
]
