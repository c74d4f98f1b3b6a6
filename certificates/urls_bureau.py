"""The bureau's certificate register (included at ``certificates/manage/``)."""

from django.urls import path

from .views import bureau as views_bureau

app_name = "certificate_bureau"

urlpatterns = [
    path("", views_bureau.CertificateListView.as_view(), name="list"),
    path("<int:certificate_id>/", views_bureau.CertificateDetailView.as_view(), name="detail"),
    path("<int:certificate_id>/revoke", views_bureau.RevokeView.as_view(), name="revoke"),
    path("<int:certificate_id>/reissue", views_bureau.ReissueView.as_view(), name="reissue"),
    path("<int:certificate_id>/review", views_bureau.ReviewView.as_view(), name="review"),
]
