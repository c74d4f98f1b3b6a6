from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("learning/", views.LearningView.as_view(), name="learning"),
    path("learning/record.pdf", views.record_pdf, name="record_pdf"),
    path("proof/", views.proof_page, name="proof"),
    path("courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("lessons/<int:lesson_id>/heartbeat/", views.heartbeat, name="heartbeat"),
    path("lessons/<int:lesson_id>/checkpoints/", views.checkpoints, name="checkpoints"),
    path("enterprise/progress/", views.RosterProgressView.as_view(), name="roster"),
]
