from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprises"),
    path(
        "enterprises/<int:enterprise_id>/",
        views.EnterpriseDashboardView.as_view(),
        name="enterprise_detail",
    ),
    path("enterprise/", views.EnterpriseDashboardView.as_view(), name="enterprise"),
    path("reports/", views.ReportListView.as_view(), name="reports"),
    path("reports/<int:report_id>/", views.ReportDownloadView.as_view(), name="report_download"),
]
