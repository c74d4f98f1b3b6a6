"""Exam-centre staff pages, included at ``centre/``. ``check-in/`` is the address inside every
admission ticket's QR code: it must not change."""

from django.urls import path

from . import views_centre as views

app_name = "centre"

urlpatterns = [
    path("", views.CenterHomeView.as_view(), name="home"),
    path("check-in/", views.TicketLinkView.as_view(), name="check_in_scan"),
    path("<slug:code>/check-in/", views.CheckInView.as_view(), name="check_in"),
    path("<slug:code>/decode/", views.DecodeView.as_view(), name="decode"),
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
    path("<slug:code>/bookings/<int:booking_id>/score/", views.ScoreView.as_view(), name="score"),
    path(
        "<slug:code>/bookings/<int:booking_id>/scores/",
        views.CorrectView.as_view(),
        name="correct",
    ),
    path("<slug:code>/results/", views.ResultListView.as_view(), name="results"),
    path("<slug:code>/desk/", views.DeskView.as_view(), name="desk"),
    path(
        "<slug:code>/desk/<int:certificate_id>/",
        views.DeskCertificateView.as_view(),
        name="desk_certificate",
    ),
    path(
        "<slug:code>/desk/<int:certificate_id>/certificate.<slug:file_format>",
        views.DeskCertificateFileView.as_view(),
        name="desk_file",
    ),
]
