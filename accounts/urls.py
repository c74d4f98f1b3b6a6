from django.urls import path

from . import views

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
    path("workers/<int:profile_id>/photo/", views.worker_photo, name="worker_photo"),
    path("workers/", views.WorkerRosterView.as_view(), name="worker_roster"),
    path("enterprises/", views.EnterpriseDirectoryView.as_view(), name="enterprise_directory"),
    path("enterprises/search.json", views.enterprise_search, name="enterprise_search"),
    path("preferences/text-size/", views.text_size_toggle, name="text_size_toggle"),
    path("preferences/language/", views.language_set, name="language_set"),
]
