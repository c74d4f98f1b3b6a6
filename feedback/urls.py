from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("rate/<str:service>/<int:event_id>/", views.rate, name="rate"),
    path("cases/", views.CaseListView.as_view(), name="cases"),
    path("cases/<int:case_id>/", views.case, name="case"),
    path("cases/<int:case_id>/answer/", views.answer, name="answer"),
    path("satisfaction/", views.satisfaction, name="satisfaction"),
]
