"""Exam-centre staff pages, included at ``centre/``. ``check-in/`` is the address inside every
admission ticket's QR code: it must not change. The certificate desk under the same prefix
(``<code>/desk/``) is routed by ``certificates.urls_desk``; the check-in scanner's decoder is
the one decode view of both scanners, here for staff of the centre."""

from django.urls import path
from django.utils.translation import gettext_lazy

from accounts.permissions import Action
from certificates.views.decode import QrDecodeView

from . import views_centre as views
from . import views_scoring

app_name = "centre"

urlpatterns = [
    path("", views.CenterHomeView.as_view(), name="home"),
    path("check-in/", views.TicketLinkView.as_view(), name="check_in_scan"),
    path("<slug:code>/check-in/", views.CheckInView.as_view(), name="check_in"),
    path(
        "<slug:code>/decode/",
        QrDecodeView.as_view(
            required_action=Action.CHECK_IN_CANDIDATES,
            refusal=gettext_lazy("Your role does not allow this."),
        ),
        name="decode",
    ),
    path("<slug:code>/sessions/", views.SessionListView.as_view(), name="sessions"),
    path("<slug:code>/sessions/new/", views.SessionCreateView.as_view(), name="session_new"),
    path(
        "<slug:code>/sessions/<int:session_id>/",
        views.SessionRosterView.as_view(),
        name="session",
    ),
    path(
        "<slug:code>/sessions/<int:session_id>/cancel/",
        views.SessionCancelView.as_view(),
        name="session_cancel",
    ),
    path(
        "<slug:code>/bookings/<int:booking_id>/photo/",
        views.CandidatePhotoView.as_view(),
        name="photo",
    ),
    path(
        "<slug:code>/bookings/<int:booking_id>/score/",
        views_scoring.ScoreView.as_view(),
        name="score",
    ),
    path(
        "<slug:code>/bookings/<int:booking_id>/scores/",
        views_scoring.CorrectView.as_view(),
        name="correct",
    ),
    path("<slug:code>/results/", views.ResultListView.as_view(), name="results"),
]
