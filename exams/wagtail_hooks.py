"""The exams app's Wagtail hooks: the exam office's menu (``exams.viewsets``) and the
permission to read theory attempts. The viewsets themselves live in ``exams/viewsets/``."""

from django.contrib.auth.models import Permission
from wagtail import hooks

from .viewsets import ExamViewSetGroup


@hooks.register("register_admin_viewset")
def register_exam_viewsets():
    return ExamViewSetGroup()


@hooks.register("register_permissions")
def register_attempt_permission():
    """Who may read theory attempts and item statistics (the staff pages), grantable to a
    Wagtail group."""
    return Permission.objects.filter(content_type__app_label="exams", codename="view_theoryattempt")
