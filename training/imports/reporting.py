"""The import report's refused rows as a file to fix and upload again (an audited export)."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from .. import events
from ..models import RosterImport
from .reading import TEMPLATE_HEADERS


def _excel_text(value: str) -> str:
    """A long number Excel would round (an 18-digit ID number) kept as text by a trailing tab;
    the import strips it again."""
    return value + "\t" if len(value) > 11 and value.isdigit() else value


@transaction.atomic
def roster_import_refused_export(*, roster_import: RosterImport, actor: User) -> list[list]:
    """The refused rows in the template's columns with the row number and the reasons, headed
    by the column names; the export is written in the audit trail."""
    keys = list(TEMPLATE_HEADERS)
    rows = [[TEMPLATE_HEADERS[key] for key in keys] + [_("Row in the file"), _("Reasons")]]
    rows += [
        [_excel_text(entry.get(key, "")) for key in keys]
        + [entry["row"], "；".join(entry["reasons"])]
        for entry in roster_import.errors
    ]
    events.roster_import_refused_exported(actor=actor, roster_import=roster_import)
    return rows
