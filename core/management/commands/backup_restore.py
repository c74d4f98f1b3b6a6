from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup into a new database and new media directories, then compare every "
        "table's row count and every file with the backup's manifest; fails on any difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--database", required=True, help="the new database's name")
        parser.add_argument("--media-root", required=True)
        parser.add_argument("--private-media-root", required=True)

    def handle(self, *args, directory, database, media_root, private_media_root, **options):
        try:
            comparison = backup_restore(
                Path(directory),
                database_name=database,
                media_root=Path(media_root),
                private_root=Path(private_media_root),
            )
        except (BackupError, FileExistsError) as error:
            raise CommandError(str(error)) from error
        if not comparison.ok:
            raise CommandError(
                "The restore differs from the backup:\n" + "\n".join(comparison.lines())
            )
        self.stdout.write(f"Restored into {database}: every table's rows and every file match.")
