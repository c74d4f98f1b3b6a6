"""Practice mode and the wrong-answer notebook, included at ``exams/practice/`` (before the
exams URLs). ``notebook/`` comes before ``<code>/``: it would match as a subject code."""

from django.urls import path

from . import views_practice as views

app_name = "practice"

urlpatterns = [
    path("", views.practice_home, name="home"),
    path("notebook/", views.notebook, name="notebook"),
    path("<slug:code>/", views.practice_question, name="question"),
    path("<slug:code>/answer/", views.practice_answer, name="answer"),
]
