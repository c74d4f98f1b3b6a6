"""Chinese line breaking (禁则) and wrapping to a measured width: the one set of rules every
document (poster, certificate, ticket, 学时证明) breaks its lines by.

Neither Pillow nor reportlab breaks lines, and no library we use knows the Chinese rules:
closing punctuation never starts a line, opening punctuation never ends one, a Latin word or
number stays whole, a separator (" · ") stays at the end of a line. What is here is those
rules as tokens (the places a line may break), a greedy wrap, a balanced wrap (lines of
similar length, no orphan on a last line), and a phrase wrap (break between phrases when that
costs no extra line) for titles and footers.

Widths come from a ``Measure``: ``measure(text, size_mm, weight) -> width_mm`` (see
``layout.measure_for``); nothing here loads a font.
"""

import re
from collections.abc import Callable, Sequence

__all__ = [
    "HANG_AT_LINE_START",
    "NO_LINE_END",
    "NO_LINE_START",
    "PHRASE_END",
    "Measure",
    "balanced_wrap",
    "phrase_tokens",
    "phrase_wrap",
    "phrases_fit",
    "tokens",
    "url_tokens",
    "wrap",
]

Measure = Callable[..., float]  # (text, size_mm, weight=0.0) -> width_mm

# Chinese line-breaking rules (禁则): closing punctuation never starts a line, opening
# punctuation never ends one. Both stick to their neighbour instead.
NO_LINE_START = frozenset("，。、；：！？）》」』】〕〉”’…—·%,.;:!?)]}")
NO_LINE_END = frozenset("（《「『【〔〈“‘([{")
# Opening marks that ink only the right half of their em: a layout may hang the empty half in
# the margin when a line starts with one.
HANG_AT_LINE_START = frozenset("“‘《「『【")
# Punctuation that ends a phrase (not dashes: "09:00—11:30" is one phrase).
PHRASE_END = frozenset("，。、；：！？）》」』】〕〉”’·,;!?)")
# A Latin word or number (with the punctuation inside it, as in 09:00, 12350, A/B or 3*4)
# stays whole; any other character (ideographs, punctuation) may be broken around.
_ATOM = re.compile(r"\s+|[0-9A-Za-z](?:[0-9A-Za-z'’._:@&+\-/*]*[0-9A-Za-z])?|.", re.DOTALL)


def tokens(text: str) -> list[str]:
    """The pieces a line may break between: whitespace runs, Latin words and numbers whole,
    each ideograph alone, closing punctuation stuck to what it closes and opening punctuation
    to what it opens; a closing mark after a space ("主办 · 承办") joins the word before it with
    the space, so the separator ends a line rather than starting the next. Joining the tokens
    gives back ``text``, except that such a space is always one space."""
    found: list[str] = []
    for atom in _ATOM.findall(text):
        if (
            found
            and not atom.isspace()
            and not found[-1].isspace()
            and (atom[0] in NO_LINE_START or found[-1][-1] in NO_LINE_END)
        ):
            found[-1] += atom
            continue
        if atom[0] in NO_LINE_START and len(found) > 1 and found[-1].isspace():
            found.pop()
            found[-1] += " " + atom
            continue
        found.append(atom)
    return found


def url_tokens(url: str) -> list[str]:
    """A URL's break points: after a slash (or ?, &, =), never inside a path segment."""
    return re.findall(r"[^/?&=]*[/?&=]|[^/?&=]+", url)


def phrase_tokens(text: str) -> list[str]:
    """Tokens as whole phrases: break only at spaces, after closing punctuation and before
    opening punctuation (so 「“安全宣传咨询日”」 stays on one line when it can)."""
    phrases: list[str] = []
    for token in tokens(text):
        if (
            phrases
            and not token.isspace()
            and not phrases[-1].isspace()
            and phrases[-1][-1] not in PHRASE_END
            and token[0] not in NO_LINE_END
        ):
            phrases[-1] += token
        else:
            phrases.append(token)
    return phrases


def wrap(
    text: str,
    *,
    width: float,
    size: float,
    measure: Measure,
    weight: float = 0.0,
    tokens: Sequence[str] | None = None,
) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` mm at ``size`` (and outline
    ``weight``), greedily, at the break points of ``tokens(text)`` (or the ``tokens`` given,
    which then stand for the text). Whitespace runs count as one space and lines are stripped
    at the right; a token wider than a line is split between characters. Always at least one
    line (``[""]`` for an empty text)."""
    pieces = tokens if tokens is not None else _tokens(" ".join(text.split()))
    lines: list[str] = []
    current = ""
    for token in pieces:
        if token.isspace():
            current += " " if current else ""
            continue
        if measure(current + token, size, weight) <= width:
            current += token
            continue
        if current.strip():
            lines.append(current.rstrip())
            current = ""
        if measure(token, size, weight) <= width:
            current = token
            continue
        for char in token:  # a single token wider than the line: break it anywhere
            if current and measure(current + char, size, weight) > width:
                lines.append(current)
                current = ""
            current += char
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


_tokens = tokens  # ``wrap`` has a parameter of that name


def balanced_wrap(
    text: str,
    *,
    width: float,
    size: float,
    measure: Measure,
    weight: float = 0.0,
    tokens: Sequence[str] | None = None,
) -> list[str]:
    """As few lines as ``wrap`` gives, but of similar length: the narrowest width (never below
    the widest token) that needs no extra line, found by bisection."""

    def lines_at(line_width: float) -> list[str]:
        return wrap(
            text, width=line_width, size=size, measure=measure, weight=weight, tokens=tokens
        )

    lines = lines_at(width)
    if len(lines) < 2:
        return lines
    # Never narrower than the widest token: below that wrap would split a token anywhere.
    tokens_used = tokens if tokens is not None else _tokens(text)
    low = min(width, max(measure(token, size, weight) for token in tokens_used))
    high = width
    for _ in range(14):  # bisect the narrowest width that still needs no extra line
        middle = (low + high) / 2
        if len(lines_at(middle)) <= len(lines):
            high = middle
        else:
            low = middle
    return lines_at(high)


def phrases_fit(
    phrases: Sequence[str], *, width: float, size: float, measure: Measure, weight: float
) -> bool:
    """Whether every phrase fits a line of ``width`` mm on its own."""
    return all(measure(phrase, size, weight) <= width for phrase in phrases)


def phrase_wrap(
    text: str, *, width: float, size: float, measure: Measure, weight: float = 0.0
) -> list[str]:
    """Balanced lines, broken between phrases (``phrase_tokens``) when that needs no extra
    line, else between tokens."""
    lines = balanced_wrap(text, width=width, size=size, measure=measure, weight=weight)
    phrases = phrase_tokens(text)
    if len(lines) > 1 and phrases_fit(
        phrases, width=width, size=size, measure=measure, weight=weight
    ):
        by_phrase = balanced_wrap(
            text, width=width, size=size, measure=measure, weight=weight, tokens=phrases
        )
        if len(by_phrase) <= len(lines):
            return by_phrase
    return lines
