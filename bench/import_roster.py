"""Benchmark: import an N-row roster file into PostgreSQL with ``roster_import_run``.

    DJANGO_SETTINGS_MODULE=config.settings.integration .venv/bin/python bench/import_roster.py --rows 10000

Creates a scratch database (``anxun_bench`` by default; dropped and re-created, then dropped at
the end unless ``--keep``) on the PostgreSQL server of PGHOST/PGPORT/PGUSER (127.0.0.1:5432,
postgres), migrates it, registers an enterprise, writes a CSV of N rows (about 2% of them bad
in the ways the report names), and times the import service end to end (reading the stored
file, validating, creating users and profiles with their audit rows, writing the report), then
times importing the same file again (every row already on the roster). Celery is not involved:
the task only calls the same service.
"""

import argparse
import csv
import io
import os
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国"
DISTRICT_VALUES = ["", "西湖区", "330108", "萧山区", ""]


def id_number(n: int) -> str:
    from stdnum.cn import ric

    birth = date(1985, 1, 1) + timedelta(days=n // 1000)
    first17 = f"330106{birth:%Y%m%d}{n % 1000:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


def roster_csv(rows: int) -> tuple[bytes, int]:
    """N data rows; every 50th is bad (checksum, mobile, district or a duplicate ID)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["姓名", "身份证号", "手机号", "区县", "行业"])
    bad = 0
    for n in range(rows):
        name = SURNAMES[n % len(SURNAMES)] + GIVEN[n // 7 % len(GIVEN)] + GIVEN[n % len(GIVEN)]
        row = [name, id_number(n), f"139{n:08d}", DISTRICT_VALUES[n % 5], ""]
        if n % 50 == 49:
            bad += 1
            kind = n // 50 % 4
            if kind == 0:
                row[1] = row[1][:-1] + ("1" if row[1][-1] == "0" else "0")
            elif kind == 1:
                row[2] = "1390000"
            elif kind == 2:
                row[3] = "火星区"
            else:
                row[1] = id_number(n - 1)
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8"), bad


def admin_connection():
    return psycopg.connect(
        host=os.environ.get("PGHOST", "127.0.0.1"),
        port=os.environ.get("PGPORT", "5432"),
        user=os.environ.get("PGUSER", "postgres"),
        password=os.environ.get("PGPASSWORD", ""),
        dbname="postgres",
        autocommit=True,
    )


def recreate(database: str, *, create: bool) -> None:
    with admin_connection() as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )
        if create:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def timed_import(*, enterprise, admin, name: str, content: bytes):
    from django.core.files.base import ContentFile

    from training.imports import roster_import_run
    from training.models import RosterImport

    roster_import = RosterImport(enterprise=enterprise, uploaded_by=admin, original_name=name)
    roster_import.file.save(name, ContentFile(content), save=True)
    started = time.perf_counter()
    roster_import = roster_import_run(import_id=roster_import.pk)
    return roster_import, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database", default="anxun_bench")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    arguments = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.integration")
    os.environ["ANXUN_TEST_DATABASE_NAME"] = arguments.database
    recreate(arguments.database, create=True)
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from stdnum.cn import uscc

        from accounts import services
        from accounts.models import District, Industry, Role, User

        assert connection.vendor == "postgresql", "run with config.settings.integration"
        settings.ANXUN_IMPORT_MAX_ROWS = max(arguments.rows, 20_000)
        settings.ANXUN_IMPORT_MAX_BYTES = 200 * 1024 * 1024
        call_command("migrate", verbosity=0)
        call_command("load_reference_data", verbosity=0)
        admin = User.objects.create_user(username="bench-admin", password=None)
        body = "91330106MA2T0001X"
        enterprise = services.enterprise_create(
            name="杭州基准测试有限公司",
            uscc=body + uscc.calc_check_digit(body),
            district=District.objects.get(code="330106"),
            industry=Industry.objects.get(code="C"),
            actor=None,
        )
        services.role_grant(
            user=admin, role=Role.ENTERPRISE_ADMIN, actor=None, enterprise=enterprise
        )

        content, bad = roster_csv(arguments.rows)
        print(
            f"PostgreSQL {connection.cursor().connection.info.server_version} · "
            f"{os.cpu_count()} CPUs · {arguments.rows} rows ({bad} bad, "
            f"{len(content) / 1024:.0f} KiB CSV)"
        )
        first, seconds = timed_import(
            enterprise=enterprise, admin=admin, name="bench.csv", content=content
        )
        print(
            f"first import:  {seconds:6.2f} s  {arguments.rows / seconds:7.0f} rows/s  "
            f"created {first.created_count}, existing {first.existing_count}, "
            f"refused {first.error_count}, status {first.status}"
        )
        again, seconds = timed_import(
            enterprise=enterprise, admin=admin, name="bench-again.csv", content=content
        )
        print(
            f"same file again: {seconds:6.2f} s  {arguments.rows / seconds:7.0f} rows/s  "
            f"created {again.created_count}, existing {again.existing_count}, "
            f"refused {again.error_count}, status {again.status}"
        )
        reasons = Counter(reason for entry in first.errors for reason in entry["reasons"])
        for reason, count in reasons.most_common(8):
            print(f"  {count:6d} × {reason}")
        connection.close()
    finally:
        if not arguments.keep:
            recreate(arguments.database, create=False)


if __name__ == "__main__":
    main()
