"""Enterprise roster imports: read a CSV/XLSX file of workers, then add them row by row.

``roster_file_read`` turns a file into rows or refuses the whole file (``DomainError``: wrong
type, too big, unreadable encoding, missing columns, no rows); nothing is saved then.
``roster_import_create`` checks the file the same way, stores it and enqueues the import.
``roster_import_run`` adds the rows in batches, each row in its own savepoint: a row is created,
found already on the roster, or refused with its reasons, and a refused row changes nothing.
It is safe to run twice: a finished import is returned unchanged, and an interrupted one
continues after the last committed batch.

The package follows those three steps: ``reading`` (the file), ``creating`` (an import stored
and enqueued) and ``running`` (the rows added). An enterprise's imports are read through
``training.scopes.roster_imports_of``.
"""

from .creating import roster_import_create
from .reading import (
    COLUMNS,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    REQUIRED_COLUMNS,
    TEMPLATE_EXAMPLE,
    TEMPLATE_HEADERS,
    import_max_bytes,
    import_max_rows,
    roster_file_read,
)
from .reporting import roster_import_refused_export
from .running import BATCH_SIZE, roster_import_run

__all__ = [
    "BATCH_SIZE",
    "COLUMNS",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "REQUIRED_COLUMNS",
    "TEMPLATE_EXAMPLE",
    "TEMPLATE_HEADERS",
    "import_max_bytes",
    "import_max_rows",
    "roster_file_read",
    "roster_import_create",
    "roster_import_refused_export",
    "roster_import_run",
]
