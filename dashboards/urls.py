from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprises"),
    path("enterprises/<int:enterprise_id>/", views.enterprise_dashboard, name="enterprise_detail"),
    path("enterprise/", views.enterprise_dashboard, name="enterprise"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:report_id>/", views.report_download, name="report_download"),
]
