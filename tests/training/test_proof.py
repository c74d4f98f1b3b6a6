"""The 学时证明 carries a QR code whose signed link opens a public page that verifies it."""

import subprocess
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from core import signing
from core.documents.qr_decode import qr_decode
from tests.factories import WorkerProfileFactory
from tests.training import builders
from training import proofs
from training.models import TrainingRecord
from training.pdf import training_record_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker_with_hours():
    worker = WorkerProfileFactory(real_name="张建国")
    done = timezone.now() - timedelta(days=3)
    for code, title, hours, seconds in (
        ("general", "企业职工安全生产通用知识", "1.5", 5400),
        ("height", "高处作业安全", "0.5", 1800),
    ):
        course = builders.course(code=code, title=title, lessons=1)
        TrainingRecord.objects.create(
            worker=worker, course=course, hours=Decimal(hours), seconds=seconds, completed_at=done
        )
    return worker


def scanned(pdf: bytes, tmp_path) -> str:
    """The text of the QR code of the PDF's first page, rasterised as a printer would."""
    (tmp_path / "record.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", tmp_path / "record.pdf", tmp_path / "p"],
        check=True,
        timeout=60,
    )
    text = qr_decode((tmp_path / "p.png").read_bytes())
    assert text is not None
    return text


def page_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def with_params(url: str, **changes) -> str:
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query))
    params.update(changes)
    return f"{parts.path}?{urlencode(params)}"


def test_the_printed_qr_code_opens_the_public_page_that_says_genuine(
    client, worker_with_hours, tmp_path
):
    url = scanned(training_record_pdf(worker=worker_with_hours), tmp_path)
    assert urlsplit(url).path == reverse("training:proof")
    response = client.get(page_of(url))  # anyone: no login
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="status">学时证明真实有效<' in html
    assert "张*国" in html and "张建国" not in html
    assert worker_with_hours.id_number not in html
    day = (timezone.localdate() - timedelta(days=3)).isoformat()
    for title, hours in (("企业职工安全生产通用知识", "1.5"), ("高处作业安全", "0.5")):
        assert f"<td>{title}</td>\n          <td>{hours}</td>\n          <td>{day}</td>" in html
    assert 'data-testid="total">2.0<' in html


@pytest.mark.parametrize(
    "tamper",
    [
        lambda c, s: {"c": c.replace("-1.5-", "-9.5-")},  # more hours
        lambda c, s: {"c": c.replace(c.split("~")[2], "20200101")},  # an earlier date
        lambda c, s: {"c": c.replace(c.split("~")[1], str(int(c.split("~")[1]) + 1), 1)},
        lambda c, s: {"s": s[:10] + ("A" if s[10] != "A" else "B") + s[11:]},
        lambda c, s: {"c": "other" + c[c.index("~") :]},  # a key the bureau does not hold
        lambda c, s: {"s": ""},
        lambda c, s: {"c": "garbage"},
    ],
)
def test_a_changed_link_reads_not_genuine_and_shows_nothing(
    client, worker_with_hours, tamper, tmp_path
):
    url = scanned(training_record_pdf(worker=worker_with_hours), tmp_path)
    params = dict(parse_qsl(urlsplit(url).query))
    response = client.get(with_params(url, **tamper(params["c"], params["s"])))
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-testid="status">不是真实的学时证明<' in html
    assert "张*国" not in html and "企业职工安全生产通用知识" not in html


def test_a_repeated_parameter_reads_not_genuine(client, worker_with_hours):
    records = list(TrainingRecord.objects.filter(worker=worker_with_hours))
    proof = proofs.proof_of(
        worker=worker_with_hours, records=records, issued_on=timezone.localdate()
    )
    url = proofs.proof_url(proof)
    response = client.get(page_of(url) + "&c=" + proofs.compact_of(proof))
    assert response.status_code == 404


def test_a_certificate_signature_does_not_verify_a_training_record(client, worker_with_hours):
    """The same keys, another domain: a signature made for one kind of document is refused."""
    records = list(TrainingRecord.objects.filter(worker=worker_with_hours))
    compact = proofs.compact_of(
        proofs.proof_of(worker=worker_with_hours, records=records, issued_on=timezone.localdate())
    )
    foreign = signing.sign(domain="anxun-cert-1", message=compact)
    response = client.get(reverse("training:proof"), {"c": compact, "s": foreign})
    assert response.status_code == 404


def test_a_course_studied_again_since_the_print_is_marked_changed(
    client, worker_with_hours, tmp_path
):
    url = scanned(training_record_pdf(worker=worker_with_hours), tmp_path)
    TrainingRecord.objects.filter(hours=Decimal("0.5")).update(
        hours=Decimal("1.0"), completed_at=timezone.now()
    )
    html = client.get(page_of(url)).content.decode()
    assert 'data-testid="status">学时证明真实有效<' in html  # the paper is genuine, but out of date
    assert html.count("此后已变更</span>") == 1  # one course marked, one warning below
    assert "请重新开具学时证明" in html
