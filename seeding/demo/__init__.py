"""The Chinese demo, one module per app it fills, seeded in dependency order by ``seed_demo``.

Each module has ``seed(*, stdout) -> list`` (idempotent: what exists is found by its natural key
and left as it is) returning the demo logins it made as ``(role, login, password)``.
"""

from importlib import import_module

# Dependency order: each app's demo may use what the ones before it made.
DEMO_APPS = ("accounts", "cms", "training", "exams", "feedback", "dashboards")


def demo_seed(*, stdout) -> list:
    """Seed every app's demo in ``DEMO_APPS`` order; returns the logins they made."""
    logins: list[tuple] = []
    for app in DEMO_APPS:
        module = import_module(f"seeding.demo.{app}")
        logins.extend(module.seed(stdout=stdout) or [])
    return logins
