"""The SVG charts: well-formed, accessible, escaped, and drawn to scale. No database needed."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils.safestring import SafeString

from dashboards.charts import (
    Bar,
    Series,
    StackedBar,
    Tile,
    bar_chart,
    line_chart,
    stacked_bar_chart,
    tile_grid,
)

NS = "{http://www.w3.org/2000/svg}"
EVIL = "<script>alert(\"x\")</script> & 'q'"
PARTS = [("attended", "已参考"), ("no_show", "缺考"), ("waiting", "待考")]


def parse(svg) -> ET.Element:
    assert isinstance(svg, SafeString)
    return ET.fromstring(str(svg))  # noqa: S314 (our own output, not untrusted XML)


def marks(root: ET.Element, css_class: str) -> list[ET.Element]:
    return [e for e in root.iter() if css_class in e.get("class", "").split()]


def texts(root: ET.Element) -> list[str]:
    return ["".join(e.itertext()) for e in root.iter(f"{NS}text")]


def tooltip(element: ET.Element) -> str:
    return element.find(f"{NS}title").text


def fallback(colour: str) -> str:
    """The fallback of ``var(--name, #rrggbb)``."""
    return re.search(r"#[0-9a-fA-F]{6}", colour).group()


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    dark, light = sorted([luminance(a), luminance(b)])
    return (light + 0.05) / (dark + 0.05)


def line(**kwargs):
    defaults = {
        "x_labels": ["第1周", "第2周", "第3周"],
        "title": "累计进度",
        "empty_text": "暂无数据",
    }
    return line_chart(kwargs.pop("series", [Series("已培训", [10, 20, 30])]), **defaults | kwargs)


def bars(values, **kwargs):
    items = [Bar(f"区{i}", v) for i, v in enumerate(values)]
    return bar_chart(items, **{"title": "完成率", "empty_text": "暂无数据"} | kwargs)


def tiles(percents, **kwargs):
    items = [Tile(f"区{i}", p) for i, p in enumerate(percents)]
    return tile_grid(items, **{"title": "地图", "empty_text": "暂无数据"} | kwargs)


def stacked(rows):
    return stacked_bar_chart(rows, title="出勤", parts=PARTS, empty_text="暂无数据")


ALL_CHARTS = {
    "line": lambda: line(),
    "bar": lambda: bars([40, 80]),
    "percent": lambda: bars([40, 80], percent=True),
    "stacked": lambda: stacked([StackedBar("西湖区", {"attended": 3, "no_show": 1})]),
    "tiles": lambda: tiles([10, 90]),
    "line-empty": lambda: line(series=[]),
    "bar-empty": lambda: bars([]),
    "stacked-empty": lambda: stacked([]),
    "tiles-empty": lambda: tiles([]),
}


@pytest.mark.parametrize("make", ALL_CHARTS.values(), ids=ALL_CHARTS.keys())
def test_every_chart_is_an_accessible_responsive_svg(make):
    root = parse(make())
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("height") is None  # the viewBox's aspect ratio sets it
    assert re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox"))
    assert root.get("preserveAspectRatio")
    assert root.get("font-family") == "inherit"
    title = root.find(f"{NS}title").text
    assert title == root.get("aria-label")
    assert title.split(":")[0] in {"累计进度", "完成率", "出勤", "地图"}


@pytest.mark.parametrize("make", ALL_CHARTS.values(), ids=ALL_CHARTS.keys())
def test_colours_are_themeable_custom_properties(make):
    colours = [
        e.get(attr) for e in parse(make()).iter() for attr in ("fill", "stroke") if e.get(attr)
    ]
    assert all(c == "none" or c.startswith("var(--chart-") for c in colours), colours


def test_labels_and_titles_are_escaped():
    outputs = [
        line(
            series=[Series(EVIL, [1, 2])],
            x_labels=[EVIL, "b"],
            title=EVIL,
            target_label=EVIL,
            target=5,
        ),
        bar_chart([Bar(EVIL, 3)], title=EVIL, empty_text=EVIL),
        stacked_bar_chart(
            [StackedBar(EVIL, {"k": 1})], title=EVIL, parts=[("k", EVIL)], empty_text=""
        ),
        tile_grid(
            [Tile(EVIL, 50, url=f"/x?a=1&b={EVIL}")], title=EVIL, empty_text="", legend=[(0, EVIL)]
        ),
        bar_chart([], title=EVIL, empty_text=EVIL),
    ]
    for svg in outputs:
        assert "<script>" not in svg
        root = parse(svg)
        assert root.get("aria-label").startswith(EVIL)
        # Escaped, not mangled: a label or a mark's tooltip reads back exactly as given.
        tooltips = [e.text for e in root.iter(f"{NS}title")][1:]
        assert any(EVIL in text for text in texts(root) + tooltips)
    link = parse(outputs[3]).find(f"{NS}a")
    assert link.get("href") == f"/x?a=1&b={EVIL}"


def test_one_mark_per_value_with_label_and_value_in_its_tooltip():
    series = [Series("已培训", [1200, 2400, 3600]), Series("已考试", [800, 1500])]
    points = marks(parse(line(series=series)), "point")
    assert len(points) == 5
    assert tooltip(points[2]) == "已培训 · 第3周: 3,600"
    assert tooltip(points[4]) == "已考试 · 第2周: 1,500"

    drawn = marks(parse(bars([1, 2, 3, 4])), "bar")
    assert [tooltip(b) for b in drawn] == ["区0: 1", "区1: 2", "区2: 3", "区3: 4"]

    tiles_drawn = marks(parse(tiles([10, 20.5, 30])), "tile")
    assert len(tiles_drawn) == 3
    assert tooltip(tiles_drawn[1].find(f"{NS}rect")) == "区1: 20.5%"

    rows = [
        StackedBar("西湖区考点", {"attended": 300, "no_show": 25, "waiting": 0}),
        StackedBar("上城区考点", {"attended": 100, "no_show": 0, "waiting": 100}),
    ]
    root = parse(stacked(rows))
    assert len(marks(root, "row")) == 2
    segments = marks(root, "segment")
    assert len(segments) == 4  # zero values draw nothing
    assert tooltip(segments[0]) == "西湖区考点 · 已参考: 300 (92.3%)"


def test_bar_widths_are_proportional_and_in_the_given_order():
    widths = [float(b.get("width")) for b in marks(parse(bars([10, 20, 5])), "bar")]
    assert widths[1] == pytest.approx(2 * widths[0], abs=0.1)
    assert widths[0] == pytest.approx(2 * widths[2], abs=0.1)

    rows = [StackedBar("a", {"attended": 10}), StackedBar("b", {"attended": 10, "waiting": 10})]
    root = parse(stacked(rows))
    segment_widths = [float(s.get("width")) for s in marks(root, "segment")]
    assert segment_widths[0] == pytest.approx(segment_widths[1], abs=0.1)
    assert segment_widths[1] + segment_widths[2] == pytest.approx(2 * segment_widths[0], abs=0.1)
    assert {"10", "20"} <= set(texts(root))


def test_percent_bars_clamp_the_drawing_but_show_the_real_value():
    root = parse(bars([50, 100, 112.5, -5], percent=True))
    widths = [float(b.get("width")) for b in marks(root, "bar")]
    track = float(marks(root, "track")[0].get("width"))
    assert widths[1] == pytest.approx(track)
    assert widths[2] == widths[1]  # clamped at 100%
    assert widths[0] == pytest.approx(track / 2, abs=0.1)
    assert widths[3] == 0
    assert {"50.0%", "100.0%", "112.5%", "-5.0%"} <= set(texts(root))


def test_max_value_sets_the_scale():
    widths = [float(b.get("width")) for b in marks(parse(bars([25, 300], max_value=100)), "bar")]
    assert widths[1] == pytest.approx(4 * widths[0], abs=0.1)


def test_long_chinese_labels_get_a_wider_label_column():
    def bar_start(label):
        root = parse(bar_chart([Bar(label, 1)], title="t", empty_text=""))
        return float(marks(root, "bar")[0].get("x")), texts(root)[0]

    start_cjk, shown = bar_start("杭州市安全生产培训中心站")  # 12 characters
    start_latin, _ = bar_start("abcdefghijkl")
    assert shown == "杭州市安全生产培训中心站"  # fits whole
    assert start_cjk > 1.5 * start_latin  # counted double width


def test_line_points_rise_as_values_grow():
    points = marks(parse(line(series=[Series("s", [0, 100, 250, 250])])), "point")
    ys = [float(p.get("cy")) for p in points]
    xs = [float(p.get("cx")) for p in points]
    assert ys[0] > ys[1] > ys[2] == ys[3]  # SVG y grows downward
    assert xs == sorted(xs)


def gridline_values(root):
    values = []
    for text in texts(root):
        if re.fullmatch(r"[\d,]+", text):
            values.append(int(text.replace(",", "")))
    return values


def test_y_axis_is_a_nice_round_scale_with_formatted_ticks():
    root = parse(line(series=[Series("s", [1200, 5100, 12345])]))
    ticks = gridline_values(root)
    assert ticks[0] == 0
    assert max(ticks) >= 12345
    assert 4 <= len(ticks) <= 6
    step = ticks[1] - ticks[0]
    assert ticks == [step * i for i in range(len(ticks))]
    assert str(step).rstrip("0") in {"1", "2", "25", "5"}
    assert "12,500" in texts(root)


def test_target_line_is_drawn_and_the_axis_covers_it():
    root = parse(line(target=1000, target_label="年度目标"))
    target = marks(root, "target")
    assert len(target) == 1
    assert target[0].find(f"{NS}line").get("stroke-dasharray")
    assert "年度目标 1,000" in texts(root)
    assert max(gridline_values(root)) >= 1000
    gridlines = [e for e in root.iter(f"{NS}line") if "chart-grid" in e.get("stroke")]
    top_gridline = min(float(e.get("y1")) for e in gridlines)
    assert float(target[0].find(f"{NS}line").get("y1")) >= top_gridline
    assert "年度目标 1,000" in root.get("aria-label")

    assert marks(parse(line()), "target") == []


@pytest.mark.parametrize("week", ["第{}周", "W{}"])  # wide labels, and narrow ones
def test_x_labels_are_thinned_keeping_the_latest(week):
    weeks = [week.format(i) for i in range(1, 41)]
    root = parse(line(series=[Series("s", list(range(40)))], x_labels=weeks))
    shown = [t for t in texts(root) if t in weeks]
    assert 4 <= len(shown) <= 8
    assert shown[0] == weeks[-1]
    assert len(marks(root, "point")) == 40


@pytest.mark.parametrize(
    "series, x_labels",
    [
        ([Series("a", [1, 2, 3, 4]), Series("b", [1])], ["w1", "w2"]),  # fewer labels than points
        ([Series("a", [5])], ["w1", "w2", "w3"]),  # one point
        ([Series("a", []), Series("b", [0, 0])], []),  # all zero, no labels
    ],
)
def test_series_of_different_lengths_do_not_crash(series, x_labels):
    root = parse(line(series=series, x_labels=x_labels))
    assert len(marks(root, "point")) == sum(len(s.values) for s in series)


@pytest.mark.parametrize(
    "make",
    [
        lambda: line(series=[]),
        lambda: line(series=[Series("a", []), Series("b", [])]),
        lambda: bars([]),
        lambda: stacked([]),
        lambda: stacked_bar_chart(
            [StackedBar("a", {"x": 1})], title="t", parts=[], empty_text="暂无数据"
        ),
        lambda: tiles([]),
    ],
)
def test_no_data_says_so_and_draws_nothing(make):
    root = parse(make())
    assert texts(root) == ["暂无数据"]
    assert root.get("aria-label").endswith("暂无数据")
    for kind in ("point", "bar", "segment", "tile"):
        assert marks(root, kind) == []


def test_tile_colours_darken_with_percent_and_text_stays_readable():
    percents = [0, 10, 19.9, 20, 45, 60, 79, 80, 100, 130]
    root = parse(tiles(percents))
    fills, inks = [], []
    for tile in marks(root, "tile"):
        fill = fallback(tile.find(f"{NS}rect").get("fill"))
        fills.append(fill)
        for text in tile.findall(f"{NS}text"):
            inks.append(contrast(fill, fallback(text.get("fill"))))
    lightness = [luminance(f) for f in fills]
    assert lightness == sorted(lightness, reverse=True)
    assert len(set(fills)) == 5
    assert fills[1] == fills[2] != fills[3]  # 20% starts the next step
    assert min(inks) >= 4.5  # WCAG AA, so the text colour must switch on dark tiles
    assert {"0.0%", "19.9%", "130.0%"} <= set(texts(root))


def test_tile_legend_sets_the_steps():
    legend = [(0, "未达标"), (50, "达标")]
    root = parse(tiles([49.9, 50], legend=legend))
    fills = [fallback(t.find(f"{NS}rect").get("fill")) for t in marks(root, "tile")]
    assert luminance(fills[0]) > luminance(fills[1])
    items = marks(root, "legend-item")
    assert ["".join(i.itertext()) for i in items] == ["未达标", "达标"]
    assert [fallback(i.find(f"{NS}rect").get("fill")) for i in items] == fills


def test_tile_with_url_is_a_link():
    root = parse(
        tile_grid(
            [Tile("西湖区", 80, url="/dashboards/xihu/"), Tile("上城区", 60)],
            title="地图",
            empty_text="",
        )
    )
    links = root.findall(f"{NS}a")
    assert len(links) == 1
    assert links[0].get("href") == "/dashboards/xihu/"
    assert "西湖区" in texts(links[0])
    assert marks(links[0], "tile")
    # Links inside role="img" are hidden from assistive technology.
    assert root.get("role") == "group"


def test_numbers_have_thousands_separators():
    root = parse(bar_chart([Bar("全市", 1234567), Bar("西湖区", 2.5)], title="t", empty_text=""))
    assert {"1,234,567", "2.5"} <= set(texts(root))
    assert "全市 1,234,567" in root.get("aria-label")
    series = [Series("已培训", [9000, 21500])]
    root = parse(line(series=series, x_labels=["a", "b"], target=30000, target_label="目标"))
    assert "30,000" in texts(root)
    assert root.get("aria-label") == "累计进度: 已培训 21,500; 目标 30,000"
