"""Every user-facing string has a Chinese translation.

Extracts the strings from the source the way `make makemessages` does (into a scratch copy of
the catalogue, leaving the tree untouched) and fails, listing them, if any is untranslated or
fuzzy. Needs gettext's tools (installed by `make sysdeps`).
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [ROOT / "locale/zh_Hans/LC_MESSAGES" / name for name in ("django.po", "djangojs.po")]


def entries(po: Path, *flags: str) -> list[str]:
    output = subprocess.run(
        ["msgattrib", *flags, "--no-wrap", str(po)], capture_output=True, text=True, check=True
    ).stdout
    return [
        line[7:-1]
        for line in output.splitlines()
        if line.startswith('msgid "') and line != 'msgid ""'
    ]


def main() -> int:
    backups = {}
    with tempfile.TemporaryDirectory() as scratch:
        for po in CATALOGUES:
            if po.exists():
                backups[po] = Path(scratch) / po.name
                shutil.copy2(po, backups[po])
        try:
            for domain in ("django", "djangojs"):
                subprocess.run(
                    [
                        sys.executable,
                        "manage.py",
                        "makemessages",
                        "-l",
                        "zh_Hans",
                        "-d",
                        domain,
                        "--ignore=.venv/*",
                        "--ignore=staticfiles/*",
                        "--no-obsolete",
                        "--no-location",
                        "--no-wrap",
                        "-v0",
                    ],
                    cwd=ROOT,
                    check=True,
                )
            problems = []
            for po in CATALOGUES:
                if not po.exists():
                    continue
                for msgid in entries(po, "--untranslated"):
                    problems.append(f"{po.name}: untranslated: {msgid}")
                for msgid in entries(po, "--only-fuzzy"):
                    problems.append(f"{po.name}: fuzzy: {msgid}")
        finally:
            for po in CATALOGUES:
                if po in backups:
                    shutil.copy2(backups[po], po)
                elif po.exists():
                    po.unlink()
    if problems:
        print("Strings without a Chinese translation (run `make makemessages`, then translate):")
        print("\n".join(f"  {line}" for line in problems))
        return 1
    print("Translations: every string has a zh-hans translation.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
