"""Rubric items of the practical exams: saving or deleting one warns when the subject's
rubric does not add up to 100 points."""

from django.contrib import messages
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import RubricItem, Subject
from .common import ViewMixinBase


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


class _RubricSavedMixin(ViewMixinBase):
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
