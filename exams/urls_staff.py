"""Exam office pages (included at ``exams/staff/``)."""

from django.urls import path

from . import views_staff as views

app_name = "exam_staff"

urlpatterns = [
    path("bank/", views.BankIndexView.as_view(), name="bank"),
    path("bank/import/", views.BankImportView.as_view(), name="bank_import"),
    path(
        "bank/import/<slug:key>/",
        views.BankImportReportView.as_view(),
        name="bank_import_report",
    ),
    path(
        "bank/<slug:code>/export.<slug:file_format>",
        views.BankExportView.as_view(),
        name="bank_export",
    ),
    path("attempts/", views.AttemptListView.as_view(), name="attempts"),
    path("statistics/", views.StatisticsIndexView.as_view(), name="statistics"),
    path(
        "statistics/<slug:code>/",
        views.ItemStatisticsView.as_view(),
        name="item_statistics",
    ),
]
