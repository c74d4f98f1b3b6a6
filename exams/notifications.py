"""What a worker is told when an exam result is recorded: an SMS, and an e-mail where they gave
an address (``core.notifications.user_notify``), each once per result and in the site's
language.

Called from ``exams.events`` when the result's event is written, inside the service's
transaction: the messages are queued as rows there and leave only once it commits, so a
rolled-back result tells nobody. The deduplication keys make a retried or replayed call a
no-op.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.notifications import absolute_url, user_notify

from .models import ExamResult, TheoryAttempt

__all__ = ["practical_result_tell", "theory_result_tell"]


def theory_result_tell(attempt: TheoryAttempt) -> None:
    """The score of a submitted theory attempt, and what to do next."""
    worker = attempt.worker

    def text():
        values = {
            "name": worker.real_name,
            "subject": attempt.subject.name,
            "score": attempt.score,
            "mark": attempt.pass_mark,
        }
        if attempt.passed:
            return _(
                "【安训】%(name)s, you passed the theory exam in %(subject)s with %(score)s "
                "points. Book your practical exam: %(url)s"
            ) % {**values, "url": absolute_url(reverse("practical:sessions"))}
        return _(
            "【安训】%(name)s, your theory exam in %(subject)s scored %(score)s points "
            "(%(mark)s needed to pass): not passed. Your answers: %(url)s"
        ) % {**values, "url": absolute_url(reverse("exams:result", args=[attempt.pk]))}

    user_notify(
        worker.user,
        key=f"theory-result:{attempt.pk}",
        text=text,
        subject=_("Your theory exam result"),
    )


def practical_result_tell(result: ExamResult, *, corrected: bool = False) -> None:
    """The decided (or, ``corrected``, the supervisor's corrected) practical result. A failed
    one says so and links to the worker's results, where the failed item is named."""
    worker = result.worker
    # A correction is a new result to tell; one message per decision it records.
    key = f"practical-result:{result.pk}"
    if corrected:
        key += f":corrected:{result.decided_at:%Y%m%d%H%M%S%f}"

    def text():
        values = {
            "name": worker.real_name,
            "subject": result.subject.name,
            "score": result.practical_score,
            "url": absolute_url(reverse("practical:bookings")),
        }
        if corrected:
            if result.passed:
                return (
                    _(
                        "【安训】%(name)s, your practical exam result in %(subject)s was corrected: "
                        "%(score)s points, passed. Your certificate follows; details: %(url)s"
                    )
                    % values
                )
            return (
                _(
                    "【安训】%(name)s, your practical exam result in %(subject)s was corrected: "
                    "%(score)s points, not passed. Details: %(url)s"
                )
                % values
            )
        if result.passed:
            return (
                _(
                    "【安训】%(name)s, you passed the practical exam in %(subject)s with %(score)s "
                    "points. Your certificate follows; details: %(url)s"
                )
                % values
            )
        return (
            _(
                "【安训】%(name)s, your practical exam in %(subject)s was not passed "
                "(%(score)s points). See what to practise and book again: %(url)s"
            )
            % values
        )

    user_notify(worker.user, key=key, text=text, subject=_("Your practical exam result"))
