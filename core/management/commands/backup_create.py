from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format) and the public and private media into a "
        "new directory, with a manifest of row counts and file checksums from the same snapshot."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a directory that does not exist yet")

    def handle(self, *args, directory, **options):
        try:
            manifest = backup_create(Path(directory))
        except (BackupError, FileExistsError) as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        files = sum(len(listed) for listed in manifest["files"].values())
        self.stdout.write(
            f"Backed up {rows:,} rows in {len(manifest['tables'])} tables and {files:,} files to {directory}"
        )
