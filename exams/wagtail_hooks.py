"""The exam office's part of the Wagtail admin: a "考试" menu with exam subjects, blueprint
rules, question categories and questions (Wagtail model viewsets, Django model permissions).

Saving a question checks that its choices and answer fit its type (the same rules as the bank
import, ``bank_io.question_key_parse``). Saving a subject or a blueprint rule warns when the
subject's blueprint does not add up to 100 points or asks for more questions than the bank has:
a paper cannot be drawn until it is fixed.

Blueprint rules are edited in their own listing, not inline on the subject: inline editing
needs ``BlueprintRule.subject`` to be a modelcluster ``ParentalKey``.

Practical exams: exam centres (with the subjects they offer), centre staff posts (their own
listing, for the same reason as blueprint rules), rubric items (saving one warns when the
subject's rubric does not add up to 100) and practical sessions. A session is created by
``session_create`` (its rules, its audit row); an edit locks the session's row and never writes
``seats_taken``, which only the booking services change; once candidates have booked, the
subject, centre and times are fixed. Deleting anything still referred to says so instead of
failing.
"""

from datetime import timedelta

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.db.models import Count, F, OuterRef, ProtectedError, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from accounts.filters import ALL
from accounts.models import Role, User
from core.errors import DomainError

from .bank_io import answer_text, blueprint_problems, question_key_parse
from .filters import QuestionAdminFilterSet, categories_with_subjects
from .models import (
    BlueprintRule,
    CenterStaff,
    ExamCenter,
    PracticalSession,
    Question,
    QuestionCategory,
    RubricItem,
    Subject,
)
from .practical.services import session_create, session_update

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


# --- Practical exams: views and forms ----------------------------------------------------------


class ProtectedDeleteView(generic.DeleteView):
    """Deleting something still referred to (a session with bookings, a centre with sessions, a
    subject with attempts) says so and changes nothing, instead of failing."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                _(
                    "“%(object)s” is still in use (sessions, bookings or results refer to it) and "
                    "cannot be deleted."
                )
                % {"object": self.object},
            )
            return redirect(self.get_success_url())


class _DomainErrorOnForm:
    """A service's refusal is shown on the form (on its field, when it names one)."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class ExamCenterIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("district")
            .annotate(
                subject_count=Count("subjects", distinct=True),
                staff_count=Count("staff", distinct=True),
            )
        )


def _staff_label(user: User) -> str:
    return f"{user} · {user.phone or user.email or user.username}"


