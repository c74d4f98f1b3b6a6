from .models import Certificate


def compute() -> dict[str, int]:
    """Workers holding a certificate in force (not revoked or replaced; see core.figures)."""
    certified = (
        Certificate.objects.filter(state=Certificate.State.ACTIVE)
        .values("holder_id")
        .distinct()
        .count()
    )
    return {"certified": certified}
