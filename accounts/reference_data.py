"""Loading reference data (districts, industries) from JSON files: data, not code."""

import json
from pathlib import Path

from django.db import transaction

from .models import District, Industry


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
