"""Campaign figures: each app may have a ``figures.py`` with ``compute() -> dict[str, int]``;
``campaign_figures_refresh`` runs them all (INSTALLED_APPS order) and stores the results."""

from importlib import import_module

from django.apps import apps
from django.db import transaction

from .models import CampaignFigure

# The figures every page may show, in display order; apps that do not exist yet report none.
CAMPAIGN_FIGURES = ("registered", "trained", "examined", "certified", "enterprises")


def _providers():
    for app_config in apps.get_app_configs():
        try:
            yield import_module(f"{app_config.name}.figures")
        except ModuleNotFoundError as error:
            if error.name != f"{app_config.name}.figures":
                raise


@transaction.atomic
def campaign_figures_refresh() -> dict[str, int]:
    """Recompute every figure and store it (idempotent: running twice writes the same rows)."""
    values = dict.fromkeys(CAMPAIGN_FIGURES, 0)
    for provider in _providers():
        if provider.__name__ != __name__:
            values.update(provider.compute())
    for key, value in values.items():
        CampaignFigure.objects.update_or_create(key=key, defaults={"value": value})
    return values


def campaign_figures() -> dict[str, int]:
    """The stored figures (one query); zeros for figures not computed yet."""
    stored = dict(CampaignFigure.objects.values_list("key", "value"))
    return {key: stored.get(key, 0) for key in CAMPAIGN_FIGURES}


def percent_of(part: int, whole: int | None) -> float | None:
    """``part`` as a percentage of ``whole``, one decimal; None when there is no whole."""
    return round(100 * part / whole, 1) if whole else None
