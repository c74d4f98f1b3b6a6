"""Exams' models: theory (subjects, the question bank, blueprints, attempts) and practical
(centres, sessions, bookings, scores, results). Import them from here: ``exams.models``."""

from .practical import (
    Booking,
    CenterStaff,
    ExamCenter,
    ExamResult,
    PracticalScore,
    PracticalSession,
    RubricItem,
)
from .theory import (
    AttemptAnswer,
    BlueprintRule,
    PracticeAnswer,
    Question,
    QuestionCategory,
    Subject,
    TheoryAttempt,
)

__all__ = [
    "AttemptAnswer",
    "BlueprintRule",
    "Booking",
    "CenterStaff",
    "ExamCenter",
    "ExamResult",
    "PracticalScore",
    "PracticalSession",
    "PracticeAnswer",
    "Question",
    "QuestionCategory",
    "RubricItem",
    "Subject",
    "TheoryAttempt",
]
