"""Campaign dashboards: the bureau's and a district's overview, the enterprise table, one
enterprise's dashboard, and the weekly reports. Every page reads the precomputed aggregates."""

import hashlib
from urllib.parse import urlencode

from django import forms
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin
from django_tables2.export import TableExport

from accounts.models import District
from accounts.permissions import Action, ActionRequiredMixin, officer_district
from core.exports import AuditedExportMixin
from core.figures import percent_of
from core.files import private_file_response
from feedback.selectors import satisfaction_rows
from feedback.tables import SatisfactionTable

from . import charts, scopes, selectors, services
from .filters import EnterpriseFactFilter
from .models import ProgressFact, WeeklyReport
from .tables import (
    BreakdownTable,
    CentreTable,
    CertificatesExpiringTable,
    DistrictTable,
    EnterpriseTable,
    EventTable,
    NotStartedTable,
    ReviewDueTable,
    SubjectTable,
    TrendTable,
)

EXPORT_FORMATS = ("csv", "xlsx")


class OverviewForm(forms.Form):
    """What the overview shows: a district (the bureau only) and the period of the trend and
    the exam figures."""

    district = forms.ChoiceField(label=gettext_lazy("District"), required=False)
    weeks = forms.TypedChoiceField(
        label=gettext_lazy("Period"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, officer_district=None, **kwargs):
        super().__init__(*args, **kwargs)
        weeks_field, district_field = self.fields["weeks"], self.fields["district"]
        assert isinstance(weeks_field, forms.ChoiceField)  # both declared above
        assert isinstance(district_field, forms.ChoiceField)
        weeks_field.choices = [
            ("", _("Campaign to date")),
            *((weeks, _("Last %(n)s weeks") % {"n": weeks}) for weeks in selectors.PERIODS),
        ]
        if officer_district is not None:
            del self.fields["district"]
        else:
            districts = District.objects.filter(parent__isnull=False).order_by("code")
            district_field.choices = [
                ("", _("Whole city")),
                *districts.values_list("code", "name"),
            ]


class OverviewView(ActionRequiredMixin, View):
    """The campaign overview of the city (the bureau) or of one district."""

    required_action = Action.VIEW_CAMPAIGN

    def allows(self, request, *args, **kwargs) -> bool:
        if not super().allows(request, *args, **kwargs):
            return False
        self.own_district = officer_district(request.user)
        requested = request.GET.get("district") or None
        # Another district's figures are refused, not quietly narrowed.
        return self.own_district is None or requested in (None, self.own_district.code)

    def get(self, request):
        form = OverviewForm(request.GET or None, officer_district=self.own_district)
        cleaned = {}
        if form.is_bound:
            form.is_valid()  # the fields that validate are used; the others show their errors
            cleaned = form.cleaned_data
        district_code = cleaned.get("district") or None
        weeks = cleaned.get("weeks")
        scope = scopes.dashboard_scope(viewer=request.user, district_code=district_code)
        if request.GET.get("_export") is not None:
            return _export(request, _sections(scope, weeks), scope)
        refreshed_at = selectors.refreshed_at()
        key = _body_cache_key(request, scope, refreshed_at)
        body = cache.get(key)
        if body is None:
            body = _overview_body(request, scope, weeks)
            cache.set(key, body, BODY_CACHE_SECONDS)
        return render(
            request,
            "dashboards/overview.html",
            {"form": form, "scope": scope, "refreshed_at": refreshed_at, "body": body},
        )


# The figures change only when the aggregates are refreshed, and the refresh time is part of
# the key: a cached body is never stale, and the next refresh simply makes new keys.
BODY_CACHE_SECONDS = 15 * 60


def _body_cache_key(request, scope, refreshed_at) -> str:
    parts = [
        get_language(),
        str(scope.district.pk if scope.district else "city"),
        refreshed_at.isoformat() if refreshed_at else "never",
        urlencode(sorted(request.GET.items())),
    ]
    return "dashboards:overview:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def _sections(scope, weeks) -> dict:
    return {
        "districts": DistrictTable(selectors.district_rows(scope), prefix="d-"),
        "industries": BreakdownTable(
            selectors.breakdown_rows(scope, ProgressFact.Scope.INDUSTRY), prefix="i-"
        ),
        "sizes": BreakdownTable(
            selectors.breakdown_rows(scope, ProgressFact.Scope.SIZE), prefix="s-"
        ),
        "trend": TrendTable(selectors.weekly_trend(scope, weeks=weeks), prefix="t-"),
        "subjects": SubjectTable(selectors.subject_rows(scope, weeks=weeks), prefix="x-"),
        "centres": CentreTable(selectors.centre_rows(scope, weeks=weeks), prefix="c-"),
        "reviews": ReviewDueTable(selectors.reviews_due_rows(scope), prefix="r-"),
        "events": EventTable(selectors.event_rows(scope)[:50], prefix="e-"),
        "satisfaction": SatisfactionTable(satisfaction_rows(district=scope.district), prefix="f-"),
    }


def _overview_body(request, scope, weeks) -> str:
    """Everything under the filter: counters, charts and tables (the cached part)."""
    sections = _sections(scope, weeks)
    for table in sections.values():
        RequestConfig(request, paginate=False).configure(table)
    headline = selectors.headline(scope)
    return render_to_string(
        "dashboards/_overview_body.html",
        {
            "scope": scope,
            "headline": headline,
            "counters": _counters(headline),
            "target_text": f"{headline['target']:,}" if headline["target"] else "",
            "query": _query_without_export(request),
            "tables": sections,
            "charts": _overview_charts(sections, scope),
        },
        request=request,
    )


COUNTER_LABELS = (
    ("registered", gettext_lazy("Registered (real name)")),
    ("enrolled", gettext_lazy("Enrolled in a course")),
    ("trained", gettext_lazy("Trained")),
    ("examined", gettext_lazy("Sat the theory exam")),
    ("certified", gettext_lazy("Certified")),
)


def _counters(headline) -> list[dict]:
    counters = []
    for key, label in COUNTER_LABELS:
        percent = headline["percents"][key]
        counters.append(
            {
                "label": label,
                "value": f"{headline[key]:,}",
                "percent": percent,
                "width": min(percent or 0, 100),
            }
        )
    return counters


def _query_without_export(request) -> str:
    query = request.GET.copy()
    for name in ("table", "_export"):
        query.pop(name, None)
    return query.urlencode()


def _export(request, sections, scope):
    name, export_format = request.GET.get("table"), request.GET.get("_export")
    if name not in sections or export_format not in EXPORT_FORMATS:
        raise Http404
    place = scope.district.code if scope.district else "city"
    return TableExport(export_format, sections[name]).response(
        f"campaign-{name}-{place}.{export_format}"
    )


def _overview_charts(sections, scope) -> dict:
    no_data = _("No figures yet")
    districts = sections["districts"].data.data
    trend = sections["trend"].data.data
    subjects = sections["subjects"].data.data
    centres = sections["centres"].data.data
    drawn = {
        "trend": charts.line_chart(
            [
                charts.Series(str(_("Trained")), [row["trained"] for row in trend]),
                charts.Series(str(_("Sat the theory exam")), [row["examined"] for row in trend]),
                charts.Series(str(_("Certified")), [row["certified"] for row in trend]),
            ],
            x_labels=[row["week"].strftime("%m-%d") for row in trend],
            title=_("Workers trained, examined and certified, week by week"),
            empty_text=no_data,
        ),
        "industries": charts.bar_chart(
            [
                charts.Bar(row["label"], row["percent"] or 0)
                for row in sections["industries"].data.data[:12]
            ],
            title=_("Trained of registered, by industry"),
            percent=True,
            empty_text=no_data,
        ),
        "sizes": charts.bar_chart(
            [charts.Bar(row["label"], row["percent"] or 0) for row in sections["sizes"].data.data],
            title=_("Trained of registered, by enterprise size"),
            percent=True,
            empty_text=no_data,
        ),
        "subjects": charts.bar_chart(
            [charts.Bar(row["label"], row["practical_rate"] or 0) for row in subjects],
            title=_("Practical pass rate by subject"),
            percent=True,
            empty_text=no_data,
        ),
        "theory": charts.bar_chart(
            [charts.Bar(row["label"], row["theory_rate"] or 0) for row in subjects],
            title=_("Theory pass rate by subject"),
            percent=True,
            empty_text=no_data,
        ),
        "centres": charts.stacked_bar_chart(
            [
                charts.StackedBar(
                    row["label"],
                    {
                        "attended": row["attended"],
                        "no_show": row["no_show"],
                        "free": max(row["seats"] - row["booked"], 0),
                    },
                )
                for row in centres
            ],
            title=_("Seats by exam centre: attended, no-shows, left empty"),
            parts=[
                ("attended", str(_("Attended"))),
                ("no_show", str(_("No-shows"))),
                ("free", str(_("Seats left empty"))),
            ],
            empty_text=no_data,
        ),
        "satisfaction": charts.bar_chart(
            [
                charts.Bar(row["label"], row["average"])
                for row in sections["satisfaction"].data.data
                if row["owner"] == "center"
            ],
            title=_("Average stars by exam centre (out of 5)"),
            max_value=5,
            empty_text=_("No ratings yet"),
        ),
        "reviews": charts.bar_chart(
            [
                charts.Bar(row["week"].strftime("%m-%d"), row["certificates"])
                for row in sections["reviews"].data.data
            ],
            title=_("Certificates due for review, by week"),
            empty_text=_("None due in the next 90 days"),
        ),
    }
    if scope.district is None:
        drawn["map"] = charts.tile_grid(
            [charts.Tile(row["label"], row["percent"] or 0) for row in districts],
            title=_("Trained of target, by district"),
            columns=5,
            empty_text=no_data,
        )
        drawn["districts"] = charts.bar_chart(
            [charts.Bar(row["label"], row["percent"] or 0) for row in districts],
            title=_("Trained of target, by district"),
            percent=True,
            empty_text=no_data,
        )
    return drawn


class EnterpriseListView(ActionRequiredMixin, SingleTableMixin, AuditedExportMixin, FilterView):
    """Every enterprise in scope with its progress against its target."""

    required_action = Action.VIEW_CAMPAIGN
    table_class = EnterpriseTable
    filterset_class = EnterpriseFactFilter
    template_name = "dashboards/enterprises.html"
    paginate_by = 50
    export_name = "campaign-enterprises"

    def get_queryset(self):
        scope = scopes.dashboard_scope(viewer=self.request.user, district_code=None)
        return selectors.enterprise_facts(scope)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["viewer"] = self.request.user
        return kwargs


class EnterpriseDashboardView(ActionRequiredMixin, View):
    """One enterprise: completion against its target, certificates falling due, who has not
    started. Its administrator sees their own; officers any enterprise in their scope."""

    required_action = Action.VIEW_WORKERS

    def allows(self, request, *args, **kwargs) -> bool:
        # Refuses (PermissionDenied) an enterprise outside the viewer's scope.
        self.enterprise = scopes.enterprise_dashboard_enterprise(
            viewer=request.user, enterprise_id=kwargs.get("enterprise_id")
        )
        return True

    def get(self, request, enterprise_id: int | None = None):
        return _enterprise_dashboard(request, self.enterprise, own=enterprise_id is None)


def _enterprise_dashboard(request, enterprise, *, own: bool):
    fact = selectors.enterprise_fact(enterprise)
    expiring = CertificatesExpiringTable(
        selectors.certificates_expiring(enterprise=enterprise), prefix="cert-"
    )
    not_started = NotStartedTable(
        selectors.workers_not_started(enterprise=enterprise), prefix="ns-"
    )
    export_format = request.GET.get("_export")
    if export_format is not None:
        tables_by_name = {"expiring": expiring, "not-started": not_started}
        name = request.GET.get("table")
        if name not in tables_by_name or export_format not in EXPORT_FORMATS:
            raise Http404
        # Names, ID numbers and phones: every export is in the audit trail.
        services.enterprise_table_export_record(
            actor=request.user, enterprise=enterprise, table=name, export_format=export_format
        )
        return TableExport(export_format, tables_by_name[name]).response(
            f"{name}-{enterprise.uscc}.{export_format}"
        )
    RequestConfig(request, paginate={"per_page": 20}).configure(expiring)
    RequestConfig(request, paginate={"per_page": 20}).configure(not_started)
    steps = [
        (_("Registered workers"), fact.registered if fact else 0),
        (_("Enrolled"), fact.enrolled if fact else 0),
        (_("Trained"), fact.trained if fact else 0),
        (_("Sat the theory exam"), fact.examined if fact else 0),
        (_("Certified"), fact.certified if fact else 0),
    ]
    target = fact.target if fact else None
    funnel = charts.bar_chart(
        [charts.Bar(str(label), value) for label, value in steps],
        title=_("Workers at each step"),
        max_value=max(target or 0, steps[0][1]) or None,
        empty_text=_("No figures yet"),
    )
    return render(
        request,
        "dashboards/enterprise.html",
        {
            "enterprise": enterprise,
            "fact": fact,
            "target": target,
            "percent": percent_of(fact.trained, target) if fact else None,
            "not_started_count": (fact.registered - fact.enrolled) if fact else None,
            "funnel": funnel,
            "steps": steps,
            "expiring": expiring,
            "not_started": not_started,
            "refreshed_at": selectors.refreshed_at(),
            "own": own,
        },
    )


class ReportsMixin(ActionRequiredMixin):
    """The weekly reports of the viewer's scope (the bureau: every district and the city)."""

    required_action = Action.VIEW_CAMPAIGN

    def allows(self, request, *args, **kwargs) -> bool:
        self.scope = scopes.dashboard_scope(viewer=request.user, district_code=None)
        return True


class ReportListView(ReportsMixin, View):
    def get(self, request):
        listed = scopes.reports_visible_in(self.scope)
        return render(
            request, "dashboards/reports.html", {"reports": listed[:100], "scope": self.scope}
        )


class ReportDownloadView(ReportsMixin, View):
    def get(self, request, report_id: int):
        report = get_object_or_404(WeeklyReport.objects.select_related("district"), pk=report_id)
        if self.scope.district is not None and report.district_id != self.scope.district.pk:
            raise PermissionDenied  # another district's report
        place = report.district.code if report.district else "city"
        return private_file_response(
            report.file,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename=f"anxun-weekly-{place}-{report.week:%Y-%m-%d}.xlsx",
            as_attachment=True,
        )
