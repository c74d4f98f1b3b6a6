"""Campaign posters: what is printed must scan back to exactly the URL."""

import io
import subprocess

import pytest
import zxingcpp
from django.utils import translation
from PIL import Image, ImageFont

from cms import sharing
from cms.sharing import Poster, PosterTooLong, poster_pdf, poster_png
from core.documents.fonts import FontUnavailable, cjk_font_path
from core.documents.layout import Text, measure_for

URL = (
    "https://anxun.hangzhou.gov.cn/campaigns/2026-safety-month/consultation-day/?src=poster&d=xihu"
)
TITLE = "2026年安全生产月“安全宣传咨询日”活动"
LONG_TITLE = (
    "关于组织开展2026年全市企业主要负责人和安全生产管理人员安全生产知识与管理能力"
    "专项培训考核暨“安全生产月”宣传咨询活动的通知"
)


def _poster(**changes) -> Poster:
    fields = {
        "title": TITLE,
        "lines": [
            "时间：2026年6月16日 09:00—11:30",
            "地点：杭州市西湖文化广场",
            "对象：企业职工、社区居民、中小学生",
        ],
        "url": URL,
        "kicker": "2026年安全生产月",
        "footer": "杭州市应急管理局 · 服务热线 12350",
    }
    return Poster(**{**fields, **changes})


def _decoded(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def _pdf_page(pdf: bytes, tmp_path) -> Image.Image:
    source = tmp_path / "poster.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", source, tmp_path / "page"],
        check=True,
        timeout=60,
    )
    return Image.open(tmp_path / "page.png")


def _pdf_text(pdf: bytes, tmp_path) -> str:
    source = tmp_path / "poster.pdf"
    source.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-layout", source, "-"], check=True, capture_output=True, timeout=60
    )
    return done.stdout.decode()


@pytest.fixture
def fresh_font_cache():
    cjk_font_path.cache_clear()
    yield
    cjk_font_path.cache_clear()


def test_url_is_realistic():
    assert 60 <= len(URL) <= 120


# --- Poster as PNG ------------------------------------------------------------------------


@pytest.mark.parametrize("dpi", [150, 100])
def test_poster_png_is_a4_at_the_dpi_and_scans_to_the_url(dpi):
    image = Image.open(io.BytesIO(poster_png(_poster(), dpi=dpi)))
    assert abs(image.width - 210 / 25.4 * dpi) <= 2
    assert abs(image.height - 297 / 25.4 * dpi) <= 2
    assert round(image.info["dpi"][0]) == dpi
    assert _decoded(image.convert("RGB")) == [URL]


def test_poster_qr_code_is_at_least_6_cm_wide_in_print():
    dpi = 150
    image = Image.open(io.BytesIO(poster_png(_poster(), dpi=dpi))).convert("RGB")
    (result,) = zxingcpp.read_barcodes(image)
    xs = [point.x for point in (result.position.top_left, result.position.top_right)]
    assert (max(xs) - min(xs)) / dpi * 25.4 >= 60


def test_poster_png_refuses_absurd_dpi():
    with pytest.raises(ValueError):
        poster_png(_poster(), dpi=2400)


# --- Poster as PDF ------------------------------------------------------------------------


def test_poster_pdf_rasterised_scans_to_the_url_and_has_the_title_as_text(tmp_path):
    pdf = poster_pdf(_poster())
    assert pdf.startswith(b"%PDF-")
    page = _pdf_page(pdf, tmp_path)
    assert abs(page.width - 1240) <= 2
    assert abs(page.height - 1754) <= 2
    assert _decoded(page.convert("RGB")) == [URL]
    text = _pdf_text(pdf, tmp_path)
    # The title may be wrapped over lines: compare without the line breaks.
    assert TITLE in "".join(text.split())
    assert "杭州市西湖文化广场" in text
    assert "12350" in text


def test_poster_pdf_embeds_every_font(tmp_path):
    source = tmp_path / "poster.pdf"
    source.write_bytes(poster_pdf(_poster()))
    listing = subprocess.run(
        ["pdffonts", source], check=True, capture_output=True, timeout=60
    ).stdout.decode()
    fonts = listing.splitlines()[2:]
    assert fonts
    for line in fonts:
        assert " yes yes " in line, line  # embedded, subset


