"""The exam office's part of the Wagtail admin: a "考试" menu of model viewsets (Django model
permissions) for subjects and blueprints, the question bank, exam centres and their staff,
rubrics and practical sessions. Deleting anything still referred to says so instead of
failing. ``exams/wagtail_hooks.py`` registers the group."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup

from .centers import CenterStaffViewSet, ExamCenterViewSet
from .questions import QuestionCategoryViewSet, QuestionViewSet
from .rubric import RubricItemViewSet
from .sessions import PracticalSessionViewSet
from .subjects import BlueprintRuleViewSet, SubjectViewSet


class ExamViewSetGroup(ViewSetGroup):
    menu_label = _("Exams")
    menu_icon = "clipboard-list"
    menu_order = 300
    items = (
        SubjectViewSet("exam_subject"),
        BlueprintRuleViewSet("exam_blueprint"),
        QuestionCategoryViewSet("exam_category"),
        QuestionViewSet("exam_question"),
        ExamCenterViewSet("exam_center"),
        CenterStaffViewSet("exam_center_staff"),
        RubricItemViewSet("exam_rubric"),
        PracticalSessionViewSet("exam_session"),
    )