class CenterStaffAdminForm(WagtailAdminModelForm):
    """Only people holding the exam-centre staff or examiner role can be posted at a centre (a
    select of every user would list every worker)."""

    class Meta:
        model = CenterStaff
        fields = ["center", "user", "supervisor"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            roles = Q(role_assignments__role__in=[Role.CENTER_STAFF, Role.EXAMINER])
            self.fields["user"].queryset = (
                User.objects.filter(roles | Q(pk=self.instance.user_id))
                .select_related("worker_profile")
                .distinct()
                .order_by("first_name", "username")
            )
            self.fields["user"].label_from_instance = _staff_label
            self.fields["user"].help_text = _(
                "People holding the exam-centre staff or examiner role."
            )


class CenterStaffIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("center", "user__worker_profile")


def _warn_rubric(request, subject: Subject) -> None:
    total = subject.rubric.aggregate(total=Sum("max_points"))["total"] or 0
    if total != 100:
        messages.warning(
            request,
            _(
                "The rubric of %(subject)s adds up to %(total)d points, not 100: its practical "
                "exams cannot be scored until it does."
            )
            % {"subject": subject.name, "total": total},
        )


class _RubricSavedMixin:
    def save_action(self):
        response = super().save_action()
        _warn_rubric(self.request, self.object.subject)
        return response


class RubricItemIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("subject")


class RubricItemCreateView(_RubricSavedMixin, generic.CreateView):
    pass


class RubricItemEditView(_RubricSavedMixin, generic.EditView):
    pass


class RubricItemDeleteView(generic.DeleteView):
    def delete_action(self):
        subject = self.object.subject
        super().delete_action()
        _warn_rubric(self.request, subject)


class PracticalSessionAdminForm(WagtailAdminModelForm):
    """A session's form: the same checks as ``session_create`` (which creates it), and on an
    existing session no fewer seats than are taken. ``seats_taken`` is not a field."""

    FIXED_ONCE_BOOKED = ("subject", "center", "starts_at", "ends_at")

    class Meta:
        model = PracticalSession
        fields = [
            "subject",
            "center",
            "starts_at",
            "ends_at",
            "capacity",
            "held_back",
            "booking_opens_at",
            "booking_closes_at",
            "cancel_cutoff_hours",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        session = self.instance
        if session.pk is None:
            for name, help_text in (
                ("booking_opens_at", _("Empty: booking opens now.")),
                ("booking_closes_at", _("Empty: booking closes a day before the start.")),
            ):
                if name in self.fields:
                    self.fields[name].required = False
                    self.fields[name].help_text = help_text
            return
        if "capacity" in self.fields:
            self.fields["capacity"].help_text = _(
                "Seats taken now: %(taken)d (bookings change this count; it is not edited here)."
            ) % {"taken": session.seats_taken}
        if session.bookings.exists():
            for name in self.FIXED_ONCE_BOOKED:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Fixed once candidates have booked: their admission tickets show it."
                    )

    def clean(self):
        cleaned = super().clean()
        creating = self.instance.pk is None
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        capacity, held_back = cleaned.get("capacity"), cleaned.get("held_back")
        subject, center = cleaned.get("subject"), cleaned.get("center")
        if subject and center and not center.subjects.filter(pk=subject.pk).exists():
            self.add_error(
                "subject",
                _("%(center)s does not offer %(subject)s.")
                % {"center": center, "subject": subject},
            )
        moved = creating or "starts_at" in self.changed_data
        if moved and starts and starts <= timezone.now():
            self.add_error("starts_at", _("A session must start in the future."))
            starts = None
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("A session must end after it starts."))
        if capacity is not None:
            if capacity < 1:
                self.add_error("capacity", _("A session needs at least one seat."))
            elif capacity < self.instance.seats_taken:
                self.add_error("capacity", _seats_taken_error(self.instance.seats_taken))
            if held_back is not None and held_back > capacity:
                self.add_error("held_back", _("Seats held back cannot exceed the seats."))
        if starts:
            opens = cleaned.get("booking_opens_at") or (timezone.now() if creating else None)
            closes = cleaned.get("booking_closes_at") or (
                starts - timedelta(days=1) if creating else None
            )
            if opens and closes and not opens < closes <= starts:
                self.add_error(
                    "booking_closes_at",
                    _("Booking must open before it closes, and close by the start."),
                )
        return cleaned


def _seats_taken_error(taken: int):
    return _("%(taken)d seats are booked already: the session needs at least that many.") % {
        "taken": taken
    }


class PracticalSessionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("subject", "center")


