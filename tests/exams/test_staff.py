"""Exam office pages: question bank import/export, the Wagtail admin, the attempts list and
its export, item statistics; each page tried from the outside by every kind of user."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Role
from accounts.validators import mask_id_number
from core.models import AuditEvent
from exams import services
from exams.bank_io import (
    HEADERS,
    LETTERS,
    bank_export,
    bank_export_rows,
    bank_file_read,
    bank_import,
    question_key_parse,
)
from exams.models import AttemptAnswer, BlueprintRule, Question, QuestionCategory, TheoryAttempt
from exams.statistics import item_statistics
from tests.exams import builders
from tests.factories import (
    DistrictFactory,
    EnterpriseFactory,
    UserFactory,
    WorkerProfileFactory,
)

pytestmark = pytest.mark.django_db

EXAM_OFFICE_PERMISSIONS = ("view_question", "add_question", "change_question", "view_theoryattempt")


@pytest.fixture
def subject():
    return builders.subject()


@pytest.fixture
def exam_office():
    user = UserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="exams", codename__in=EXAM_OFFICE_PERMISSIONS
        ),
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
    )
    return user


def bank_state(subject):
    return list(
        Question.objects.filter(subject=subject)
        .order_by("pk")
        .values_list(
            "pk",
            "category_id",
            "kind",
            "stem",
            "choices",
            "correct",
            "explanation",
            "difficulty",
            "updated_at",
        )
    )


def csv_file(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def row(
    subject="low-voltage", category="安全用电", kind="单选", stem="题干", choices=(), answer=""
):
    cells = list(choices) + [""] * (len(LETTERS) - len(choices))
    return [subject, category, kind, stem, *cells, answer, "", 2]


def import_rows(rows: list[list], user=None) -> dict:
    content = csv_file([list(HEADERS.values()), *rows])
    return bank_import(rows=bank_file_read(name="bank.csv", content=content), actor=user)


# --- Import and export ---------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(subject, exam_office, file_format):
    laws = QuestionCategory.objects.get(subject=subject, name="法律法规")
    Question.objects.create(  # lines, and a start a spreadsheet would take for a formula
        subject=subject,
        category=laws,
        kind="multiple",
        stem="-5℃以下作业时：\n应当采取哪些措施？",
        choices=["=防冻", "保暖", "+休息"],
        correct=[0, 2],
        explanation="第一行\n第二行",
        difficulty=3,
    )
    before = bank_state(subject)
    content, content_type, name = bank_export(subject=subject, file_format=file_format)
    assert name.endswith(file_format) and content_type
    report = bank_import(rows=bank_file_read(name=name, content=content), actor=exam_office)
    assert report["refused"] == []
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, len(before))
    assert bank_state(subject) == before


def test_the_export_has_the_chinese_columns_and_answers_as_people_write_them(subject):
    header, *rows = bank_export_rows(subject=subject)
    assert header[:4] == ["科目代码", "分类", "题型(判断/单选/多选)", "题干"]
    assert header[4:10] == [f"选项{letter}" for letter in LETTERS]
    assert header[10:] == ["答案", "解析", "难度"]
    answers = {(r[2], r[10]) for r in rows}
    assert answers == {("判断", "正确"), ("单选", "A"), ("多选", "ABC")}


def test_import_updates_matching_stems_adds_new_ones_and_creates_categories(subject, exam_office):
    _header, *rows = bank_export_rows(subject=subject)
    single = next(r for r in rows if r[2] == "单选")
    single[10], single[1], single[11] = "B", "新分类", "新的解析"
    rows.append(row(stem="新题：接地线应先接哪一端？", choices=["接地端", "导体端"], answer="A"))
    question = Question.objects.get(subject=subject, stem=single[3])
    report = import_rows(rows, user=exam_office)
    assert (report["created"], report["updated"], report["refused"]) == (1, 1, [])
    assert report["categories_created"] == [f"{subject.name} · 新分类"]
    question.refresh_from_db()
    assert question.correct == [1] and question.explanation == "新的解析"
    assert question.category.name == "新分类" and question.category.subject == subject
    created = Question.objects.get(stem="新题：接地线应先接哪一端？")
    assert created.choices == ["接地端", "导体端"] and created.correct == [0]
    assert AuditEvent.objects.filter(verb="question_bank.imported").count() == 1


def test_stems_match_whatever_their_whitespace(subject):
    stem = Question.objects.filter(subject=subject, kind="tf").first().stem
    report = import_rows([row(kind="判断", stem=f"  {stem}  ", answer="错误")])
    assert report["updated"] == 1 and report["created"] == 0


@pytest.mark.parametrize(
    ("cells", "code"),
    [
        (row(subject="no-such-subject", choices=["甲", "乙"], answer="A"), "unknown_subject"),
        (row(kind="填空", choices=["甲", "乙"], answer="A"), "unknown_kind"),
        (row(choices=["甲", "乙"], answer="C"), "answer_without_choice"),
        (row(choices=["甲", "乙", "丙"], answer="AB"), "single_many_answers"),
        (row(kind="多选", choices=["甲", "乙", "丙"], answer="B"), "multiple_one_answer"),
        (row(kind="判断", choices=["是", "否"], answer="A"), "tf_choices"),
        (row(stem="", choices=["甲", "乙"], answer="A"), "stem_missing"),
        (row(choices=["甲", "", "丙"], answer="A"), "choice_gap"),
        (row(choices=["甲", "乙"], answer="A?"), "answer_letters"),
        (row(choices=["甲", "乙"], answer=""), "answer_missing"),
        (row(category="", choices=["甲", "乙"], answer="A"), "category_missing"),
    ],
)
def test_invalid_rows_are_reported_with_their_reason_and_change_nothing(subject, cells, code):
    before = bank_state(subject)
    categories = QuestionCategory.objects.count()
    report = import_rows([cells])
    assert report["created"] == report["updated"] == 0
    [refused] = report["refused"]
    assert refused["row"] == 2 and code in refused["codes"]
    assert refused["reasons"] and all(refused["reasons"])
    assert bank_state(subject) == before
    assert QuestionCategory.objects.count() == categories


def test_a_file_mixing_valid_and_invalid_rows_imports_the_valid_ones(subject):
    report = import_rows(
        [
            row(stem="甲题", choices=["对的", "错的"], answer="A"),
            row(stem="乙题", choices=["对的", "错的"], answer="AB"),
            row(stem="甲题", choices=["对的", "错的"], answer="B"),
            row(kind="判断", stem="丙题", answer="错误"),
        ]
    )
    assert report["created"] == 2
    assert [(r["row"], r["codes"]) for r in report["refused"]] == [
        (3, ["single_many_answers"]),
        (4, ["duplicate_in_file"]),
    ]
    tf = Question.objects.get(stem="丙题")
    assert tf.choices == ["正确", "错误"] and tf.correct == [1]


def test_the_answer_rules_for_each_type():
    assert question_key_parse(kind="tf", choices=[], answer="正确")[:2] == (["正确", "错误"], [0])
    assert question_key_parse(kind="single", choices=["a", "b"], answer="b")[1:] == ([1], [])
    assert question_key_parse(kind="multiple", choices=["a", "b", "c"], answer="A, C")[1:] == (
        [0, 2],
        [],
    )
    too_many = question_key_parse(kind="single", choices=list("abcdefg"), answer="A")[2]
    assert [r.code for r in too_many] == ["too_many_choices"]


def test_a_file_that_cannot_be_read_is_refused_whole(client, exam_office, subject):
    client.force_login(exam_office)
    url = reverse("exam_staff:bank_import")
    for name, content in [
        ("bank.txt", b"x"),
        ("bank.csv", "姓名,手机号\n张三,1\n".encode()),
        ("bank.csv", csv_file([list(HEADERS.values())])),
    ]:
        response = client.post(url, {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
    assert Question.objects.count() == 18


def test_import_over_http_shows_a_row_report(client, exam_office, subject):
    client.force_login(exam_office)
    exported = client.get(reverse("exam_staff:bank_export", args=[subject.code, "xlsx"]))
    assert exported.status_code == 200
    assert exported["Content-Disposition"].endswith('.xlsx"')
    assert AuditEvent.objects.filter(verb="export.question_bank").exists()
    response = client.post(
        reverse("exam_staff:bank_import"),
        {"file": SimpleUploadedFile("bank.xlsx", exported.content)},
    )
    assert response.status_code == 302
    report_page = client.get(response["Location"])
    assert report_page.status_code == 200
    assert report_page.context["report"]["unchanged"] == 18
    bad = csv_file([list(HEADERS.values()), row(kind="填空", choices=["甲", "乙"], answer="A")])
    response = client.post(
        reverse("exam_staff:bank_import"), {"file": SimpleUploadedFile("bad.csv", bad)}
    )
    page = client.get(response["Location"])
    assert [entry["row"] for entry in page.context["refused"]] == [2]
    assert "填空" in page.content.decode()
    # A report is its uploader's only.
    other = UserFactory()
    other.user_permissions.set(exam_office.user_permissions.all())
    client.force_login(other)
    assert client.get(response["Location"]).status_code == 404


def test_editing_a_question_after_an_attempt_leaves_the_attempt_unchanged(subject, exam_office):
    worker = WorkerProfileFactory()
    builders.complete_training(worker, subject)
    attempt = services.attempt_start(worker=worker, subject=subject)
    builders.answer_all(attempt, worker, right=len(attempt.paper))
    paper = attempt.paper
    _header, *rows = bank_export_rows(subject=subject)
    for cells in rows:  # every answer moves to another choice
        if cells[2] == "单选":
            cells[10] = "D"
        elif cells[2] == "多选":
            cells[10] = "BD"
        else:
            cells[10] = "错误"
    report = import_rows(rows, user=exam_office)
    assert report["updated"] == 18
    attempt.refresh_from_db()
    assert attempt.paper == paper
    result = services.attempt_submit(attempt_id=attempt.pk, worker=worker)
    assert result.score == 100  # graded on the paper as it was given


# --- Who may -------------------------------------------------------------------------------


@pytest.fixture
def people(subject, exam_office):
    district = DistrictFactory(code="330106")
    worker = WorkerProfileFactory(employer=EnterpriseFactory(district=district))
    officers = {}
    for role, scope in [
        (Role.DISTRICT_OFFICER, {"district": district}),
        (Role.BUREAU_OFFICER, {}),
        (Role.ENTERPRISE_ADMIN, {"enterprise": worker.employer}),
        (Role.EXAMINER, {}),
    ]:
        user = UserFactory()
        account_services.role_grant(user=user, role=role, actor=None, **scope)
        officers[str(role)] = user
    superuser = UserFactory(is_superuser=True, is_staff=True)
    return {
        "anonymous": None,
        "worker": worker.user,
        **officers,
        "exam_office": exam_office,
        "superuser": superuser,
    }


BANK_PAGES = ["bank", "bank_export", "bank_import"]
ATTEMPT_PAGES = ["attempts", "statistics", "item_statistics"]
ALLOWED = {
    "anonymous": set(),
    "worker": set(),
    "enterprise_admin": set(),
    "examiner": set(),
    "district_officer": set(ATTEMPT_PAGES),
    "bureau_officer": set(ATTEMPT_PAGES),
    "exam_office": set(BANK_PAGES + ATTEMPT_PAGES),
    "superuser": set(BANK_PAGES + ATTEMPT_PAGES),
}


def staff_url(name, subject):
    args = {
        "bank_export": [subject.code, "csv"],
        "item_statistics": [subject.code],
        "bank_import_report": ["0" * 32],
    }.get(name, [])
    return reverse(f"exam_staff:{name}", args=args)


@pytest.mark.parametrize("who", list(ALLOWED))
@pytest.mark.parametrize("page", [*BANK_PAGES, "bank_import_report", *ATTEMPT_PAGES])
def test_each_user_reaches_only_the_staff_pages_they_may(client, people, subject, who, page):
    user = people[who]
    if user is not None:
        client.force_login(user)
    response = client.get(staff_url(page, subject))
    if user is None:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif page == "bank_import_report":  # a report that does not exist, to those who may import
        assert response.status_code == (404 if "bank_import" in ALLOWED[who] else 403)
    elif page in ALLOWED[who]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_a_district_officer_sees_the_attempts_of_their_district_only(client, people, subject):
    ours = submitted(
        subject, WorkerProfileFactory(employer=people["worker"].worker_profile.employer)
    )
    theirs = submitted(subject, WorkerProfileFactory())
    client.force_login(people["district_officer"])
    response = client.get(reverse("exam_staff:attempts"))
    shown = {row.record.pk for row in response.context["table"].page.object_list}
    assert shown == {ours.pk}
    client.force_login(people["bureau_officer"])
    response = client.get(reverse("exam_staff:attempts"))
    assert {row.record.pk for row in response.context["table"].page.object_list} == {
        ours.pk,
        theirs.pk,
    }


# --- Attempts list ------------------------------------------------------------------------


def paper_of(questions, points=10) -> list[dict]:
    return [
        {
            "question": q.pk,
            "kind": q.kind,
            "category": q.category.name,
            "stem": q.stem,
            "choices": q.choices,
            "key": sorted(q.correct),
            "points": points,
            "explanation": "",
        }
        for q in questions
    ]


def submitted(subject, worker, *, paper=None, right=None, when=None, number=1) -> TheoryAttempt:
    """A submitted attempt made directly: ``right`` says which positions were answered
    correctly (all by default); the others get a wrong answer."""
    paper = paper or paper_of(Question.objects.filter(subject=subject, kind="tf")[:2], 50)
    right = set(range(len(paper))) if right is None else set(right)
    when = when or timezone.now() - timedelta(days=1)
    score = sum(entry["points"] for position, entry in enumerate(paper) if position in right)
    attempt = TheoryAttempt.objects.create(
        worker=worker,
        subject=subject,
        number=number,
        status=TheoryAttempt.Status.SUBMITTED,
        started_at=when,
        deadline=when + timedelta(hours=2),
        submitted_at=when + timedelta(minutes=30),
        paper=paper,
        pass_mark=80,
        score=score,
        passed=score >= 80,
    )
    answers = []
    for position, entry in enumerate(paper):
        wrong = [i for i in range(len(entry["choices"])) if i not in entry["key"]][:1]
        answers.append(
            AttemptAnswer(
                attempt=attempt,
                position=position,
                selected=entry["key"] if position in right else wrong,
                seq=1,
                saved_at=when,
            )
        )
    AttemptAnswer.objects.bulk_create(answers)
    return attempt


def test_the_attempts_export_has_the_full_id_number_and_the_page_masks_it(
    client, exam_office, subject
):
    worker = WorkerProfileFactory()
    submitted(subject, worker, right=[0])
    client.force_login(exam_office)
    page = client.get(reverse("exam_staff:attempts")).content.decode()
    assert mask_id_number(worker.id_number) in page and worker.id_number not in page
    response = client.get(reverse("exam_staff:attempts"), {"_export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][:4] == [worker.real_name, worker.id_number, subject.name, "1"]
    assert rows[1][6] == "50"
    assert AuditEvent.objects.filter(verb="export.theory_attempts").exists()
    assert client.get(reverse("exam_staff:attempts"), {"_export": "xlsx"}).status_code == 200


def test_the_attempts_filters(client, exam_office, subject):
    passed = submitted(subject, WorkerProfileFactory())
    failed = submitted(
        subject, WorkerProfileFactory(), right=[], when=timezone.now() - timedelta(days=40)
    )
    client.force_login(exam_office)

    def shown(**params):
        response = client.get(reverse("exam_staff:attempts"), params)
        return {row.record.pk for row in response.context["table"].page.object_list}

    assert shown(passed="true") == {passed.pk}
    assert shown(passed="false") == {failed.pk}
    since = (timezone.localdate() - timedelta(days=10)).isoformat()
    assert shown(started_from=since) == {passed.pk}
    assert shown(started_to=since) == {failed.pk}
    assert shown(subject=subject.pk) == {passed.pk, failed.pk}
    assert shown(q=passed.worker.real_name) == {passed.pk}


def test_the_attempts_page_query_count_does_not_grow_with_the_list(client, exam_office, subject):
    client.force_login(exam_office)
    url = reverse("exam_staff:attempts")

    def queries(total: int) -> int:
        while TheoryAttempt.objects.count() < total:
            submitted(subject, WorkerProfileFactory())
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.get(url)  # the first request of a session reads what later ones find cached
    assert queries(3) == queries(15)


# --- Item statistics ----------------------------------------------------------------------


@pytest.fixture
def calibrated(subject):
    """25 candidates of rising ability; items: E everyone gets right, D the stronger half gets
    right, R the weaker half gets right, H only the strongest gets right, F1–F4 by ability."""
    questions = list(Question.objects.filter(subject=subject, kind="single").order_by("pk"))
    items = dict(zip(["E", "D", "R", "H"], questions[:4], strict=True))
    extra = QuestionCategory.objects.get(subject=subject, name="安全用电")
    for n in range(1, 5):
        items[f"F{n}"] = Question.objects.create(
            subject=subject,
            category=extra,
            kind="single",
            stem=f"能力题{n}",
            choices=["对", "错"],
            correct=[0],
        )
    order = ["E", "D", "R", "H", "F1", "F2", "F3", "F4"]
    paper = paper_of([items[name] for name in order])
    for ability in range(25):
        right = {
            "E": True,
            "D": ability >= 12,
            "R": ability < 12,
            "H": ability == 24,
            **{f"F{n}": ability >= n * 5 for n in range(1, 5)},
        }
        submitted(
            subject,
            WorkerProfileFactory(),
            paper=paper,
            right=[i for i, name in enumerate(order) if right[name]],
        )
    return {name: question.pk for name, question in items.items()}


def test_item_statistics_flag_easy_hard_and_badly_discriminating_items(subject, calibrated):
    stats = item_statistics(subject=subject)
    by_id = {item.question_id: item for item in stats.items}
    easy, good, reverse_, hard = (by_id[calibrated[name]] for name in ("E", "D", "R", "H"))
    assert stats.attempts == 25 and not stats.capped
    assert easy.drawn == 25 and easy.p == 1.0 and easy.flags == ["easy"]
    assert easy.discrimination is None  # no variation: no correlation
    assert good.discrimination > 0.5 and good.flags == []
    assert reverse_.discrimination < 0 and reverse_.flags == ["low_discrimination"]
    assert hard.p == pytest.approx(0.04) and "hard" in hard.flags
    assert stats.items[0].flags  # flagged items first


def test_item_statistics_need_enough_responses_before_flagging(subject):
    question = Question.objects.filter(subject=subject, kind="single").first()
    for _ in range(5):
        submitted(subject, WorkerProfileFactory(), paper=paper_of([question]))
    [item] = item_statistics(subject=subject).items
    assert item.p == 1.0 and item.flags == []


def test_item_statistics_take_two_queries_and_the_most_recent_attempts(
    subject, calibrated, django_assert_num_queries
):
    with django_assert_num_queries(2):
        stats = item_statistics(subject=subject, limit=10)
    assert stats.attempts == 10 and stats.capped
    assert all(item.drawn == 10 for item in stats.items)


def test_the_statistics_page_lists_the_flags(client, exam_office, subject, calibrated):
    client.force_login(exam_office)
    response = client.get(reverse("exam_staff:item_statistics", args=[subject.code]))
    assert response.status_code == 200
    assert len(response.context["stats"].items) == 8
    html = response.content.decode()
    assert reverse("exam_question:edit", args=[calibrated["E"]]) in html
    index = client.get(reverse("exam_staff:statistics"))
    assert [s.submitted for s in index.context["subjects"]] == [25]


# --- Wagtail admin ------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_a_superuser_opens_the_exam_listings_in_the_wagtail_admin(admin_client, subject):
    for name in ("exam_question", "exam_subject", "exam_blueprint", "exam_category"):
        assert admin_client.get(reverse(f"{name}:index")).status_code == 200
    url = reverse("exam_question:index")
    assert url == "/admin/exams/questions/"
    category = QuestionCategory.objects.filter(subject=subject).first()
    response = admin_client.get(
        url, {"subject": subject.pk, "kind": "single", "category": category.pk, "q": "安全电压"}
    )
    assert response.status_code == 200
    question = Question.objects.filter(subject=subject).first()
    assert admin_client.get(reverse("exam_question:edit", args=[question.pk])).status_code == 200


def question_form(subject, **overrides):
    category = QuestionCategory.objects.filter(subject=subject).first()
    return {
        "subject": subject.pk,
        "category": category.pk,
        "kind": "single",
        "stem": "新题：安全电压是？",
        "choices_text": "36V\n220V\n380V",
        "answer": "A",
        "explanation": "",
        "difficulty": 2,
        "active": "on",
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"answer": "AB"}, "answer"),
        ({"answer": "D"}, "answer"),
        ({"kind": "multiple", "answer": "A"}, "answer"),
        ({"kind": "tf", "choices_text": "是\n否", "answer": "正确"}, "choices_text"),
        ({"choices_text": "只有一项"}, "choices_text"),
    ],
)
def test_the_admin_refuses_an_answer_that_does_not_fit(admin_client, subject, overrides, field):
    response = admin_client.post(reverse("exam_question:add"), question_form(subject, **overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Question.objects.filter(stem="新题：安全电压是？").exists()


def test_the_admin_saves_choices_and_answer_as_lists(admin_client, subject):
    response = admin_client.post(
        reverse("exam_question:add"),
        question_form(subject, kind="multiple", answer="A C", choices_text="甲\n\n乙\n丙\n"),
    )
    assert response.status_code == 302
    question = Question.objects.get(stem="新题：安全电压是？")
    assert question.choices == ["甲", "乙", "丙"] and question.correct == [0, 2]
    edit = admin_client.get(reverse("exam_question:edit", args=[question.pk]))
    assert edit.context["form"].initial["answer"] == "AC"


def test_the_admin_refuses_a_category_of_another_subject(admin_client, subject):
    other = builders.subject(code="welding")
    foreign = QuestionCategory.objects.filter(subject=other).first()
    response = admin_client.post(
        reverse("exam_question:add"), question_form(subject, category=foreign.pk)
    )
    assert response.context["form"].errors["category"]


def test_the_admin_warns_when_the_blueprint_does_not_add_up_to_100(admin_client, subject):
    rule = BlueprintRule.objects.filter(subject=subject, kind="tf").get()
    response = admin_client.post(
        reverse("exam_blueprint:edit", args=[rule.pk]),
        {"subject": subject.pk, "kind": "tf", "category": "", "count": 5, "points_each": 2},
    )
    assert response.status_code == 302
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 1 and "90" in warnings[0]
    rule.refresh_from_db()
    assert rule.points_each == 2
    admin_client.get(response["Location"])  # shows (and so uses up) the messages
    response = admin_client.post(
        reverse("exam_blueprint:edit", args=[rule.pk]),
        {"subject": subject.pk, "kind": "tf", "category": "", "count": 5, "points_each": 4},
    )
    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
