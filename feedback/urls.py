from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.MineView.as_view(), name="mine"),
    path("rate/<str:service>/<int:event_id>/", views.RateView.as_view(), name="rate"),
    path("cases/", views.CaseListView.as_view(), name="cases"),
    path("cases/<int:case_id>/", views.CaseView.as_view(), name="case"),
    path("cases/<int:case_id>/answer/", views.AnswerView.as_view(), name="answer"),
    path("satisfaction/", views.SatisfactionView.as_view(), name="satisfaction"),
]
