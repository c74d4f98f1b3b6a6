"""Ratings and complaint cases: submit a rating, open a case for a bad one, move the case
along (callback → rectification → closed with feedback → the worker's answer), escalate late
cases, and invite workers to rate what they used. Every state change writes an audit event.

One module per part: ``ratings``, ``cases`` (the steps of a case), ``escalation`` and
``invitations`` (Celery beat), ``exports``. The refusal rules they ask live in ``feedback.rules``, the
people and rows in scope in ``feedback.scopes``, the audit rows in ``feedback.events``.
"""

from .cases import (
    TEXT_MIN,
    case_answer,
    case_callback_record,
    case_close,
    case_open,
    case_rectification_start,
)
from .escalation import cases_escalate
from .exports import satisfaction_export_record
from .invitations import rating_invitations_send, rating_path
from .ratings import COMMENT_MAX, REASONS, rating_submit

__all__ = [
    "COMMENT_MAX",
    "REASONS",
    "TEXT_MIN",
    "case_answer",
    "case_callback_record",
    "case_close",
    "case_open",
    "case_rectification_start",
    "cases_escalate",
    "rating_invitations_send",
    "rating_path",
    "rating_submit",
    "satisfaction_export_record",
]
