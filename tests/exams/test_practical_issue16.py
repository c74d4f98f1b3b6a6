"""Issue 16 from the outside (HTTP): the photo a practical booking needs (item 5), and the
defects of item 9 in practical exams — what a saved score waits for (a), which items a failed
candidate did not pass (b), same-day and walk-in sessions published by centre staff (c), and a
booking whose session has started (d)."""

from datetime import datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from exams.models import Booking, ExamResult, PracticalSession, RubricItem
from exams.practical import services
from tests.exams import practical_builders as pb
from tests.exams.test_practical_views import book_json, checked_in, world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _midday(settings):
    settings.TIME_ZONE = pb.midday_time_zone()


def started(session) -> None:
    """The session began five minutes ago (its booking window moved back with it)."""
    now = timezone.now()
    PracticalSession.objects.filter(pk=session.pk).update(
        booking_opens_at=now - timedelta(days=2),
        booking_closes_at=now - timedelta(minutes=10),
        starts_at=now - timedelta(minutes=5),
    )


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Item 5: the photo -----------------------------------------------------------------------


def test_the_booking_page_asks_for_the_photo_before_the_worker_tries(client, world):  # noqa: F811
    worker = pb.candidate(world["subject"], photo=False)
    client.force_login(worker.user)
    page = reverse("practical:session", args=[world["future"].pk])
    html = client.get(page).content.decode()
    assert 'data-testid="refusal"' in html and 'data-testid="book"' not in html
    assert "照片" in html and f'href="{reverse("accounts:profile")}"' in html
    response = client.post(reverse("practical:book", args=[world["future"].pk]))
    assert response.status_code == 302 and response["Location"] == page
    assert any("照片" in text for text in texts(response))
    answer = book_json(client, world["future"])
    assert answer.status_code == 403 and answer.json()["error"] == "photo_required"
    assert answer.json()["link"] == reverse("accounts:profile")
    assert not Booking.objects.exists()
    pb.with_photo(worker)
    html = client.get(page).content.decode()
    assert 'data-testid="book"' in html and 'data-testid="refusal"' not in html


# --- Item 9a: what a saved score waits for ----------------------------------------------------


def test_a_second_examiner_whose_score_differs_is_told_the_supervisor_decides(client, world):  # noqa: F811
    subject = world["subject"]
    subject.practical_examiners, subject.examiner_margin = 2, 5
    subject.save()
    second = pb.staff(world["center"], role="examiner")
    booking = checked_in(world)
    url = reverse("centre:score", args=[world["center"].code, booking.pk])
    marks = pb.full_marks(subject)
    client.force_login(world["examiner"])
    first = client.post(url, {f"item-{k}": v for k, v in marks.items()})
    assert texts(first) == ["您的评分已保存，结果等待另一位考评员评分。"]
    lower = {**marks}
    item = RubricItem.objects.filter(subject=subject, critical=False).first()
    lower[item.pk] -= 10
    client.force_login(second)
    response = client.post(url, {f"item-{k}": v for k, v in lower.items()})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.SCORES_DIFFER
    message = texts(response)[-1]
    assert "考点主管" in message and "另一位考评员" not in message
    html = client.get(url).content.decode()
    assert 'data-testid="refusal"' in html and "考点主管" in html


# --- Item 9b: which item failed ---------------------------------------------------------------


def test_a_failed_candidate_reads_which_items_failed_with_the_examiners_note(client, world):  # noqa: F811
    subject = world["subject"]
    booking = checked_in(world)
    items = {item.title: item for item in RubricItem.objects.filter(subject=subject)}
    gloves = items["正确选用并检查绝缘手套、绝缘鞋"]  # critical
    hazards = items["识别作业现场的触电隐患"]  # 20 points, given 10: below its mark
    form = {f"item-{k}": v for k, v in pb.full_marks(subject).items()}
    form.update(
        {
            f"item-{hazards.pk}": 10,
            f"failed-{gloves.pk}": "1",
            f"note-{gloves.pk}": "未检查手套是否漏气",
        }
    )
    client.force_login(world["examiner"])
    client.post(reverse("centre:score", args=[world["center"].code, booking.pk]), form)
    result = ExamResult.objects.get(booking=booking)
    assert not result.passed and result.critical_failed
    client.force_login(booking.worker.user)
    html = client.get(reverse("practical:bookings")).content.decode()
    assert 'data-testid="shortfalls"' in html
    assert gloves.title in html and "未检查手套是否漏气" in html
    assert hazards.title in html and "10 / 20" in html
    assert items["停电、验电、挂接地线操作规范"].title not in html  # full marks: not listed


