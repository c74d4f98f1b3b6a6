"""Creating a roster import: the file checked, stored in private storage, the run enqueued."""

from pathlib import PurePath
from uuid import uuid4

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import Enterprise, User
from core.spreadsheets import too_big

from ..models import RosterImport
from .reading import import_max_bytes, roster_file_read


@transaction.atomic
def roster_import_create(
    *, enterprise: Enterprise, uploaded_by: User, uploaded_file
) -> RosterImport:
    """Check the file (``DomainError`` for a file-level problem: nothing saved), store it in
    private storage and enqueue the import once the transaction commits.

    The caller has checked that ``uploaded_by`` answers for ``enterprise``.
    """
    name = PurePath(getattr(uploaded_file, "name", "") or "").name
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > import_max_bytes():
        raise too_big(size, limit=import_max_bytes())
    uploaded_file.seek(0)
    content = uploaded_file.read(import_max_bytes() + 1)
    rows = roster_file_read(name=name, content=content)
    roster_import = RosterImport(
        enterprise=enterprise,
        uploaded_by=uploaded_by,
        original_name=name[:200],
        total_rows=len(rows),
    )
    suffix = PurePath(name).suffix.lower()
    roster_import.file.save(f"{uuid4().hex}{suffix}", ContentFile(content), save=False)
    roster_import.save()

    from ..tasks import run_roster_import

    run_roster_import.delay_on_commit(roster_import.pk)
    return roster_import
