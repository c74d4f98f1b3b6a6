"""Server-side SVG charts for the campaign dashboards: no JavaScript and no chart library.

Each function returns an inline ``<svg>`` that scales to its container. The page puts a table with
the same numbers beside every chart, so a chart is a picture (``role="img"``) with a summary label
and a ``<title>`` tooltip on each mark. Colours are CSS custom properties (``--chart-1`` …,
``--chart-seq-1`` …) whose fallbacks are colour-blind safe, so the stylesheet can theme them.
``empty_text`` (already translated) is what a chart says when it has no data.
"""

import math
import unicodedata
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Everything is laid out in a 400-unit-wide viewBox and scales with its container: on a 390px
# phone (~330-360px for the chart) text renders at 11-14px. Text grows with the width too, so the
# page's stylesheet caps it (about 30rem reads like body text).
WIDTH = 400
FONT, SMALL = 16, 14
ROW, BAR = 30, 20
INK = "var(--chart-ink, #1f2937)"
MUTED = "var(--chart-muted, #4b5563)"
GRID = "var(--chart-grid, #d6dde6)"
BACKGROUND = "var(--chart-bg, #ffffff)"
TICK = {"font_size": SMALL, "fill": MUTED}
# Okabe–Ito, without its yellow (invisible on white) and with the darker hues first.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
# Sequential ColorBrewer blues, light = low; the two darkest steps need white text for contrast.
RAMP = ("#deebf7", "#9ecae1", "#6baed6", "#2171b5", "#08306b")
SVG = {
    "xmlns": "http://www.w3.org/2000/svg",
    "width": "100%",
    "preserveAspectRatio": "xMidYMid meet",
    "font_family": "inherit",
    "font_size": FONT,
    "fill": INK,
}
DEFAULT_LEGEND = [(0, "<20%"), (20, "20–40%"), (40, "40–60%"), (60, "60–80%"), (80, "≥80%")]


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


@dataclass(frozen=True)
class StackedBar:
    label: str
    values: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Tile:
    label: str
    percent: float
    url: str | None = None


def _el(tag: str, *children: str, **attrs: object) -> SafeString:
    """One SVG element. Attribute values and plain-str children are escaped (SafeStrings, i.e.
    other elements, are not); ``font_size`` → ``font-size``, ``class_`` → ``class``."""
    pairs = (
        (name.rstrip("_").replace("_", "-"), _short(value))
        for name, value in attrs.items()
        if value is not None
    )
    attributes = format_html_join("", ' {}="{}"', pairs)
    if not children:
        return format_html("<{}{}/>", tag, attributes)
    return format_html("<{}{}>{}</{}>", tag, attributes, _join(children), tag)


def _short(value: object) -> object:
    # One decimal is finer than a pixel and keeps the markup small.
    return f"{value:.1f}".removesuffix(".0") if isinstance(value, float) else value


def _text(content: str, x: float, y: float, anchor: str | None = None, **attrs) -> SafeString:
    # dy centres the glyphs on y, which is simpler to lay out than a baseline.
    return _el("text", content, x=x, y=y, dy="0.35em", text_anchor=anchor, **attrs)


def _rect(tip: str, x: float, y: float, width: float, height: float, **attrs) -> SafeString:
    """A mark with its tooltip (label and value)."""
    return _el("rect", _el("title", tip), x=x, y=y, width=width, height=height, **attrs)


def _join(parts) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _colour(index: int) -> str:
    return f"var(--chart-{index + 1}, {PALETTE[index % len(PALETTE)]})"


def _shade(index: int) -> str:
    return f"var(--chart-seq-{index + 1}, {RAMP[index]})"


def _width(text: str, size: float = FONT) -> float:
    # CJK glyphs are a full em wide, Latin letters and digits about 0.6 em.
    return size * sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)