def test_a_note_that_is_not_plain_text_is_refused_and_nothing_is_scored(client, world):  # noqa: F811
    booking = checked_in(world)
    first = next(iter(pb.full_marks(world["subject"])))
    form = {f"item-{k}": v for k, v in pb.full_marks(world["subject"]).items()}
    client.force_login(world["examiner"])
    for note in ("x" * 201, "漏气\x00"):
        response = client.post(
            reverse("centre:score", args=[world["center"].code, booking.pk]),
            {**form, f"note-{first}": note},
        )
        assert response.status_code == 400
    assert not ExamResult.objects.exists() and not booking.scores.exists()


# --- Item 9c: same-day and walk-in sessions --------------------------------------------------


def session_form(place, *, starts: datetime, hours=2, **fields) -> dict:
    starts = timezone.localtime(starts)
    return {
        "subject": place["subject"].pk,
        "day": starts.date().isoformat(),
        "starts": starts.strftime("%H:%M"),
        "ends": (starts + timedelta(hours=hours)).strftime("%H:%M"),
        "capacity": 10,
        "held_back": 2,
        "cancel_cutoff_hours": 0,
        **fields,
    }


def publish(client, place, **form):
    client.force_login(place["desk"])
    return client.post(
        reverse("centre:session_new", args=[place["center"].code]),
        session_form(place, **form),
    )


def test_centre_staff_publish_a_session_later_today_bookable_until_it_starts(client, world):  # noqa: F811
    starts = (timezone.now() + timedelta(hours=3)).replace(second=0, microsecond=0)
    response = publish(client, world, starts=starts)
    assert response.status_code == 302, response.context["form"].errors
    session = PracticalSession.objects.get(starts_at=starts)
    assert session.booking_opens_at <= timezone.now() < session.booking_closes_at
    assert session.booking_closes_at == session.starts_at
    worker = pb.candidate(world["subject"])
    assert services.booking_create(worker=worker, session_id=session.pk).status == "confirmed"


def test_centre_staff_publish_a_walk_in_session_starting_now_and_seat_at_the_desk(client, world):  # noqa: F811
    starts = timezone.now().replace(second=0, microsecond=0)
    response = publish(client, world, starts=starts)
    assert response.status_code == 302, response.context["form"].errors
    session = PracticalSession.objects.get(starts_at=starts)
    walk_in = pb.candidate(world["subject"], real_name="赵临时")
    client.post(
        reverse("centre:session", args=[world["center"].code, session.pk]),
        {"id_number": walk_in.id_number},
    )
    booking = Booking.objects.get(worker=walk_in)
    assert booking.urgent and booking.status == Booking.Status.CONFIRMED


def test_every_session_form_error_names_a_field_the_form_has(client, world):  # noqa: F811
    past = timezone.now() - timedelta(hours=3)
    response = publish(client, world, starts=past)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) <= set(form.fields) | {"__all__"}
    assert "starts" in form.errors
    later = timezone.now() + timedelta(days=3)
    response = publish(client, world, starts=later, hours=-1)
    form = response.context["form"]
    assert set(form.errors) <= set(form.fields) | {"__all__"} and "ends" in form.errors
    assert PracticalSession.objects.filter(center=world["center"]).count() == 2  # the fixture's


# --- Item 9d: a booking whose session has started --------------------------------------------


def test_a_started_session_offers_neither_reschedule_nor_cancel(client, world):  # noqa: F811
    session = pb.session(
        center=world["center"],
        subject=world["subject"],
        starts_at=timezone.now() + timedelta(hours=1),
        cancel_cutoff_hours=0,
    )
    worker = pb.candidate(world["subject"])
    booking = services.booking_create(worker=worker, session_id=session.pk)
    client.force_login(worker.user)
    html = client.get(reverse("practical:bookings")).content.decode()
    assert reverse("practical:reschedule", args=[booking.pk]) in html
    assert reverse("practical:cancel", args=[booking.pk]) in html
    started(session)
    html = client.get(reverse("practical:bookings")).content.decode()
    assert reverse("practical:reschedule", args=[booking.pk]) not in html
    assert reverse("practical:cancel", args=[booking.pk]) not in html
    assert 'data-testid="session-started"' in html
    assert reverse("practical:ticket", args=[booking.pk]) in html  # still needed at the door
    page = client.get(reverse("practical:reschedule", args=[booking.pk]))
    assert page.status_code == 302 and page["Location"] == reverse("practical:bookings")
    client.post(reverse("practical:cancel", args=[booking.pk]))
    client.post(reverse("practical:reschedule", args=[booking.pk]), {"session": world["future"].pk})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED and booking.session_id == session.pk
