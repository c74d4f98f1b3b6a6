"""Loading reference data (districts, industries) from JSON files: data, not code.

Apps above accounts keep reference data of their own (feedback: the working-day calendar);
they register a loader here from their ``AppConfig.ready`` (``reference_loader_register``) and
``manage.py load_reference_data`` runs it after the districts and industries, so one command
fills every table an installation needs while accounts imports no app above it.
"""

import json
from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from .models import District, Industry

# A loader takes no argument, writes idempotently, and answers a line for the operator.
ReferenceLoader = Callable[[], str]
_loaders: dict[str, ReferenceLoader] = {}


def reference_loader_register(*, name: str, load: ReferenceLoader) -> None:
    """Register (or replace, under the same name) an app's reference-data loader."""
    _loaders[name] = load


def reference_loaders() -> dict[str, ReferenceLoader]:
    return dict(_loaders)


@transaction.atomic
def reference_data_load(*, districts_file: Path, industries_file: Path) -> dict[str, int]:
    """Create or update by code; safe to run again. Returns how many rows each file holds."""
    districts = json.loads(Path(districts_file).read_text(encoding="utf-8"))
    city, _ = District.objects.update_or_create(
        code=districts["city"]["code"], defaults={"name": districts["city"]["name"], "parent": None}
    )
    for order, row in enumerate(districts["districts"], start=1):
        District.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "parent": city, "sort_order": order}
        )
    industries = json.loads(Path(industries_file).read_text(encoding="utf-8"))
    for row in industries["industries"]:
        Industry.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})
    return {"districts": len(districts["districts"]), "industries": len(industries["industries"])}
