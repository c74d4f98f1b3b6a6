"""The document engine (``core.documents``): QR codes that scan back to exactly the URL, the
Chinese line-breaking rules, multi-page PDFs, and a ground floor that imports no app."""

import ast
import io
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from core.documents.fonts import cjk_font_path, reportlab_cjk_font
from core.documents.layout import Box, Text, measure_for
from core.documents.linebreak import balanced_wrap, phrase_tokens, tokens, url_tokens, wrap
from core.documents.pdf import pdf_document
from core.documents.png import page_image, png_draw
from core.documents.qr import qr_png as share_qr_png

URL = (
    "https://anxun.hangzhou.gov.cn/campaigns/2026-safety-month/consultation-day/?src=poster&d=xihu"
)
PROJECT_APPS = {
    "accounts",
    "certificates",
    "cms",
    "config",
    "dashboards",
    "exams",
    "feedback",
    "seeding",
    "training",
}


def _decoded(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


# --- QR ------------------------------------------------------------------------------------


def test_share_qr_png_decodes_to_exactly_the_url():
    image = Image.open(io.BytesIO(share_qr_png(url=URL)))
    assert image.format == "PNG"
    assert _decoded(image) == [URL]


def test_share_qr_png_box_size_sets_pixels_per_module():
    small = Image.open(io.BytesIO(share_qr_png(url=URL, box_size=2)))
    large = Image.open(io.BytesIO(share_qr_png(url=URL, box_size=8)))
    assert large.width == small.width * 4
    assert _decoded(small) == [URL]


def test_share_qr_png_refuses_nonsense():
    with pytest.raises(ValueError):
        share_qr_png(url="")
    with pytest.raises(ValueError):
        share_qr_png(url=URL, box_size=0)


# --- Line breaking ---------------------------------------------------------------------------


def test_line_breaking_keeps_punctuation_and_latin_words_in_place():
    measure = measure_for(cjk_font_path())
    text = "开展3·19森林消防日宣传活动，“安全第一，预防为主”，Anxun platform 主办 · 12350热线。"
    for width in range(20, 120, 3):
        lines = wrap(text, width=width, size=6.0, measure=measure)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for line in lines:
            assert line[0] not in "，。”：·", lines
            assert line[-1] != "“", lines
        assert not any(line.endswith("Anx") or line.startswith("un") for line in lines)


def test_closing_marks_stick_to_what_they_close_and_separators_end_a_line():
    assert tokens("安全，第一") == ["安", "全，", "第", "一"]
    assert tokens("（通知）") == ["（通", "知）"]
    assert tokens("主办 · 承办") == ["主", "办 ·", " ", "承", "办"]


def test_latin_words_numbers_and_urls_stay_whole():
    assert tokens("时间 09:00—11:30")[-2:] == ["09:00—", "11:30"]  # a dash never starts a line
    assert "A/B" in tokens("进入A/B区")
    assert url_tokens("https://a.cn/x/y?z=1") == ["https:/", "/", "a.cn/", "x/", "y?", "z=", "1"]


def test_balanced_wrap_needs_no_more_lines_and_leaves_no_orphan():
    measure = measure_for(cjk_font_path())
    text = "企业百万员工安全大培训：全员参与，人人过关"
    greedy = wrap(text, width=60, size=6.0, measure=measure)
    balanced = balanced_wrap(text, width=60, size=6.0, measure=measure)
    assert len(balanced) == len(greedy) >= 2
    assert "".join(balanced) == "".join(greedy) == text
    assert min(len(line) for line in balanced) >= 2
    assert phrase_tokens("“安全宣传咨询日”活动")[0] == "“安全宣传咨询日”"


def test_empty_text_is_one_empty_line():
    measure = measure_for(cjk_font_path())
    assert wrap("  ", width=50, size=5.0, measure=measure) == [""]


# --- Renderers -------------------------------------------------------------------------------


def test_a_document_of_several_pages_has_them_all(tmp_path):
    pages = [[Text(20, 20, f"第{n}页", 5.0, "#000000")] for n in range(1, 4)]
    pdf = pdf_document(
        pages,
        width=210,
        height=297,
        font_name=reportlab_cjk_font(),
        title="测试",
        author="杭州市应急管理局",
    )
    source = tmp_path / "pages.pdf"
    source.write_bytes(pdf)
    info = subprocess.run(
        ["pdfinfo", source], check=True, capture_output=True, timeout=60
    ).stdout.decode()
    assert "Pages:           3" in info
    assert "杭州市应急管理局" in info
    text = subprocess.run(
        ["pdftotext", source, "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode()
    assert [page.strip() for page in text.split("\f") if page.strip()] == [
        "第1页",
        "第2页",
        "第3页",
    ]


def test_a_rounded_box_is_drawn_inside_its_corners():
    png = png_draw(
        [Box(10, 10, 40, 20, "#c2410c", radius=5)],
        width=60,
        height=40,
        dpi=100,
        font_path=cjk_font_path(),
    )
    image = Image.open(io.BytesIO(png)).convert("RGB")
    scale = 100 / 25.4
    assert image.getpixel((round(30 * scale), round(20 * scale))) == (0xC2, 0x41, 0x0C)
    assert image.getpixel((round(10 * scale), round(10 * scale))) == (255, 255, 255)


def test_operations_can_be_drawn_over_a_picture_drawn_beforehand():
    base = Image.new("RGB", (236, 157), (11, 74, 139))  # 60 × 40 mm at 100 dpi
    image = page_image(
        [Box(10, 10, 20, 10, "#ffffff")],
        width=60,
        height=40,
        dpi=100,
        font_path=cjk_font_path(),
        base=base,
    )
    assert image.getpixel((5, 5)) == (11, 74, 139)
    assert image.getpixel((round(20 / 25.4 * 100), round(15 / 25.4 * 100))) == (255, 255, 255)
    assert base.getpixel((80, 60)) == (11, 74, 139)  # the picture itself is left as it was
    with pytest.raises(ValueError):
        page_image([], width=10, height=10, dpi=100, font_path=cjk_font_path(), base=base)


def test_an_unknown_operation_is_refused():
    with pytest.raises(TypeError):
        png_draw(["text"], width=10, height=10, dpi=72, font_path=cjk_font_path())


# --- The ground floor ------------------------------------------------------------------------


def test_core_documents_imports_no_app_of_the_project():
    root = Path(__file__).resolve().parents[2] / "core" / "documents"
    for source in root.glob("*.py"):
        tree = ast.parse(source.read_text(), filename=str(source))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in PROJECT_APPS, f"{source.name} imports {name}"
