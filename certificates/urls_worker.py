"""A worker's own certificates (included at ``certificates/mine/``)."""

from django.urls import path

from .views import worker as views_worker

app_name = "my_certificates"

urlpatterns = [
    path("", views_worker.certificate_list, name="list"),
    path("<int:certificate_id>/", views_worker.certificate_detail, name="detail"),
    path(
        "<int:certificate_id>/certificate.<str:file_format>",
        views_worker.certificate_file,
        name="file",
    ),
    path(
        "<int:certificate_id>/credential.jwt",
        views_worker.certificate_credential,
        name="credential",
    ),
]
