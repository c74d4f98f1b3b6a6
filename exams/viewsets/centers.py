"""Exam centres (with the subjects they offer) and centre staff posts (their own listing,
for the same reason as blueprint rules; only holders of the centre staff or examiner role)."""

from django import forms
from django.db.models import Count, Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.models import Role, User

from ..models import (
    CenterStaff,
    ExamCenter,
)
from .common import ProtectedDeleteView


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