class PracticalSessionCreateView(_DomainErrorOnForm, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        session = session_create(
            actor=self.request.user,
            center=data["center"],
            subject=data["subject"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            capacity=data["capacity"],
            held_back=data["held_back"],
            booking_opens_at=data.get("booking_opens_at"),
            booking_closes_at=data.get("booking_closes_at"),
            cancel_cutoff_hours=data["cancel_cutoff_hours"],
        )
        log(instance=session, action="wagtail.create", content_changed=True)
        return session


class PracticalSessionEditView(_DomainErrorOnForm, generic.EditView):
    def save_instance(self):
        """Through ``session_update``: the row locked, only the edited fields written (never
        ``seats_taken``), audited, and new public seats offered to the waiting list."""
        changed = [
            name
            for name in self.form.changed_data
            if name in self.form.fields and not self.form.fields[name].disabled
        ]
        session = session_update(
            actor=self.request.user,
            session_id=self.form.instance.pk,
            changes={name: self.form.cleaned_data[name] for name in changed},
        )
        self.has_content_changes = bool(changed)
        log(instance=session, action="wagtail.edit", content_changed=bool(changed))
        return session


class PracticalSessionAdminFilterSet(WagtailFilterSet):
    subject = django_filters.ModelChoiceFilter(
        label=_("Subject"), queryset=Subject.objects.all(), empty_label=ALL
    )
    center = django_filters.ModelChoiceFilter(
        label=PracticalSession._meta.get_field("center").verbose_name,
        queryset=ExamCenter.objects.all(),
        empty_label=ALL,
    )
    starts_at = django_filters.DateFromToRangeFilter(
        label=PracticalSession._meta.get_field("starts_at").verbose_name,
        widget=DateRangePickerWidget,
    )
    cancelled = django_filters.BooleanFilter(
        label=PracticalSession._meta.get_field("cancelled").verbose_name
    )

    class Meta:
        model = PracticalSession
        fields = ["subject", "center", "starts_at", "cancelled"]


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


class ExamCenterViewSet(ModelViewSet):
    model = ExamCenter
    icon = "site"
    menu_label = _("Exam centres")
    url_prefix = "exams/centres"
    index_view_class = ExamCenterIndexView
    delete_view_class = ProtectedDeleteView
    list_display = [
        "name",
        "code",
        "district",
        "phone",
        Column(
            "subject_count",
            label=capfirst(ExamCenter._meta.get_field("subjects").verbose_name),
            sort_key="subject_count",
        ),
        Column("staff_count", label=CenterStaff._meta.verbose_name_plural, sort_key="staff_count"),
        "stations",
        "active",
    ]
    list_filter = ["district", "active"]
    search_fields = ["name", "code", "address"]
    search_backend_name = None
    ordering = ["code"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
            FieldRowPanel([FieldPanel("district"), FieldPanel("phone")]),
            FieldPanel("address"),
            FieldPanel("subjects", widget=forms.CheckboxSelectMultiple),
            FieldRowPanel([FieldPanel("stations"), FieldPanel("active")]),
        ]
    )


class CenterStaffViewSet(ModelViewSet):
    model = CenterStaff
    icon = "group"
    menu_label = _("Centre staff")
    url_prefix = "exams/centre-staff"
    index_view_class = CenterStaffIndexView
    list_display = ["user", "center", "supervisor"]
    list_filter = ["center", "supervisor"]
    ordering = ["center__code", "-supervisor", "user__first_name"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [FieldPanel("center"), FieldPanel("user"), FieldPanel("supervisor")],
        base_form_class=CenterStaffAdminForm,
    )


class RubricItemViewSet(ModelViewSet):
    model = RubricItem
    icon = "list-ul"
    menu_label = _("Rubrics")
    url_prefix = "exams/rubric"
    index_view_class = RubricItemIndexView
    add_view_class = RubricItemCreateView
    edit_view_class = RubricItemEditView
    delete_view_class = RubricItemDeleteView
    list_display = ["title", "subject", "part", "position", "max_points", "critical"]
    list_filter = ["subject", "part", "critical"]
    search_fields = ["title"]
    search_backend_name = None
    ordering = ["subject__code", "position", "pk"]
    list_per_page = 50
    copy_view_enabled = True
    edit_handler = ObjectList(
        [
            FieldPanel("subject"),
            FieldRowPanel([FieldPanel("part"), FieldPanel("position")]),
            FieldPanel("title"),
            FieldRowPanel([FieldPanel("max_points"), FieldPanel("critical")]),
        ]
    )


class PracticalSessionViewSet(ModelViewSet):
    model = PracticalSession
    icon = "date"
    menu_label = _("Practical sessions")
    url_prefix = "exams/sessions"
    index_view_class = PracticalSessionIndexView
    add_view_class = PracticalSessionCreateView
    edit_view_class = PracticalSessionEditView
    delete_view_class = ProtectedDeleteView
    filterset_class = PracticalSessionAdminFilterSet
    list_display = [
        "subject",
        "center",
        "starts_at",
        "capacity",
        "held_back",
        "seats_taken",
        "cancelled",
    ]
    ordering = ["-starts_at", "pk"]
    list_per_page = 50
    copy_view_enabled = False  # a copy would not go through session_create
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("subject"), FieldPanel("center")]),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
            FieldRowPanel([FieldPanel("capacity"), FieldPanel("held_back")]),
            FieldRowPanel([FieldPanel("booking_opens_at"), FieldPanel("booking_closes_at")]),
            FieldPanel("cancel_cutoff_hours"),
        ],
        base_form_class=PracticalSessionAdminForm,
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
        ExamCenterViewSet("exam_center"),
        CenterStaffViewSet("exam_center_staff"),
        RubricItemViewSet("exam_rubric"),
        PracticalSessionViewSet("exam_session"),
    )


@hooks.register("register_admin_viewset")
def register_exam_viewsets():
    return ExamViewSetGroup()


@hooks.register("register_permissions")
def register_attempt_permission():
    """Who may read theory attempts and item statistics (the staff pages), grantable to a
    Wagtail group."""
    return Permission.objects.filter(content_type__app_label="exams", codename="view_theoryattempt")
