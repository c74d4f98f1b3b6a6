"""Practical-exam pages from the outside: workers book, cancel, reschedule and open tickets;
centre staff check in, examiners score, supervisors correct; everyone else is refused."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.models import AuditEvent
from exams.models import Booking, ExamResult, PracticalScore, PracticalSession
from exams.practical import selectors, services
from tests.exams import builders
from tests.exams import practical_builders as pb
from tests.factories import RoleAssignmentFactory, UserFactory, WorkerProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _midday(settings):
    """Sessions "today" start within the hour: keep them on the local day at any hour."""
    settings.TIME_ZONE = pb.midday_time_zone()


@pytest.fixture
def world():
    subject = builders.subject()
    pb.rubric(subject)
    center = pb.center(code="xihu", subjects=[subject], name="西湖考点")
    other = pb.center(code="binjiang", subjects=[subject], name="滨江考点")
    return {
        "subject": subject,
        "center": center,
        "other": other,
        "future": pb.session(center=center, subject=subject, capacity=2),
        "today": pb.session(
            center=center,
            subject=subject,
            starts_at=timezone.now() + timedelta(minutes=30),
            capacity=5,
        ),
        "desk": pb.staff(center),
        "examiner": pb.staff(center, role=Role.EXAMINER),
        "supervisor": pb.staff(center, supervisor=True),
        "other_examiner": pb.staff(other, role=Role.EXAMINER),
        "other_desk": pb.staff(other),
    }


def book_json(client, session, **body):
    return client.post(
        reverse("practical:book_json", args=[session.pk]),
        json.dumps(body or {"waitlist": False}),
        content_type="application/json",
    )


def checked_in(world):
    worker = pb.candidate(world["subject"])
    booking = services.booking_create(worker=worker, session_id=world["today"].pk)
    return services.checkin_confirm(
        user=world["desk"], booking_id=booking.pk, center=world["center"]
    )


# --- Workers ------------------------------------------------------------------------------


def test_anyone_sees_open_sessions_with_seats_left_and_the_calendar(client, world):
    html = client.get(reverse("practical:sessions")).content.decode()
    assert "西湖考点" in html and "低压电工作业" in html
    assert "剩余 2 个座位" in html
    detail = client.get(reverse("practical:session", args=[world["future"].pk]))
    assert detail.status_code == 200 and "西湖考点" in detail.content.decode()


def test_the_session_list_filters_by_subject_and_date(client, world):
    other_subject = builders.subject(code="welding")
    pb.session(center=world["other"], subject=other_subject)
    world["other"].subjects.add(other_subject)
    html = client.get(reverse("practical:sessions"), {"subject": other_subject.pk}).content.decode()
    assert html.count("session-card") == 1
    day = timezone.localdate(world["future"].starts_at).isoformat()
    html = client.get(
        reverse("practical:sessions"), {"date_from": day, "date_to": day}
    ).content.decode()
    assert f'href="{reverse("practical:session", args=[world["future"].pk])}"' in html
    assert f'href="{reverse("practical:session", args=[world["today"].pk])}"' not in html


def test_the_session_list_makes_the_same_queries_for_many_sessions(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("practical:sessions")).status_code == 200
        return len(captured)

    queries()  # the first request creates the site settings row
    few = queries()
    for n in range(15):
        pb.session(
            center=world["center"], subject=world["subject"], starts_in=timedelta(days=2 + n)
        )
    assert queries() == few


def test_a_worker_books_from_the_page_and_gets_a_ticket(client, world):
    worker = pb.candidate(world["subject"])
    client.force_login(worker.user)
    response = client.post(reverse("practical:book", args=[world["future"].pk]))
    assert response.status_code == 302
    booking = Booking.objects.get(worker=worker)
    assert booking.status == Booking.Status.CONFIRMED
    html = client.get(reverse("practical:bookings")).content.decode()
    assert reverse("practical:ticket", args=[booking.pk]) in html
    assert client.get(reverse("practical:ticket", args=[booking.pk])).status_code == 200


def test_the_json_endpoint_answers_201_then_409_when_full(client, world):
    session = world["future"]
    for _ in range(2):
        services.booking_create(worker=pb.candidate(world["subject"]), session_id=session.pk)
    worker = pb.candidate(world["subject"])
    client.force_login(worker.user)
    response = book_json(client, session)
    assert response.status_code == 409 and response.json()["error"] == "full"
    assert not Booking.objects.filter(worker=worker).exists()
    response = book_json(client, session, waitlist=True)
    assert response.status_code == 201 and response.json()["status"] == "waitlisted"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"not json", 400, "malformed"),
        (b'{"waitlist": "yes"}', 400, "malformed"),
        (b"[1, 2]", 400, "malformed"),
    ],
)
def test_the_json_endpoint_refuses_junk(client, world, body, status, code):
    worker = pb.candidate(world["subject"])
    client.force_login(worker.user)
    response = client.post(
        reverse("practical:book_json", args=[world["future"].pk]),
        body,
        content_type="application/json",
    )
    assert response.status_code == status and response.json()["error"] == code
    assert not Booking.objects.exists()


def test_the_json_endpoint_says_why_a_worker_may_not_book(client, world):
    worker = WorkerProfileFactory()  # no theory pass
    client.force_login(worker.user)
    response = book_json(client, world["future"])
    assert response.status_code == 403 and response.json()["error"] == "theory_required"
    assert response.json()["message"]
    client.logout()
    assert book_json(client, world["future"]).status_code == 401
    missing = reverse("practical:book_json", args=[999999])
    client.force_login(worker.user)
    assert client.post(missing, b"{}", content_type="application/json").status_code == 404


def test_the_session_page_says_why_the_worker_cannot_book(client, world):
    worker = WorkerProfileFactory()
    client.force_login(worker.user)
    html = client.get(reverse("practical:session", args=[world["future"].pk])).content.decode()
    assert 'data-testid="refusal"' in html and 'data-testid="book"' not in html


def test_cancel_reschedule_and_accept_an_offer(client, world):
    subject = world["subject"]
    later = pb.session(
        center=world["other"], subject=subject, starts_in=timedelta(days=9), capacity=1
    )
    worker = pb.candidate(subject)
    client.force_login(worker.user)
    booking = services.booking_create(worker=worker, session_id=world["future"].pk)
    response = client.post(
        reverse("practical:reschedule", args=[booking.pk]), {"session": later.pk}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.session_id == later.pk
    assert client.get(reverse("practical:reschedule", args=[booking.pk])).status_code == 200
    waiting = pb.candidate(subject)
    offered = services.booking_create(worker=waiting, session_id=later.pk, waitlist=True)
    client.post(reverse("practical:cancel", args=[booking.pk]))
    booking.refresh_from_db()
    offered.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert offered.status == Booking.Status.OFFERED
    client.force_login(waiting.user)
    client.post(reverse("practical:accept", args=[offered.pk]))
    offered.refresh_from_db()
    assert offered.status == Booking.Status.CONFIRMED


def test_a_worker_cannot_touch_another_workers_booking(client, world):
    owner = pb.candidate(world["subject"])
    booking = services.booking_create(worker=owner, session_id=world["future"].pk)
    intruder = pb.candidate(world["subject"])
    client.force_login(intruder.user)
    assert client.get(reverse("practical:ticket", args=[booking.pk])).status_code == 404
    png = reverse("practical:ticket_file", args=[booking.pk, "png"])
    assert client.get(png).status_code == 404
    client.post(reverse("practical:cancel", args=[booking.pk]))
    assert client.get(reverse("practical:reschedule", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


# --- Centre staff -------------------------------------------------------------------------


def test_workers_and_other_roles_cannot_open_centre_pages(client, world):
    booking = checked_in(world)
    code = world["center"].code
    pages = [
        reverse("centre:home"),
        reverse("centre:check_in", args=[code]),
        reverse("centre:sessions", args=[code]),
        reverse("centre:session", args=[code, world["today"].pk]),
        reverse("centre:score", args=[code, booking.pk]),
        reverse("centre:correct", args=[code, booking.pk]),
        reverse("centre:results", args=[code]),
        reverse("centre:photo", args=[code, booking.pk]),
    ]
    worker = pb.candidate(world["subject"])
    officer = UserFactory()
    RoleAssignmentFactory(user=officer, role=Role.BUREAU_OFFICER)
    for user in (worker.user, officer):
        client.force_login(user)
        for url in pages:
            assert client.get(url).status_code == 403, (user, url)
    client.logout()
    for url in pages:
        assert client.get(url).status_code == 302


def test_staff_of_another_centre_are_refused(client, world):
    booking = checked_in(world)
    code = world["center"].code
    client.force_login(world["other_desk"])
    assert client.get(reverse("centre:check_in", args=[code])).status_code == 403
    response = client.post(reverse("centre:check_in", args=[code]), {"booking": booking.pk})
    assert response.status_code == 403
    client.force_login(world["other_examiner"])
    url = reverse("centre:score", args=[code, booking.pk])
    assert (
        client.post(
            url, {f"item-{k}": v for k, v in pb.full_marks(world["subject"]).items()}
        ).status_code
        == 403
    )
    assert not PracticalScore.objects.exists()


def test_desk_staff_check_a_candidate_in_by_ticket_token(client, world):
    worker = pb.candidate(world["subject"])
    booking = services.booking_create(worker=worker, session_id=world["today"].pk)
    client.force_login(world["desk"])
    url = reverse("centre:check_in", args=[world["center"].code])
    html = client.get(url, {"scanned": selectors.ticket_url(booking)}).content.decode()
    assert worker.real_name in html and worker.id_number in html
    client.post(url, {"booking": booking.pk})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN
    assert booking.checked_in_by == world["desk"]


def test_the_tickets_qr_address_lands_on_the_staff_members_centre(client, world):
    worker = pb.candidate(world["subject"])
    booking = services.booking_create(worker=worker, session_id=world["today"].pk)
    client.force_login(world["desk"])
    token = selectors.ticket_token(booking)
    response = client.get(reverse("centre:check_in_scan"), {"t": token})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("centre:check_in", args=["xihu"]))
    assert worker.real_name in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("tamper", ["forged", "other_centre", "not_today", "junk"])
def test_bad_tickets_are_refused_with_the_reason_and_change_nothing(client, world, tamper):
    subject = world["subject"]
    worker = pb.candidate(subject)
    session = {
        "other_centre": pb.session(
            center=world["other"], subject=subject, starts_at=timezone.now() + timedelta(hours=1)
        ),
        "not_today": world["future"],
    }.get(tamper, world["today"])
    booking = services.booking_create(worker=worker, session_id=session.pk)
    token = selectors.ticket_token(booking)
    scanned = {
        "forged": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "junk": "x" * 600,
    }.get(tamper, token)
    client.force_login(world["desk"])
    url = reverse("centre:check_in", args=[world["center"].code])
    response = client.get(url, {"scanned": scanned})
    assert response.status_code == 409
    assert 'data-testid="refusal"' in response.content.decode()
    assert "Identity matches" not in response.content.decode()
    if tamper in ("other_centre", "not_today"):
        client.post(url, {"booking": booking.pk})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_an_examiner_scores_a_pass_and_the_result_is_recorded(client, world):
    booking = checked_in(world)
    client.force_login(world["examiner"])
    url = reverse("centre:score", args=[world["center"].code, booking.pk])
    assert client.get(url).status_code == 200
    form = {f"item-{k}": v for k, v in pb.full_marks(world["subject"]).items()}
    response = client.post(url, form)
    result = ExamResult.objects.get(booking=booking)
    assert result.passed and result.practical_score == 100
    certificate = result.certificates.get()
    assert response["Location"] == reverse(
        "certificate_desk:certificate", args=[world["center"].code, certificate.pk]
    )
    again = client.post(url, form)
    assert again.status_code == 400 and PracticalScore.objects.count() == 1


def test_the_scoring_form_refuses_missing_or_out_of_range_points(client, world):
    booking = checked_in(world)
    client.force_login(world["examiner"])
    url = reverse("centre:score", args=[world["center"].code, booking.pk])
    marks = pb.full_marks(world["subject"])
    first, *_rest = marks
    form = {f"item-{k}": v for k, v in marks.items()}
    for bad in ("", "abc", "999", "-1"):
        response = client.post(url, {**form, f"item-{first}": bad})
        assert response.status_code == 400, bad
        assert 'role="alert"' in response.content.decode()
    assert not PracticalScore.objects.exists() and not ExamResult.objects.exists()


def test_scoring_a_candidate_not_checked_in_is_refused(client, world):
    worker = pb.candidate(world["subject"])
    booking = services.booking_create(worker=worker, session_id=world["today"].pk)
    client.force_login(world["examiner"])
    url = reverse("centre:score", args=[world["center"].code, booking.pk])
    assert 'data-testid="refusal"' in client.get(url).content.decode()
    form = {f"item-{k}": v for k, v in pb.full_marks(world["subject"]).items()}
    assert client.post(url, form).status_code == 400
    assert not PracticalScore.objects.exists()


def test_desk_staff_cannot_score_and_examiners_cannot_publish_sessions(client, world):
    booking = checked_in(world)
    client.force_login(world["desk"])
    url = reverse("centre:score", args=[world["center"].code, booking.pk])
    form = {f"item-{k}": v for k, v in pb.full_marks(world["subject"]).items()}
    assert client.post(url, form).status_code == 403
    client.force_login(world["examiner"])
    new = reverse("centre:session_new", args=[world["center"].code])
    assert client.get(new).status_code == 403


def test_only_the_supervisor_corrects_and_a_reason_is_required(client, world):
    booking = checked_in(world)
    marks = pb.full_marks(world["subject"])
    low = dict.fromkeys(marks, 0)
    services.score_submit(examiner=world["examiner"], booking_id=booking.pk, points=low)
    url = reverse("centre:correct", args=[world["center"].code, booking.pk])
    form = {f"item-{k}": v for k, v in marks.items()}
    client.force_login(world["desk"])
    assert client.post(url, {**form, "reason": "复核录像"}).status_code == 403
    client.force_login(world["supervisor"])
    assert client.post(url, form).status_code == 400
    assert not ExamResult.objects.get(booking=booking).passed
    before = AuditEvent.objects.filter(verb="result.corrected").count()
    assert client.post(url, {**form, "reason": "复核录像，评分录入有误"}).status_code == 302
    result = ExamResult.objects.get(booking=booking)
    assert result.passed and result.corrected
    assert AuditEvent.objects.filter(verb="result.corrected").count() == before + 1


def test_centre_staff_publish_a_session_and_bad_input_changes_nothing(client, world):
    client.force_login(world["desk"])
    url = reverse("centre:session_new", args=[world["center"].code])
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    good = {
        "subject": world["subject"].pk,
        "day": day,
        "starts": "09:00",
        "ends": "12:00",
        "capacity": 20,
        "held_back": 2,
        "cancel_cutoff_hours": 48,
    }
    count = PracticalSession.objects.count()
    for bad in ({"ends": "08:00"}, {"held_back": 30}, {"capacity": 0}, {"day": "2001-01-01"}):
        response = client.post(url, {**good, **bad})
        html = response.content.decode()
        assert response.status_code == 200 and ("has-error" in html or "errorlist" in html), bad
    assert PracticalSession.objects.count() == count
    assert client.post(url, good).status_code == 302
    assert PracticalSession.objects.count() == count + 1


def test_urgent_cases_use_held_back_seats(client, world):
    session = pb.session(center=world["center"], subject=world["subject"], capacity=1, held_back=1)
    worker = pb.candidate(world["subject"])
    client.force_login(worker.user)
    assert book_json(client, session).status_code == 409
    client.force_login(world["desk"])
    url = reverse("centre:session", args=[world["center"].code, session.pk])
    client.post(url, {"id_number": worker.id_number})
    booking = Booking.objects.get(worker=worker)
    assert booking.urgent and booking.status == Booking.Status.CONFIRMED


def test_staff_tables_export_csv_and_xlsx(client, world):
    booking = checked_in(world)
    services.score_submit(
        examiner=world["examiner"], booking_id=booking.pk, points=pb.full_marks(world["subject"])
    )
    client.force_login(world["supervisor"])
    code = world["center"].code
    for name, args in (
        ("centre:results", [code]),
        ("centre:sessions", [code]),
        ("centre:session", [code, world["today"].pk]),
    ):
        url = reverse(name, args=args)
        page = client.get(url)
        assert page.status_code == 200
        csv = client.get(url, {"_export": "csv"})
        assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
        xlsx = client.get(url, {"_export": "xlsx"})
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    csv = client.get(reverse("centre:results", args=[code]), {"_export": "csv"}).content
    assert booking.worker.id_number.encode() in csv
    assert AuditEvent.objects.filter(verb="export.practical_results").exists()


def test_a_theory_pass_leads_to_booking_the_practical_exam(client, world):
    worker = pb.candidate(world["subject"])
    client.force_login(worker.user)
    html = client.get(reverse("exams:list")).content.decode()
    assert f"{reverse('practical:sessions')}?subject={world['subject'].pk}" in html
    fresh = WorkerProfileFactory()
    client.force_login(fresh.user)
    assert 'data-testid="book-practical"' not in client.get(reverse("exams:list")).content.decode()


def test_a_name_the_font_cannot_draw_gets_a_plain_page_not_a_500(client, world):
    worker = pb.candidate(world["subject"], real_name="𠮷野")
    booking = services.booking_create(worker=worker, session_id=world["future"].pk)
    client.force_login(worker.user)
    response = client.get(reverse("practical:ticket_file", args=[booking.pk, "png"]))
    assert response.status_code == 503
    assert reverse("practical:bookings") in response.content.decode()


def test_desk_staff_cancel_a_session_and_examiners_cannot(client, world):
    session = world["future"]
    url = reverse("centre:session_cancel", args=[world["center"].code, session.pk])
    client.force_login(world["examiner"])
    assert client.post(url, {"reason": "考场停电检修"}).status_code == 403
    client.force_login(world["desk"])
    assert client.post(url, {"reason": "考场停电检修"}).status_code == 302
    session.refresh_from_db()
    assert session.cancelled


def test_the_calendar_counts_sessions_and_seats_per_day_across_the_month_edge(world):
    from exams.practical.selectors import month_calendar, sessions_open

    session = world["future"]
    day = timezone.localdate(session.starts_at)
    # The month before the session's: its last week may show the session's day too.
    for month in (day.replace(day=1), (day.replace(day=1) - timedelta(days=1)).replace(day=1)):
        cells = [
            cell for week in month_calendar(sessions=sessions_open(), month=month) for cell in week
        ]
        shown = [cell for cell in cells if cell["day"] == day]
        if shown:
            assert shown[0]["sessions"] == 1 and shown[0]["seats"] == session.capacity
    cells = [c for w in month_calendar(sessions=sessions_open(), month=day) for c in w]
    assert next(c for c in cells if c["day"] == day)["sessions"] == 1


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "1-1", "2026-13", "x"])
def test_odd_calendar_months_show_this_month(client, world, month):
    assert client.get(reverse("practical:sessions"), {"month": month}).status_code == 200


def test_a_deeply_nested_json_body_is_refused_not_a_500(client, world):
    worker = pb.candidate(world["subject"])
    client.force_login(worker.user)
    body = "[" * 200_000 + "]" * 200_000
    response = client.post(
        reverse("practical:book_json", args=[world["future"].pk]),
        body,
        content_type="application/json",
    )
    assert response.status_code == 400


def test_control_characters_in_a_scan_are_refused(client, world):
    client.force_login(world["desk"])
    url = reverse("centre:check_in", args=[world["center"].code])
    response = client.get(url, {"scanned": "AB\x00CD"})
    assert response.status_code == 409
    response = client.get(reverse("centre:check_in_scan"), {"t": "1:x\r\nSet-Cookie: a=b"})
    assert response.status_code == 302 and "\n" not in response["Location"]


def test_a_typed_id_number_reveals_nothing_about_other_centres(client, world):
    worker = pb.candidate(world["subject"])
    other_today = pb.session(
        center=world["other"],
        subject=world["subject"],
        starts_at=timezone.now() + timedelta(minutes=40),
    )
    services.booking_create(worker=worker, session_id=other_today.pk)
    client.force_login(world["desk"])
    url = reverse("centre:check_in", args=[world["center"].code])
    html = client.get(url, {"scanned": worker.id_number}).content.decode()
    assert world["other"].name not in html and 'data-testid="refusal"' in html


def test_staff_cannot_check_in_or_score_their_own_exam(client, world):
    examiner = world["examiner"]
    me = pb.candidate(world["subject"], user=examiner)
    booking = services.booking_create(worker=me, session_id=world["today"].pk)
    client.force_login(examiner)
    client.post(reverse("centre:check_in", args=[world["center"].code]), {"booking": booking.pk})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    services.checkin_confirm(user=world["desk"], booking_id=booking.pk, center=world["center"])
    url = reverse("centre:score", args=[world["center"].code, booking.pk])
    form = {f"item-{k}": v for k, v in pb.full_marks(world["subject"]).items()}
    assert client.post(url, form).status_code == 400
    assert not PracticalScore.objects.exists()


def test_photos_only_of_live_or_recent_bookings(client, world, settings):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    worker = pb.candidate(world["subject"])
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), "grey").save(buffer, "JPEG")
    worker.photo.save("p.jpg", ContentFile(buffer.getvalue()))
    booking = services.booking_create(worker=worker, session_id=world["future"].pk)
    client.force_login(world["desk"])
    url = reverse("centre:photo", args=[world["center"].code, booking.pk])
    assert client.get(url).status_code == 200
    services.booking_cancel(booking_id=booking.pk, worker=worker)
    assert client.get(url).status_code == 404


def test_a_scoring_post_with_a_broken_rubric_is_a_400_not_a_500(client, world):
    from exams.models import RubricItem

    booking = checked_in(world)
    form = {f"item-{k}": v for k, v in pb.full_marks(world["subject"]).items()}
    RubricItem.objects.filter(subject=world["subject"]).first().delete()
    client.force_login(world["examiner"])
    response = client.post(reverse("centre:score", args=[world["center"].code, booking.pk]), form)
    assert response.status_code == 400 and not PracticalScore.objects.exists()


def test_the_supervisor_records_an_unscored_candidate_as_not_attended(client, world):
    booking = checked_in(world)
    url = reverse("centre:correct", args=[world["center"].code, booking.pk])
    client.force_login(world["desk"])
    assert client.post(url, {"action": "abandon", "reason": "中途离场"}).status_code == 403
    client.force_login(world["supervisor"])
    assert "abandon-reason" in client.get(url).content.decode()
    assert client.post(url, {"action": "abandon", "reason": "中途离场"}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW
