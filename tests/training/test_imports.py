"""Roster imports: reading files, the row-by-row report, idempotence, and who may import."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path, reverse
from django.utils import translation

from accounts import services
from accounts.models import District, Enterprise, Industry, Role, User, WorkerProfile
from config.urls import urlpatterns as project_urlpatterns
from core.errors import DomainError
from core.models import AuditEvent
from tests.factories import (
    EnterpriseFactory,
    UserFactory,
    WorkerProfileFactory,
    make_id_number,
    make_uscc,
)
from training import imports
from training.imports import roster_file_read, roster_import_create, roster_import_run, running
from training.models import RosterImport
from training.tasks import run_roster_import

# The project's URLs, with the imports included where config/urls.py puts them (until it does).
urlpatterns = (
    project_urlpatterns
    if any(getattr(p, "namespace", None) == "training_imports" for p in project_urlpatterns)
    else [path("enterprise/imports/", include("training.urls_imports")), *project_urlpatterns]
)
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

HEADER = ["姓名", "身份证号", "手机号", "区县", "行业"]


def csv_bytes(rows, *, header=HEADER, encoding="utf-8", bom=False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return ("\ufeff" if bom else "").encode("utf-8") + buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [header, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def world(reference_data):
    xihu = District.objects.get(code="330106")
    industry = Industry.objects.get(code="C")
    ours = EnterpriseFactory(district=xihu, industry=industry, uscc=make_uscc(7001))
    theirs = EnterpriseFactory(district=xihu, industry=industry, uscc=make_uscc(7002))
    admin, their_admin = UserFactory(), UserFactory()
    services.role_grant(user=admin, role=Role.ENTERPRISE_ADMIN, actor=None, enterprise=ours)
    services.role_grant(user=their_admin, role=Role.ENTERPRISE_ADMIN, actor=None, enterprise=theirs)
    return {"ours": ours, "theirs": theirs, "admin": admin, "their_admin": their_admin}


def import_file(
    capture, *, enterprise: Enterprise, user: User, name: str, content: bytes
) -> RosterImport:
    with translation.override("en"), capture(execute=True):
        roster_import = roster_import_create(
            enterprise=enterprise,
            uploaded_by=user,
            uploaded_file=SimpleUploadedFile(name, content),
        )
    roster_import.refresh_from_db()
    return roster_import


# --- Reading files --------------------------------------------------------------------------


ROWS = [
    [" 李四 ", " 330106198501010014 ", " 138 1234 5678 ", "西湖区", ""],
    ["", "", "", "", ""],
    ["王五", "330106198602020026", "13912345678", "", "建筑业"],
]
EXPECTED = [
    {
        "row": 2,
        "name": "李四",
        "id_number": "330106198501010014",
        "mobile": "138 1234 5678",
        "district": "西湖区",
        "industry": "",
    },
    {
        "row": 4,
        "name": "王五",
        "id_number": "330106198602020026",
        "mobile": "13912345678",
        "district": "",
        "industry": "建筑业",
    },
]


@pytest.mark.parametrize(
    "content",
    [
        csv_bytes(ROWS),
        csv_bytes(ROWS, bom=True),
        csv_bytes(ROWS, encoding="gb18030"),
        csv_bytes(ROWS, encoding="gbk"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "gbk"],
)
def test_csv_is_read_in_utf8_and_gb18030_with_blank_rows_skipped(content):
    assert roster_file_read(name="名单.csv", content=content) == EXPECTED


def test_xlsx_is_read_with_numbers_as_text():
    rows = [[*ROWS[0][:2], 13812345678, 330106, None], [None] * 5, ROWS[2]]
    result = roster_file_read(name="名单.XLSX", content=xlsx_bytes(rows))
    assert result[0]["mobile"] == "13812345678"
    assert result[0]["district"] == "330106"
    assert [row["row"] for row in result] == [2, 4]


def test_english_headers_notes_and_a_title_row_are_accepted():
    content = "Staff of ACME\nName,ID number*,Mobile（必填）,District\n张三,x,y,z\n".encode()
    assert roster_file_read(name="a.csv", content=content) == [
        {"row": 3, "name": "张三", "id_number": "x", "mobile": "y", "district": "z", "industry": ""}
    ]


def test_semicolon_and_tab_separated_files_are_read():
    for delimiter in (";", "\t"):
        content = delimiter.join(HEADER[:3]).encode() + b"\n" + delimiter.join("abc").encode()
        assert roster_file_read(name="a.csv", content=content)[0]["mobile"] == "c"


def file_error(name: str, content: bytes) -> DomainError:
    with translation.override("en"), pytest.raises(DomainError) as raised:
        roster_file_read(name=name, content=content)
    return raised.value


def test_missing_columns_are_named():
    error = file_error("a.csv", csv_bytes([["张三", "13812345678"]], header=["姓名", "手机号"]))
    assert error.code == "missing_columns"
    assert "身份证号" in str(error.message)
    assert "手机号" not in str(error.message)


def test_a_column_named_twice_is_refused():
    error = file_error("a.csv", csv_bytes([], header=["姓名", "name", "身份证号", "手机号"]))
    assert error.code == "duplicate_column"


@pytest.mark.parametrize("name", ["roster.txt", "roster.xls", "roster", "roster.pdf"])
def test_other_file_types_are_refused(name):
    assert file_error(name, csv_bytes(ROWS)).code == "file_type"


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.ANXUN_IMPORT_MAX_BYTES = 100
    error = file_error("a.csv", csv_bytes(ROWS * 5))
    assert error.code == "too_big"
    assert "100" in str(error.message)


def test_a_file_over_the_row_limit_is_refused(settings):
    settings.ANXUN_IMPORT_MAX_ROWS = 3
    assert file_error("a.csv", csv_bytes([ROWS[0]] * 4)).code == "too_many_rows"
    assert len(roster_file_read(name="a.csv", content=csv_bytes([ROWS[0]] * 3))) == 3


def test_default_limits():
    assert imports.DEFAULT_MAX_BYTES == 5 * 1024 * 1024
    assert imports.DEFAULT_MAX_ROWS == 20_000


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("a.csv", "姓名,身份证号,手机号\n张三,1,2\n".encode("utf-16"), "encoding"),
        ("a.csv", "姓名,身份证号,手机号\n".encode() + b"\x81\x20\xff\n", "encoding"),
        ("a.csv", b"PK\x03\x04\x00\x00binary", "not_text"),
        ("a.csv", b"   \n", "empty"),
        ("a.csv", csv_bytes([]), "no_rows"),
        (
            "a.csv",
            b'\xe5\xa7\x93\xe5\x90\x8d,id_number,mobile\n"unterminated\n' + b"x" * 200_000,
            "malformed",
        ),
        ("a.xlsx", b"not a workbook at all", "malformed"),
        ("a.xlsx", csv_bytes(ROWS), "malformed"),
    ],
    ids=[
        "utf-16",
        "undecodable",
        "binary",
        "empty",
        "header-only",
        "huge-field",
        "junk",
        "csv-as-xlsx",
    ],
)
def test_unreadable_files_get_a_clear_refusal(name, content, code):
    assert file_error(name, content).code == code


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert file_error("a.xlsx", buffer.getvalue()).code == "malformed"


# --- The report -----------------------------------------------------------------------------


@pytest.fixture
def mixed_file(world):
    """One row of each kind; returns the file and what the report must say."""
    other_workers_user = UserFactory()
    someone_elses_worker = WorkerProfileFactory(employer=world["theirs"])
    our_worker = WorkerProfileFactory(employer=world["ours"])
    good, good2, dup_mobile_id = make_id_number(501), make_id_number(502), make_id_number(503)
    rows = [
        ["李四", good, "13900000001", "", ""],  # 2 created
        ["王五", good[:-1] + ("0" if good[-1] != "0" else "1"), "13900000002", "", ""],  # 3
        ["赵六", make_id_number(504), "1390000", "", ""],  # 4 malformed mobile
        ["钱七", make_id_number(505), "13900000005", "火星区", ""],  # 5 unknown district
        ["孙八", good, "13900000006", "", ""],  # 6 duplicate ID of row 2
        ["周九", make_id_number(507), other_workers_user.phone[3:], "", ""],  # 7 mobile taken
        ["吴十", someone_elses_worker.id_number, "13900000008", "", ""],  # 8 other enterprise
        ["", "", "", "", ""],  # 9 blank: skipped
        ["郑一", good2, "+86 139-0000-0010", "330108", "建筑业"],  # 10 created
        [our_worker.real_name, our_worker.id_number, "13900000011", "", ""],  # 11 existing
        ["冯二", dup_mobile_id, "13900000001", "", ""],  # 12 duplicate mobile of row 2
        ["陈三", make_id_number(513), "13900000013", "", "养殖业"],  # 13 unknown industry
    ]
    with translation.override("en"):
        expected = [
            (3, ["The check digit of this ID number does not match; please check every digit."]),
            (
                4,
                ["Enter an 11-digit mainland mobile number starting with 1, e.g. 13812345678."],
            ),
            (5, ["Unknown district “火星区”: give a district name or its six-digit code."]),
            (6, ["The same ID number is already in row 2 of this file."]),
            (7, ["This mobile number is already registered to another person."]),
            (
                8,
                [
                    "This ID number is registered to a worker of another enterprise; only the "
                    "worker can change their employer, in their own profile."
                ],
            ),
            (12, ["The same mobile number is already in row 2 of this file."]),
            (13, ["Unknown industry “养殖业”: give an industry name or its code."]),
        ]
    return {
        "content": csv_bytes(rows),
        "expected": expected,
        "someone_elses_worker": someone_elses_worker,
        "ids": (good, good2),
        "rows": rows,
    }


def test_valid_rows_are_imported_and_invalid_rows_reported(
    world, mixed_file, django_capture_on_commit_callbacks
):
    users_before, audit_before = User.objects.count(), AuditEvent.objects.count()
    roster_import = import_file(
        django_capture_on_commit_callbacks,
        enterprise=world["ours"],
        user=world["admin"],
        name="名单.csv",
        content=mixed_file["content"],
    )
    assert roster_import.status == RosterImport.Status.DONE
    assert (roster_import.total_rows, roster_import.processed_rows) == (11, 11)
    assert (roster_import.created_count, roster_import.existing_count) == (2, 1)
    assert roster_import.error_count == 8
    assert [(e["row"], e["reasons"]) for e in roster_import.errors] == mixed_file["expected"]
    assert roster_import.errors[0]["name"] == "王五"
    assert roster_import.errors[0]["id_number"] == mixed_file["rows"][1][1]  # as typed

    # Only the two valid new rows changed anything: two users, two profiles, two audit rows.
    assert User.objects.count() == users_before + 2
    assert AuditEvent.objects.count() == audit_before + 2
    assert set(
        AuditEvent.objects.filter(verb="worker_profile.created").values_list("actor", flat=True)
    ) == {world["admin"].pk}
    first = WorkerProfile.objects.select_related("user").get(id_number=mixed_file["ids"][0])
    assert first.real_name == "李四"
    assert first.employer == world["ours"]
    assert (first.district.code, first.industry.code) == ("330106", "C")  # the enterprise's
    assert first.user.phone == "+8613900000001"
    assert not first.user.phone_verified
    assert not first.user.has_usable_password()
    assert first.user.username.startswith("w")
    second = WorkerProfile.objects.get(id_number=mixed_file["ids"][1])
    assert (second.district.name, second.industry.name) == ("滨江区", "建筑业")
    assert second.user.phone == "+8613900000010"
    # The other enterprise's worker stays where they are.
    mixed_file["someone_elses_worker"].refresh_from_db()
    assert mixed_file["someone_elses_worker"].employer == world["theirs"]
    assert not WorkerProfile.objects.filter(real_name__in=["孙八", "冯二", "陈三"]).exists()


def test_reimporting_the_same_file_creates_no_duplicates(
    world, mixed_file, django_capture_on_commit_callbacks
):
    arguments = {
        "enterprise": world["ours"],
        "user": world["admin"],
        "name": "名单.csv",
        "content": mixed_file["content"],
    }
    import_file(django_capture_on_commit_callbacks, **arguments)
    users, profiles = User.objects.count(), WorkerProfile.objects.count()
    again = import_file(django_capture_on_commit_callbacks, **arguments)
    assert (again.created_count, again.existing_count, again.error_count) == (0, 3, 8)
    assert (User.objects.count(), WorkerProfile.objects.count()) == (users, profiles)


def test_a_worker_without_employer_is_not_taken_over(world, django_capture_on_commit_callbacks):
    loner = WorkerProfileFactory(employer=None, district=world["ours"].district)
    roster_import = import_file(
        django_capture_on_commit_callbacks,
        enterprise=world["ours"],
        user=world["admin"],
        name="a.csv",
        content=csv_bytes([[loner.real_name, loner.id_number, "13900000099"]], header=HEADER[:3]),
    )
    assert roster_import.error_count == 1
    assert "lists no employer" in roster_import.errors[0]["reasons"][0]
    loner.refresh_from_db()
    assert loner.employer is None


def test_a_row_with_several_problems_lists_them_all(world, django_capture_on_commit_callbacks):
    rows = [["X", "123", "", "火星区", ""], [*imports.TEMPLATE_EXAMPLE.values()]]
    roster_import = import_file(
        django_capture_on_commit_callbacks,
        enterprise=world["ours"],
        user=world["admin"],
        name="a.csv",
        content=csv_bytes(rows),
    )
    with translation.override("en"):
        assert roster_import.errors == [
            {
                "row": 2,
                "name": "X",
                "id_number": "123",
                "mobile": "",
                "district": "火星区",
                "industry": "",
                "reasons": [
                    "A name has 2 to 50 characters: Chinese characters, letters or the dot ·.",
                    "A resident ID number has 18 characters; this one has 3.",
                    "The mobile number is missing.",
                    "Unknown district “火星区”: give a district name or its six-digit code.",
                ],
            },
            {
                "row": 3,
                "name": "张三",
                "id_number": "11010519491231002X",
                "mobile": "13800138000",
                "district": "西湖区",
                "industry": "制造业",
                "reasons": ["This is the example row of the template: delete it."],
            },
        ]


def test_an_id_number_rounded_by_excel_is_explained(world, django_capture_on_commit_callbacks):
    roster_import = import_file(
        django_capture_on_commit_callbacks,
        enterprise=world["ours"],
        user=world["admin"],
        name="a.xlsx",
        content=xlsx_bytes([["李四", "3.30106E+17", "13900000001"]], header=HEADER[:3]),
    )
    assert "rounded number (3.30106E+17)" in roster_import.errors[0]["reasons"][0]


def test_an_id_number_excel_stored_as_a_number_is_explained(
    world, django_capture_on_commit_callbacks
):
    """A cell not formatted as text: Excel keeps 15 digits, and openpyxl reads the rounded
    number back (a float, or an int whose last digits are zeros), not the ID number typed."""
    right = make_id_number(4242)
    roster_import = import_file(
        django_capture_on_commit_callbacks,
        enterprise=world["ours"],
        user=world["admin"],
        name="a.xlsx",
        content=xlsx_bytes(
            [
                ["李四", 3.30106199001011e17, "13900000001"],
                ["王五", 330106199001011000, "13900000002"],
                ["赵六", right, "13900000003"],
            ],
            header=HEADER[:3],
        ),
    )
    assert (roster_import.created_count, roster_import.error_count) == (1, 2)
    for error in roster_import.errors:
        [reason] = error["reasons"]
        assert "rounded number (3.30106199001011E+17)" in reason
        assert "format the column as text" in reason
    assert list(WorkerProfile.objects.values_list("id_number", flat=True)) == [right]


def test_a_bad_file_saves_nothing_and_enqueues_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(DomainError):
        roster_import_create(
            enterprise=world["ours"],
            uploaded_by=world["admin"],
            uploaded_file=SimpleUploadedFile("a.csv", csv_bytes([], header=["姓名"])),
        )
    assert callbacks == []
    assert not RosterImport.objects.exists()


def test_create_stores_the_file_privately_and_enqueues_on_commit(
    world, settings, django_capture_on_commit_callbacks
):
    content = csv_bytes([ROWS[0]])
    with django_capture_on_commit_callbacks() as callbacks:
        roster_import = roster_import_create(
            enterprise=world["ours"],
            uploaded_by=world["admin"],
            uploaded_file=SimpleUploadedFile("我的名单.csv", content),
        )
    assert len(callbacks) == 1
    assert roster_import.status == RosterImport.Status.QUEUED
    assert (roster_import.original_name, roster_import.total_rows) == ("我的名单.csv", 1)
    assert roster_import.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert roster_import.file.read() == content


def test_the_task_is_idempotent(world, mixed_file, django_capture_on_commit_callbacks):
    roster_import = import_file(
        django_capture_on_commit_callbacks,
        enterprise=world["ours"],
        user=world["admin"],
        name="a.csv",
        content=mixed_file["content"],
    )
    users, updated_at = User.objects.count(), roster_import.updated_at
    assert run_roster_import.delay(roster_import.pk).get() == RosterImport.Status.DONE
    assert run_roster_import(roster_import.pk) == RosterImport.Status.DONE
    roster_import.refresh_from_db()
    assert roster_import.updated_at == updated_at
    assert (roster_import.created_count, roster_import.error_count) == (2, 8)
    assert User.objects.count() == users


def test_a_row_lost_to_a_race_leaves_nothing_behind(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """A sign-up takes a row's ID number, another a row's mobile number, after the batch was
    read: those rows are refused and leave no login behind; the others are imported."""
    rows = [[f"李{'一二三'[n]}", make_id_number(800 + n), f"1390000080{n}"] for n in range(3)]
    real_profile_create, real_users_create = running.worker_profile_create, running._users_create

    def sign_up_first(**kwargs):
        if kwargs["id_number"] == rows[0][1]:
            WorkerProfileFactory(id_number=rows[0][1], employer=None, district=kwargs["district"])
        return real_profile_create(**kwargs)

    def phone_taken_first(items):
        UserFactory(phone="+86" + rows[1][2])
        return real_users_create(items)

    monkeypatch.setattr(running, "worker_profile_create", sign_up_first)
    monkeypatch.setattr(running, "_users_create", phone_taken_first)
    roster_import = import_file(
        django_capture_on_commit_callbacks,
        enterprise=world["ours"],
        user=world["admin"],
        name="a.csv",
        content=csv_bytes(rows, header=HEADER[:3]),
    )
    with translation.override("en"):
        assert [(e["row"], e["reasons"]) for e in roster_import.errors] == [
            (
                2,
                [
                    "This ID number was registered by someone else during the import; "
                    "upload the file again for the details."
                ],
            ),
            (3, ["This mobile number is already registered to another person."]),
        ]
    assert roster_import.created_count == 1
    assert not User.objects.filter(phone="+86" + rows[0][2]).exists()
    assert User.objects.filter(phone="+86" + rows[1][2]).count() == 1  # the other person's
    assert WorkerProfile.objects.get(id_number=rows[2][1]).user.phone == "+86" + rows[2][2]


def test_a_crashed_import_continues_where_it_stopped(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(running, "BATCH_SIZE", 2)
    rows = [[f"李{'一二三四五'[n]}", make_id_number(600 + n), f"1390000060{n}"] for n in range(5)]
    real_row_create, calls = running._row_create, []

    def crash_on_the_fourth_row(**kwargs):
        calls.append(kwargs["item"].source["row"])
        if len(calls) == 4:
            raise RuntimeError("worker lost")
        return real_row_create(**kwargs)

    monkeypatch.setattr(running, "_row_create", crash_on_the_fourth_row)
    with pytest.raises(RuntimeError):
        import_file(
            django_capture_on_commit_callbacks,
            enterprise=world["ours"],
            user=world["admin"],
            name="a.csv",
            content=csv_bytes(rows, header=HEADER[:3]),
        )
    roster_import = RosterImport.objects.get()
    assert roster_import.status == RosterImport.Status.FAILED
    assert roster_import.message
    # The first batch (rows 2 and 3) is committed; the batch in progress left nothing behind.
    assert (roster_import.processed_rows, roster_import.created_count) == (2, 2)
    assert WorkerProfile.objects.filter(employer=world["ours"]).count() == 2

    roster_import = roster_import_run(import_id=roster_import.pk)
    assert roster_import.status == RosterImport.Status.DONE
    assert (roster_import.processed_rows, roster_import.created_count) == (5, 5)
    assert roster_import.error_count == 0
    assert WorkerProfile.objects.filter(employer=world["ours"]).count() == 5


def test_counts_are_committed_batch_by_batch(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(running, "BATCH_SIZE", 2)
    seen = []
    real_batch_run = running._batch_run

    def spy(**kwargs):
        seen.append(RosterImport.objects.get().processed_rows)
        return real_batch_run(**kwargs)

    monkeypatch.setattr(running, "_batch_run", spy)
    rows = [[f"李{'一二三四五'[n]}", make_id_number(700 + n), f"1390000070{n}"] for n in range(5)]
    import_file(
        django_capture_on_commit_callbacks,
        enterprise=world["ours"],
        user=world["admin"],
        name="a.csv",
        content=csv_bytes(rows, header=HEADER[:3]),
    )
    assert seen == [0, 2, 4]


# --- Pages and permissions ------------------------------------------------------------------


@pytest.fixture
def our_import(world, mixed_file, django_capture_on_commit_callbacks):
    return import_file(
        django_capture_on_commit_callbacks,
        enterprise=world["ours"],
        user=world["admin"],
        name="名单.csv",
        content=mixed_file["content"],
    )


def import_urls(pk: int) -> list[str]:
    return [
        reverse("training_imports:list"),
        reverse("training_imports:upload"),
        reverse("training_imports:template"),
        reverse("training_imports:detail", args=[pk]),
        reverse("training_imports:status", args=[pk]),
        reverse("training_imports:refused", args=[pk]),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, our_import):
    for url in import_urls(our_import.pk):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", [None, Role.DISTRICT_OFFICER, Role.BUREAU_OFFICER, Role.EXAMINER])
def test_only_enterprise_admins_may_import(client, world, our_import, role):
    if role is None:
        user = WorkerProfileFactory(employer=world["ours"]).user
    else:
        user = UserFactory()
        scope = {"district": world["ours"].district} if role == Role.DISTRICT_OFFICER else {}
        services.role_grant(user=user, role=role, actor=None, **scope)
    client.force_login(user)
    for url in import_urls(our_import.pk):
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("training_imports:upload"),
        {"file": SimpleUploadedFile("a.csv", csv_bytes([ROWS[0]]))},
    )
    assert response.status_code == 403
    assert RosterImport.objects.count() == 1


def test_another_enterprises_admin_gets_404(client, world, our_import):
    client.force_login(world["their_admin"])
    for url in import_urls(our_import.pk)[3:]:
        assert client.get(url).status_code == 404, url
    response = client.get(reverse("training_imports:list"))
    assert response.status_code == 200
    assert list(response.context["imports"]) == []


def test_the_admin_uploads_and_reads_the_report(
    client, world, mixed_file, django_capture_on_commit_callbacks
):
    client.force_login(world["admin"])
    assert client.get(reverse("training_imports:upload")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("training_imports:upload"),
            {"file": SimpleUploadedFile("名单.csv", mixed_file["content"])},
        )
    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training_imports:detail", args=[roster_import.pk])
    assert roster_import.uploaded_by == world["admin"]
    assert roster_import.enterprise == world["ours"]

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["roster_import"] == roster_import
    assert len(page.context["refused"]) == 8
    text = page.content.decode()
    assert "火星区" in text
    assert "data-import-status" not in text  # finished: no polling

    status = client.get(reverse("training_imports:status", args=[roster_import.pk])).json()
    assert status == {
        "status": "done",
        "status_label": str(RosterImport.Status.DONE.label),
        "finished": True,
        "total_rows": 11,
        "processed_rows": 11,
        "percent": 100,
        "created_count": 2,
        "existing_count": 1,
        "error_count": 8,
    }
    listing = client.get(reverse("training_imports:list"))
    assert list(listing.context["imports"]) == [roster_import]


def test_an_unfinished_import_page_polls_its_status(client, world, our_import):
    RosterImport.objects.filter(pk=our_import.pk).update(
        status=RosterImport.Status.RUNNING, processed_rows=5
    )
    client.force_login(world["admin"])
    text = client.get(reverse("training_imports:detail", args=[our_import.pk])).content.decode()
    assert reverse("training_imports:status", args=[our_import.pk]) in text
    assert "js/imports.js" in text
    status = client.get(reverse("training_imports:status", args=[our_import.pk])).json()
    assert (status["finished"], status["percent"]) == (False, 45)


def test_a_bad_upload_is_explained_on_the_form(client, world, settings):
    client.force_login(world["admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("training_imports:upload"),
        {"file": SimpleUploadedFile("a.csv", csv_bytes([["张三"]], header=["姓名"]))},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"][0].startswith("The first row must name")
    assert not RosterImport.objects.exists()


def test_the_template_opens_in_excel_and_imports_as_the_example(client, world):
    client.force_login(world["admin"])
    response = client.get(reverse("training_imports:template"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = roster_file_read(name="template.csv", content=response.content)
    assert rows == [{"row": 2, **imports.TEMPLATE_EXAMPLE}]
    assert response.content.decode("utf-8-sig").splitlines()[0] == "姓名,身份证号,手机号,区县,行业"


def test_the_refused_rows_download_can_be_corrected_and_uploaded(client, world, our_import):
    client.force_login(world["admin"])
    response = client.get(reverse("training_imports:refused", args=[our_import.pk]))
    assert response.status_code == 200
    rows = roster_file_read(name="refused.csv", content=response.content)
    assert [row["name"] for row in rows] == [e["name"] for e in our_import.errors]
    # 18-digit ID numbers carry a tab so Excel keeps them as text; reading strips it again.
    assert "330106" in response.content.decode("utf-8-sig").split("\n")[1].split(",")[1]
    assert response.content.decode("utf-8-sig").split("\n")[1].split(",")[1].endswith("\t")
    assert [row["id_number"] for row in rows] == [e["id_number"] for e in our_import.errors]
    assert AuditEvent.objects.filter(verb="export.roster_import_refused").count() == 1
