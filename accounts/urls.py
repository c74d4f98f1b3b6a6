from django.urls import path

from . import views, views_corrections

app_name = "accounts"

urlpatterns = [
    path(
        "accounts/password/reset/sms/",
        views.PasswordResetSmsRequestView.as_view(),
        name="password_reset_sms",
    ),
    path(
        "accounts/password/reset/sms/confirm/",
        views.PasswordResetSmsConfirmView.as_view(),
        name="password_reset_sms_confirm",
    ),
    path("me/", views.workbench, name="workbench"),
    path("me/profile/", views.ProfileEditView.as_view(), name="profile"),
    path(
        "me/corrections/new/",
        views_corrections.CorrectionRequestCreateView.as_view(),
        name="correction_new",
    ),
    path(
        "corrections/<int:pk>/<str:kind>/",
        views_corrections.correction_file,
        name="correction_file",
    ),
    path("corrections/", views_corrections.CorrectionListView.as_view(), name="correction_list"),
    path(
        "corrections/<int:pk>/",
        views_corrections.CorrectionDetailView.as_view(),
        name="correction_detail",
    ),
    path("workers/<int:profile_id>/photo/", views.worker_photo, name="worker_photo"),
    path("workers/", views.WorkerRosterView.as_view(), name="worker_roster"),
    path("enterprises/", views.EnterpriseDirectoryView.as_view(), name="enterprise_directory"),
    path("enterprises/search.json", views.enterprise_search, name="enterprise_search"),
    path("preferences/text-size/", views.text_size_toggle, name="text_size_toggle"),
    path("preferences/language/", views.language_set, name="language_set"),
]
