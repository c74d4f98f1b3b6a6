"""Roster imports (included at ``enterprise/imports/``)."""

from django.urls import path

from . import views_imports as views

app_name = "training_imports"

urlpatterns = [
    path("", views.ImportListView.as_view(), name="list"),
    path("new/", views.ImportUploadView.as_view(), name="upload"),
    path("template.csv", views.ImportTemplateView.as_view(), name="template"),
    path("<int:pk>/", views.ImportDetailView.as_view(), name="detail"),
    path("<int:pk>/status.json", views.ImportStatusView.as_view(), name="status"),
    path("<int:pk>/refused.csv", views.ImportRefusedView.as_view(), name="refused"),
]
