"""The staff certificate scanner and scan log, included at ``certificates/scan/``."""

from django.urls import path

from .views import staff as views
from .views.decode import QrDecodeView

app_name = "certificate_staff"

urlpatterns = [
    path("", views.ScannerView.as_view(), name="scanner"),
    path("verify/", views.VerifyScansView.as_view(), name="verify"),
    path("lookup/", views.LookupView.as_view(), name="lookup"),
    path("decode/", QrDecodeView.as_view(), name="decode"),
    path("photo/<str:key>/", views.PhotoView.as_view(), name="photo"),
    path("log/", views.ScanLogView.as_view(), name="log"),
]
