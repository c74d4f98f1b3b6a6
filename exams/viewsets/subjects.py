"""Exam subjects and their blueprint rules. Saving a subject or a blueprint rule warns when
the subject's blueprint does not add up to 100 points or asks for more questions than the bank
has: a paper cannot be drawn until it is fixed.

Blueprint rules are edited in their own listing, not inline on the subject: inline editing
needs ``BlueprintRule.subject`` to be a modelcluster ``ParentalKey``."""

from django.contrib import messages
from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from ..bank_io import blueprint_problems
from ..filters import categories_with_subjects
from ..models import (
    BlueprintRule,
    QuestionCategory,
    Subject,
)
from .common import ProtectedDeleteView, ViewMixinBase


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


class BlueprintRuleAdminForm(_CategoryOfSubjectForm):
    class Meta:
        model = BlueprintRule
        fields = ["subject", "kind", "category", "count", "points_each"]


def _warn_blueprint(request, subject: Subject) -> None:
    for problem in blueprint_problems(subject=subject):
        messages.warning(request, problem)


class _SubjectSavedMixin(ViewMixinBase):
    def save_action(self):
        response = super().save_action()
        _warn_blueprint(self.request, self.object)
        return response


class _RuleSavedMixin(ViewMixinBase):
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
    delete_view_class = ProtectedDeleteView
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
                    FieldPanel("practical_pass_mark"),
                    FieldRowPanel(
                        [FieldPanel("practical_examiners"), FieldPanel("examiner_margin")]
                    ),
                ],
                heading=_("Practical exam"),
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
