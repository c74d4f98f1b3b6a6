"""The question bank: categories and questions. Saving a question checks that its choices
and answer fit its type (the same rules as the bank import, ``bank_io.question_key_parse``)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from ..bank_io import answer_text, question_key_parse
from ..filters import QuestionAdminFilterSet
from ..models import (
    Question,
    QuestionCategory,
)
from .subjects import _CategoryOfSubjectForm

_CHOICE_REASONS = {"too_many_choices", "too_few_choices", "tf_choices"}


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


class CategoryIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("subject")


class QuestionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("subject", "category")


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
