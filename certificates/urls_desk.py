"""The certificate desk of an exam centre, included at ``centre/`` next to the centre's exam
pages (``exams.practical.urls_centre``): the addresses are the centre's, the pages are
certificates'."""

from django.urls import path

from .views import desk

app_name = "certificate_desk"

urlpatterns = [
    path("<slug:code>/desk/", desk.DeskView.as_view(), name="list"),
    path("<slug:code>/desk/today.json", desk.DeskTodayJsonView.as_view(), name="today"),
    path(
        "<slug:code>/desk/<int:certificate_id>/status.json",
        desk.DeskStatusJsonView.as_view(),
        name="status",
    ),
    path(
        "<slug:code>/desk/<int:certificate_id>/",
        desk.DeskCertificateView.as_view(),
        name="certificate",
    ),
    path(
        "<slug:code>/desk/<int:certificate_id>/certificate.<slug:file_format>",
        desk.DeskCertificateFileView.as_view(),
        name="file",
    ),
]
