"""Training pages: my learning, enrolment, lesson heartbeats and checkpoints, the training
record PDF, and enterprise progress with bulk enrolment (campaign progress: the dashboards app)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.models import Enterprise, WorkerProfile
from accounts.permissions import Action, ActionRequiredMixin, managed_enterprise
from core.errors import DomainError
from core.exports import AuditedExportMixin
from core.params import int_param
from core.ratelimit import over_limit

from . import services
from .filters import RosterProgressFilter
from .models import CoursePage, LessonPage
from .pdf import training_record_pdf
from .proofs import proof_read
from .scopes import enrollable_workers
from .selectors import my_learning, proof_public
from .tables import RosterProgressTable


def _worker_or_404(request) -> WorkerProfile:
    profile = WorkerProfile.objects.filter(user=request.user).first()
    if profile is None:
        raise Http404
    return profile


class LearningView(ActionRequiredMixin, View):
    """我的学习: enrolled courses with progress, where to resume, completed hours. A staff
    account has no learning record and is sent to its workbench."""

    required_action = Action.EDIT_OWN_PROFILE  # a worker: someone with a real-name profile

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            messages.info(self.request, _("Staff accounts have no learning record."))
            return redirect("accounts:workbench")
        return super().handle_no_permission()

    def get(self, request):
        worker = _worker_or_404(request)
        return render(request, "training/my_learning.html", my_learning(worker=worker))

    post = get  # as the function view did, any method shows the page


@login_required
@require_POST
def enrol(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    try:
        services.enrollment_create(
            worker=_worker_or_404(request), course=course, actor=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(course.url)
    messages.success(request, _("You are enrolled in “%(course)s”.") % {"course": course.title})
    first = course.lessons().first()
    return redirect(first.url if first else course.url)


@login_required
@require_POST
def heartbeat(request, lesson_id: int):
    """Called by the lesson page while it is visible; credits honest time (see services)."""
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    worker = WorkerProfile.objects.filter(user=request.user).first()
    if worker is None:
        return JsonResponse({"error": _("Only workers earn training time.")}, status=403)
    try:
        result = services.lesson_heartbeat(
            worker=worker, lesson=lesson, resume=request.POST.get("resume") == "1"
        )
    except DomainError as error:
        return JsonResponse({"error": str(error.message)}, status=403)
    return JsonResponse(
        {
            "credited": result.credited,
            "seconds": result.seconds,
            "required": result.required,
            "completed": result.completed,
        }
    )


@login_required
@require_POST
def checkpoints(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    answers = {}
    for checkpoint in lesson.checkpoints.all():
        value = int_param(request.POST.get(f"checkpoint-{checkpoint.pk}"))
        if value is not None:
            answers[checkpoint.pk] = value
    try:
        wrong = services.lesson_checkpoints_answer(
            worker=_worker_or_404(request), lesson=lesson, answers=answers
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(lesson.url)
    if wrong:
        messages.error(
            request,
            _("%(n)d answer(s) are not right yet; read the explanation and try again.")
            % {"n": len(wrong)},
        )
        request.session["checkpoint_wrong"] = wrong
    else:
        messages.success(request, _("All checkpoint questions answered correctly."))
    return redirect(f"{lesson.url}#checkpoints")


@login_required
def record_pdf(request):
    """学时证明: the worker's completed courses and hours as a printable PDF."""
    worker = _worker_or_404(request)
    response = HttpResponse(training_record_pdf(worker=worker), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="training-record.pdf"'
    return response


# Per client (IP), per 10 minutes: verifications of training records, as for certificates.
PROOF_LIMIT_WINDOW = 600
PROOF_LIMIT = 300


@require_GET
@never_cache
def proof_page(request):
    """The page inside the 学时证明's QR code: anyone may check it, no login. A link whose
    signature does not verify (a changed figure, an unknown key, a missing or repeated
    parameter) reads "not genuine" and shows nothing of it."""
    client = request.META.get("REMOTE_ADDR", "")
    if over_limit(f"training-proof:{client}", limit=PROOF_LIMIT, period=PROOF_LIMIT_WINDOW):
        return render(request, "training/proof_throttled.html", status=429)
    compact, signature = request.GET.getlist("c"), request.GET.getlist("s")
    proof = (
        proof_read(compact=compact[0], signature=signature[0])
        if len(compact) == len(signature) == 1
        else None
    )
    record = proof_public(proof=proof) if proof else None
    if record is None:
        return render(request, "training/proof_not_genuine.html", status=404)
    return render(request, "training/proof.html", {"proof": record})


class RosterProgressView(ActionRequiredMixin, AuditedExportMixin, SingleTableMixin, FilterView):
    """An enterprise's workers with their training progress; select some to enrol them."""

    required_action = Action.VIEW_WORKERS
    table_class = RosterProgressTable
    filterset_class = RosterProgressFilter
    template_name = "training/roster_progress.html"
    paginate_by = 50
    export_name = "training-progress"
    enterprise: Enterprise  # set by ``allows`` for a POST, which it refuses without one

    def allows(self, request, *args, **kwargs) -> bool:
        if not super().allows(request, *args, **kwargs):
            return False
        if request.method == "POST":  # bulk enrolment: enterprise safety officers only
            enterprise = managed_enterprise(request.user)
            if enterprise is None:
                return False
            self.enterprise = enterprise
        return True

    def get_queryset(self):
        from .selectors import roster_progress

        return roster_progress(viewer=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["courses"] = CoursePage.objects.live().order_by("path")
        context["can_enrol"] = managed_enterprise(self.request.user) is not None
        return context

    def post(self, request, *args, **kwargs):
        """Bulk enrolment of the selected workers of ``self.enterprise``."""
        enterprise = self.enterprise
        course_id = int_param(request.POST.get("course"))
        course = CoursePage.objects.live().filter(pk=course_id).first() if course_id else None
        ids = [pk for pk in map(int_param, request.POST.getlist("workers")) if pk]
        workers = enrollable_workers(enterprise=enterprise, ids=ids)
        if course is None or not ids:
            messages.error(request, _("Choose a course and at least one worker."))
            return redirect("training:roster")
        enrolled, refused = 0, []
        for worker in workers:
            try:
                services.enrollment_create(worker=worker, course=course, actor=request.user)
                enrolled += 1
            except DomainError as error:
                refused.append(f"{worker.real_name}: {error.message}")
        messages.success(
            request,
            _("%(n)d worker(s) enrolled in “%(course)s”.")
            % {"n": enrolled, "course": course.title},
        )
        for line in refused:
            messages.warning(request, line)
        return redirect("training:roster")
