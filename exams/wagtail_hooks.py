"""The exam office's part of the Wagtail admin: a "考试" menu with exam subjects, blueprint
rules, question categories and questions (Wagtail model viewsets, Django model permissions).

Saving a question checks that its choices and answer fit its type (the same rules as the bank
import, ``bank_io.question_key_parse``). Saving a subject or a blueprint rule warns when the
subject's blueprint does not add up to 100 points or asks for more questions than the bank has:
a paper cannot be drawn until it is fixed.

Blueprint rules are edited in their own listing, not inline on the subject: inline editing
needs ``BlueprintRule.subject`` to be a modelcluster ``ParentalKey``.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .bank_io import answer_text, blueprint_problems, question_key_parse
from .filters import QuestionAdminFilterSet, categories_with_subjects
from .models import BlueprintRule, Question, QuestionCategory, Subject

_CHOICE_REASONS = {"too_many_choices", "too_few_choices", "tf_choices"}


def _category_label(category: QuestionCategory) -> str:
    return f"{category.subject.name} · {category.name}"


class _CategoryOfSubjectForm(WagtailAdminModelForm):
    """A category must belong to the subject chosen on the same form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "category" in self.fields:
            self.fields["category"].queryset = categories_with_subjects()
            self.fields["category"].label_from_instance = _category_label

    def clean(self):
        cleaned = super().clean()
        subject, category = cleaned.get("subject"), cleaned.get("category")
        if subject and category and category.subject_id != subject.pk:
            self.add_error(
                "category",
                _("This category belongs to another subject (%(subject)s).")
                % {"subject": category.subject.name},
            )
        return cleaned


class QuestionAdminForm(_CategoryOfSubjectForm):
    """Choices are typed one per line and the answer as letters (A, ACD) or 正确/错误; they
    are checked against the type and stored as the model's lists."""

    choices_text = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One choice per line, A first; at most six. A true/false question has 正确 and "
            "错误 (left empty, they are filled in)."
        ),
    )
    answer = forms.CharField(
        label=_("Answer"),
        max_length=20,
        help_text=_(
            "A for single choice, two or more letters such as ACD for multiple choice, "
            "正确 or 错误 for true/false."
        ),
    )

    class Meta:
        model = Question
        fields = [
            "subject",
            "category",
            "kind",
            "stem",
            "explanation",
            "difficulty",
            "image",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        question = self.instance
        if question.pk:
            self.initial.setdefault("choices_text", "\n".join(question.choices))
            self.initial.setdefault(
                "answer",
                answer_text(kind=question.kind, choices=question.choices, correct=question.correct),
            )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if not kind or "answer" not in cleaned:
            return cleaned
        lines = [line.strip() for line in cleaned.get("choices_text", "").splitlines()]
        choices, correct, reasons = question_key_parse(
            kind=kind, choices=[line for line in lines if line], answer=cleaned["answer"]
        )
        for reason in reasons:
            self.add_error(
                "choices_text" if reason.code in _CHOICE_REASONS else "answer", reason.message
            )
        if not reasons:
            self.instance.choices, self.instance.correct = choices, correct
        return cleaned


class BlueprintRuleAdminForm(_CategoryOfSubjectForm):
    class Meta:
        model = BlueprintRule
        fields = ["subject", "kind", "category", "count", "points_each"]


# --- Views: warn about a blueprint that cannot draw a paper ------------------------------------


def _warn_blueprint(request, subject: Subject) -> None:
    for problem in blueprint_problems(subject=subject):
        messages.warning(request, problem)


class _SubjectSavedMixin:
    def save_action(self):
        response = super().save_action()
        _warn_blueprint(self.request, self.object)
        return response


class _RuleSavedMixin:
    def save_action(self):
        response = super().save_action()
        _warn_blueprint(self.request, self.object.subject)
        return response


class SubjectIndexView(generic.IndexView):
    def get_base_queryset(self):
        total = (
            BlueprintRule.objects.filter(subject=OuterRef("pk"))
            .order_by()
            .values("subject")
            .annotate(total=Sum(F("count") * F("points_each")))
            .values("total")
        )
        return super().get_base_queryset().annotate(blueprint_total=Coalesce(Subquery(total), 0))


class SubjectCreateView(_SubjectSavedMixin, generic.CreateView):
    pass


class SubjectEditView(_SubjectSavedMixin, generic.EditView):
    pass


class BlueprintRuleIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("subject", "category")


class BlueprintRuleCreateView(_RuleSavedMixin, generic.CreateView):
    pass


class BlueprintRuleEditView(_RuleSavedMixin, generic.EditView):
    pass


class BlueprintRuleDeleteView(generic.DeleteView):
    def delete_action(self):
        subject = self.object.subject
        super().delete_action()
        _warn_blueprint(self.request, subject)


class CategoryIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("subject")


class QuestionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("subject", "category")


# --- Viewsets ---------------------------------------------------------------------------------


class SubjectViewSet(ModelViewSet):
    model = Subject
    icon = "doc-full"
    menu_label = _("Subjects")
    url_prefix = "exams/subjects"
    index_view_class = SubjectIndexView
    add_view_class = SubjectCreateView
    edit_view_class = SubjectEditView
    list_display = [
        "name",
        "code",
        "pass_mark",
        "duration_minutes",
        Column("blueprint_total", label=_("Blueprint points"), sort_key="blueprint_total"),
        "active",
    ]
    list_filter = ["active"]
    search_fields = ["name", "code"]
    search_backend_name = None
    ordering = ["code"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("duration_minutes")]),
                    FieldRowPanel(
                        [FieldPanel("theory_valid_days"), FieldPanel("free_retake_days")]
                    ),
                    FieldPanel("fails_before_retraining"),
                    FieldPanel("required_courses"),
                ],
                heading=_("Theory exam"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [
                            FieldPanel("certificate_valid_years"),
                            FieldPanel("review_interval_years"),
                        ]
                    )
                ],
                heading=_("Certificate"),
            ),
            FieldPanel("active"),
        ]
    )


