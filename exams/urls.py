from django.urls import path

from . import views

app_name = "exams"

urlpatterns = [
    path("", views.exam_list, name="list"),
    path("<slug:code>/start/", views.attempt_start, name="start"),
    path("<slug:code>/retrain/", views.retrain, name="retrain"),
    path("attempts/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/answers/", views.answer_save, name="answer"),
    path("attempts/<int:attempt_id>/submit/", views.attempt_submit, name="submit"),
    path("attempts/<int:attempt_id>/result/", views.attempt_result, name="result"),
]