def test_caption_follows_the_active_language(tmp_path):
    with translation.override("en"):
        text = _pdf_text(poster_pdf(_poster()), tmp_path)
    assert "Scan for details and registration" in " ".join(text.split())


# --- Fitting ------------------------------------------------------------------------------


def test_a_long_title_is_shrunk_not_cut(tmp_path):
    assert 55 <= len(LONG_TITLE) <= 70
    poster = _poster(title=LONG_TITLE)
    image = Image.open(io.BytesIO(poster_png(poster)))
    assert _decoded(image.convert("RGB")) == [URL]
    pdf = poster_pdf(poster)
    assert _decoded(_pdf_page(pdf, tmp_path).convert("RGB")) == [URL]
    assert LONG_TITLE in "".join(_pdf_text(pdf, tmp_path).split())

    measure = measure_for(cjk_font_path())
    ops = sharing._layout(poster, measure=measure)
    title = [op for op in ops if isinstance(op, Text) and op.weight == sharing.TITLE_WEIGHT]
    assert len(title) <= 3
    assert "".join(op.text for op in title) == LONG_TITLE
    assert title[0].size < sharing.TITLE_SIZES[0]


def test_every_text_stays_inside_the_page_margins():
    measure = measure_for(cjk_font_path())
    poster = _poster(
        title=LONG_TITLE,
        lines=[
            "时间：2026年6月16日（星期二）上午09:00—11:30，下午14:00—16:30，请提前15分钟到场签到",
            "地点：杭州市西湖区西湖文化广场东侧广场（地铁1号线、3号线西湖文化广场站D出口）",
            "Bring your ID card and the registration QR code on your phone.",
        ],
        footer="主办：杭州市应急管理局 · 承办：杭州市安全生产协会 · 服务热线 12350（工作日 9:00—17:00）",
    )
    for op in sharing._layout(poster, measure=measure):
        if isinstance(op, Text):
            width = measure(op.text, op.size, op.weight)
            left = op.x - width / 2 if op.align == "m" else op.x
            # Hanging punctuation may put an opening quote's empty half in the margin.
            assert left >= sharing.MARGIN - op.size / 2 - 0.01, op
            assert left + width <= sharing.PAGE_W - sharing.MARGIN + 0.01, op
            assert 0 < op.y < sharing.PAGE_H, op


def test_too_many_lines_raise_poster_too_long():
    with pytest.raises(PosterTooLong):
        poster_png(_poster(lines=[f"第{n}项：请携带身份证件" for n in range(40)]))


# --- Fonts --------------------------------------------------------------------------------


def test_cjk_font_path_finds_the_installed_font():
    assert cjk_font_path().endswith(".ttc")


def test_cjk_font_path_names_what_it_tried_and_what_to_install(
    settings, tmp_path, fresh_font_cache
):
    missing = [str(tmp_path / "no-such-font.ttc"), str(tmp_path / "neither.ttf")]
    settings.ANXUN_CJK_FONT_PATHS = missing
    with pytest.raises(FontUnavailable) as raised:
        cjk_font_path()
    message = str(raised.value)
    assert all(path in message for path in missing)
    assert "fonts-wqy-microhei" in message
    with pytest.raises(FontUnavailable):
        poster_png(_poster())


def test_cjk_font_path_skips_files_that_cannot_draw_chinese(settings, tmp_path, fresh_font_cache):
    latin_only = tmp_path / "latin.ttf"
    # Pillow's built-in font (Aileron) is a real TrueType font with no Chinese in it.
    latin_only.write_bytes(ImageFont.load_default().path.getvalue())
    not_a_font = tmp_path / "broken.ttc"
    not_a_font.write_bytes(b"this is not a font")
    working = cjk_font_path()
    cjk_font_path.cache_clear()
    settings.ANXUN_CJK_FONT_PATHS = [str(not_a_font), str(latin_only), working]
    assert cjk_font_path() == working

    settings.ANXUN_CJK_FONT_PATHS = [str(not_a_font), str(latin_only)]
    cjk_font_path.cache_clear()
    with pytest.raises(FontUnavailable) as raised:
        cjk_font_path()
    assert "no Chinese glyphs" in str(raised.value)
    assert "not a font" in str(raised.value)