class BlueprintRuleViewSet(ModelViewSet):
    model = BlueprintRule
    icon = "list-ol"
    menu_label = _("Blueprints")
    url_prefix = "exams/blueprint"
    index_view_class = BlueprintRuleIndexView
    add_view_class = BlueprintRuleCreateView
    edit_view_class = BlueprintRuleEditView
    delete_view_class = BlueprintRuleDeleteView
    list_display = ["__str__", "subject", "kind", "category", "count", "points_each"]
    list_filter = ["subject", "kind"]
    ordering = ["subject__code", "kind", "pk"]
    copy_view_enabled = True
    edit_handler = ObjectList(
        [
            FieldPanel("subject"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("category")]),
            FieldRowPanel([FieldPanel("count"), FieldPanel("points_each")]),
        ],
        base_form_class=BlueprintRuleAdminForm,
    )


class QuestionCategoryViewSet(ModelViewSet):
    model = QuestionCategory
    icon = "tag"
    menu_label = _("Question categories")
    url_prefix = "exams/categories"
    index_view_class = CategoryIndexView
    list_display = ["name", "subject"]
    list_filter = ["subject"]
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["subject__code", "name"]
    copy_view_enabled = False
    form_fields = ["subject", "name"]


class QuestionViewSet(ModelViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    url_prefix = "exams/questions"
    index_view_class = QuestionIndexView
    list_display = ["__str__", "subject", "kind", "category", "difficulty", "active"]
    filterset_class = QuestionAdminFilterSet
    search_fields = ["stem"]
    search_backend_name = None
    ordering = ["subject__code", "category__name", "kind", "pk"]
    list_per_page = 50
    inspect_view_enabled = True  # also registers exams.view_question for Wagtail groups
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("subject"), FieldPanel("category")]),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("difficulty")]),
            FieldPanel("stem"),
            FieldPanel("choices_text"),
            FieldPanel("answer"),
            FieldPanel("explanation"),
            FieldPanel("image"),
            FieldPanel("active"),
        ],
        base_form_class=QuestionAdminForm,
    )


class ExamViewSetGroup(ViewSetGroup):
    menu_label = _("Exams")
    menu_icon = "clipboard-list"
    menu_order = 300
    items = (
        SubjectViewSet("exam_subject"),
        BlueprintRuleViewSet("exam_blueprint"),
        QuestionCategoryViewSet("exam_category"),
        QuestionViewSet("exam_question"),
    )


@hooks.register("register_admin_viewset")
def register_exam_viewsets():
    return ExamViewSetGroup()


@hooks.register("register_permissions")
def register_attempt_permission():
    """Who may read theory attempts and item statistics (the staff pages), grantable to a
    Wagtail group."""
    return Permission.objects.filter(content_type__app_label="exams", codename="view_theoryattempt")