def _num(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _clip(text: str, limit: float) -> str:
    """Shorten with an ellipsis to fit ``limit`` units; the tooltip keeps the full text."""
    while len(text) > 1 and _width(text) > limit:
        text = text[:-2] + "…"
    return text


def _nice_scale(value: float) -> tuple[float, float]:
    """Axis top and tick step: 3–5 steps of 1, 2, 2.5 or 5 × 10ⁿ, whole numbers only (counts)."""
    value = max(value, 1)
    for exponent in range(20):
        for multiple in (1, 2, 2.5, 5):
            step = multiple * 10**exponent
            if step % 1 == 0 and math.ceil(value / step) <= 5:
                return math.ceil(value / step) * step, step
    return value, value


def _svg(kind: str, summary: str, height: float, *body: str, role: str = "img") -> SafeString:
    box = f"0 0 {WIDTH} {math.ceil(height)}"
    attrs = {"class_": f"chart chart-{kind}", "viewBox": box, "role": role, "aria_label": summary}
    return _el("svg", _el("title", summary), *body, **attrs, **SVG)


def _empty(kind: str, title: str, empty_text: str) -> SafeString:
    text = _text(empty_text, WIDTH / 2, 30, "middle", class_="empty", fill=MUTED)
    return _svg(kind, f"{title}: {empty_text}", 60, text)


def _legend(
    items: list[tuple[str, str]], y: float, *, line: bool = False
) -> tuple[SafeString, float]:
    """Swatches and labels flowing left to right, wrapping when the width runs out."""
    parts, x = [], 0.0
    for label, colour in items:
        advance = 22 + _width(label, SMALL) + 12
        if x and x + advance > WIDTH:
            x, y = 0.0, y + 22
        if line:
            swatch = _el("line", x1=x, x2=x + 16, y1=y + 7, y2=y + 7, stroke=colour, stroke_width=3)
        else:
            swatch = _el("rect", x=x, y=y, width=14, height=14, rx=2, fill=colour, stroke=GRID)
        text = _text(label, x + 22, y + 7, font_size=SMALL)
        parts.append(_el("g", swatch, text, class_="legend-item"))
        x += advance
    return _join(parts), y + 22


def _label_column(labels: list[str], values: list[str]) -> tuple[float, float]:
    """Where bars start and how long the longest may be: the label column fits the longest label
    (at most half the width: 12 CJK characters), the value column the longest value text."""
    label_width = min(max(_width(label) for label in labels), WIDTH * 0.5)
    return label_width + 8, WIDTH - label_width - 8 - max(_width(v) for v in values) - 10


def line_chart(
    series: list[Series],
    *,
    x_labels: list[str],
    title: str,
    empty_text: str,
    target: int | None = None,
    target_label: str = "",
) -> SafeString:
    """Cumulative series over time (e.g. trained / examined / certified per week)."""
    count = max((len(s.values) for s in series), default=0)
    if not count:
        return _empty("line", title, empty_text)
    labels = [*x_labels[:count], *[""] * (count - len(x_labels))]
    top, step = _nice_scale(max(*(max(s.values, default=0) for s in series), target or 0))
    ticks = [step * i for i in range(round(top / step) + 1)]
    legend, plot_top = _legend([(s.label, _colour(i)) for i, s in enumerate(series)], 4, line=True)
    plot_top, plot_height = plot_top + 14, 220
    bottom = plot_top + plot_height
    left = max(max(_width(_num(t), SMALL) for t in ticks) + 10, _width(labels[0], SMALL) / 2 + 2)
    right = WIDTH - max(12, _width(labels[-1], SMALL) / 2 + 2)
    dx = (right - left) / (count - 1) if count > 1 else 0

    def x_at(i: int) -> float:
        return left + i * dx if count > 1 else (left + right) / 2

    def y_at(value: float) -> float:
        return bottom - plot_height * max(value, 0) / top

    out = [legend]
    for t in ticks:
        out.append(_el("line", x1=left, x2=right, y1=y_at(t), y2=y_at(t), stroke=GRID))
        out.append(_text(_num(t), left - 6, y_at(t), "end", **TICK))
    # At most ~8 x labels, never closer than the widest, counted back from the latest week
    # because that is the one a reader looks for.
    widest = max(_width(label, SMALL) for label in labels) + 8
    every = max(math.ceil(count / 8), math.ceil(widest / dx) if dx else 1)
    for i in range(count - 1, -1, -every):
        out.append(_text(labels[i], x_at(i), bottom + 16, "middle", **TICK))
    if target is not None:
        y = y_at(target)
        dashes = {"stroke": INK, "stroke_width": 1.5, "stroke_dasharray": "6 4"}
        # A halo in the background colour keeps the label readable where it crosses a gridline.
        halo = {"stroke": BACKGROUND, "stroke_width": 4, "paint_order": "stroke"}
        label = f"{target_label} {_num(target)}".strip()
        line = _el("line", x1=left, x2=right, y1=y, y2=y, **dashes)
        out.append(
            _el(
                "g",
                line,
                _text(label, left + 4, y + 12, None, font_size=SMALL, **halo),
                class_="target",
            )
        )
    # Dense weeks would merge full-size dots into a beaded rope; they still need to be hoverable.
    radius = max(1.5, min(3.5, dx / 3)) if dx else 3.5
    for index, s in enumerate(series):
        colour, xy = _colour(index), [(x_at(i), y_at(v)) for i, v in enumerate(s.values)]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        path = _el("polyline", points=points, fill="none", stroke=colour, stroke_width=2.5)
        tips = [f"{s.label} · {labels[i]}: {_num(v)}" for i, v in enumerate(s.values)]
        dots = (
            _el("circle", _el("title", tip), class_="point", cx=x, cy=y, r=radius, fill=colour)
            for tip, (x, y) in zip(tips, xy, strict=True)
        )
        out.append(_el("g", path, *dots, class_="series"))
    summary = [f"{s.label} {_num(s.values[-1])}" for s in series if s.values]
    if target is not None:
        summary.append(f"{target_label} {_num(target)}".strip())
    return _svg("line", f"{title}: {'; '.join(summary)}", bottom + 26, *out)


def bar_chart(
    bars: list[Bar],
    *,
    title: str,
    empty_text: str,
    percent: bool = False,
    max_value: float | None = None,
) -> SafeString:
    """Horizontal bars in the given order. ``percent`` values are drawn clamped to 0–100 but
    labelled with their real value (e.g. 112.5%)."""
    if not bars:
        return _empty("bar", title, empty_text)
    texts = [f"{b.value:.1f}%" if percent else _num(b.value) for b in bars]
    start, room = _label_column([b.label for b in bars], texts)
    scale = max_value or (100 if percent else max(max(b.value for b in bars), 1))
    rows = []
    for i, (bar, text) in enumerate(zip(bars, texts, strict=True)):
        y, mid = 4 + i * ROW, 4 + i * ROW + BAR / 2
        width = room * min(max(bar.value, 0), scale) / scale
        # A track shows where 100% is, so a short bar reads as far from done.
        track = _el("rect", class_="track", x=start, y=y, width=room, height=BAR, fill=GRID)
        rows.append(
            _el(
                "g",
                _text(_clip(bar.label, start - 8), start - 8, mid, "end"),
                track if percent else "",
                _rect(f"{bar.label}: {text}", start, y, width, BAR, class_="bar", fill=_colour(0)),
                # Past a full track the value would sit on it, so it goes after the track.
                _text(text, start + (room if percent else width) + 6, mid),
                class_="row",
            )
        )
    summary = "; ".join(f"{b.label} {t}" for b, t in zip(bars, texts, strict=True))
    return _svg("bar", f"{title}: {summary}", 8 + len(bars) * ROW, *rows)


def stacked_bar_chart(
    rows: list[StackedBar],
    *,
    title: str,
    parts: list[tuple[str, str]],
    empty_text: str,
) -> SafeString:
    """Horizontal stacked bars (e.g. per exam centre: attended / no-show / waiting). ``parts`` are
    (key, translated legend label) in stacking order; the row total is printed after the bar."""
    if not rows or not parts:
        return _empty("stacked", title, empty_text)
    totals = [sum(max(row.values.get(key, 0), 0) for key, _ in parts) for row in rows]
    legend, top = _legend([(label, _colour(i)) for i, (_, label) in enumerate(parts)], 4)
    start, room = _label_column([row.label for row in rows], [_num(t) for t in totals])
    scale = max(max(totals), 1)
    out = [legend]
    for i, (row, total) in enumerate(zip(rows, totals, strict=True)):
        y, x = top + 8 + i * ROW, start
        segments = []
        for index, (key, label) in enumerate(parts):
            value = max(row.values.get(key, 0), 0)
            if value:
                width = room * value / scale
                tip = f"{row.label} · {label}: {_num(value)} ({100 * value / total:.1f}%)"
                # The background-coloured outline separates neighbouring segments.
                style = {"class_": "segment", "fill": _colour(index), "stroke": BACKGROUND}
                segments.append(_rect(tip, x, y, width, BAR, **style))
                x += width
        label = _text(_clip(row.label, start - 8), start - 8, y + BAR / 2, "end")
        total_text = _text(_num(total), x + 6, y + BAR / 2)
        out.append(_el("g", label, *segments, total_text, class_="row"))
    summary = "; ".join(f"{row.label} {_num(t)}" for row, t in zip(rows, totals, strict=True))
    return _svg("stacked", f"{title}: {summary}", top + 12 + len(rows) * ROW, *out)


def tile_grid(
    tiles: list[Tile],
    *,
    title: str,
    empty_text: str,
    columns: int = 4,
    legend: list[tuple[float, str]] | None = None,
) -> SafeString:
    """A district map as a grid of square tiles, coloured in steps by completion percent.

    ``legend`` is (lower bound in percent, label) per step, at most five; by default five steps of
    20%. A tile with a ``url`` links there."""
    if not tiles:
        return _empty("tiles", title, empty_text)
    steps = sorted(legend or DEFAULT_LEGEND)[: len(RAMP)]
    # Fewer steps spread over the whole ramp, so the first is still the lightest, the last darkest.
    shades = [round(i * (len(RAMP) - 1) / max(len(steps) - 1, 1)) for i in range(len(steps))]
    columns, gap = max(1, columns), 6
    size = (WIDTH - gap * (columns - 1)) / columns
    out = []
    for i, tile in enumerate(tiles):
        x, y = (i % columns) * (size + gap), (i // columns) * (size + gap)
        shade = shades[max(0, sum(1 for bound, _ in steps if tile.percent >= bound) - 1)]
        ink = "var(--chart-seq-ink-light, #ffffff)" if shade >= 3 else INK
        percent, middle = f"{tile.percent:.1f}%", x + size / 2
        # Long names shrink to fit the tile rather than spill into the next one.
        name_size = min(FONT + 1, (size - 12) / _width(tile.label or " ", 1))
        bold = {"font_size": min(FONT + 3, size / 5.5), "font_weight": 700, "fill": ink}
        tip = f"{tile.label}: {percent}"
        square = _rect(tip, x, y, size, size, rx=6, fill=_shade(shade), stroke=GRID)
        cell = _el(
            "g",
            square,
            _text(tile.label, middle, y + size * 0.36, "middle", font_size=name_size, fill=ink),
            _text(percent, middle, y + size * 0.66, "middle", **bold),
            class_="tile",
        )
        out.append(_el("a", cell, href=tile.url) if tile.url else cell)
    grid_height = math.ceil(len(tiles) / columns) * (size + gap)
    key, height = _legend(
        [(label, _shade(shades[i])) for i, (_, label) in enumerate(steps)], grid_height + 6
    )
    summary = "; ".join(f"{tile.label} {tile.percent:.1f}%" for tile in tiles)
    # Links inside role="img" would be hidden from screen readers, so a linked grid is a group.
    role = "group" if any(tile.url for tile in tiles) else "img"
    return _svg("tiles", f"{title}: {summary}", height + 2, *out, key, role=role)
