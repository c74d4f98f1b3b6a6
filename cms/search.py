"""Chinese full-text search on top of Wagtail search.

SQLite FTS5 and PostgreSQL text search split words on spaces and punctuation, so a Chinese
sentence is one token and a search for 消防 finds nothing inside 森林消防日. We index, and query
with, overlapping character bigrams (what Lucene's CJK analyser does, no dictionary needed):
消防日 → 消防 防日. A query's bigrams must all be present (operator "and"), so 森林消防 finds
pages containing 森林 林消 消防.
"""

import re

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def cjk_terms(text: str) -> str:
    """Text as search terms: runs of Chinese characters become their bigrams; other words stay."""
    parts, position = [], 0
    for run in _CJK_RUN.finditer(text or ""):
        parts.append(text[position : run.start()])
        chars = run.group()
        bigrams = [chars[i : i + 2] for i in range(len(chars) - 1)] or [chars]
        parts.append(" " + " ".join(bigrams) + " ")
        position = run.end()
    parts.append((text or "")[position:])
    return " ".join("".join(parts).split())


def search_pages(queryset, query: str):
    """Public pages matching the query, best first (Wagtail search over bigram terms)."""
    terms = cjk_terms(query)
    if not terms:
        return queryset.none()
    return queryset.search(terms, operator="and", order_by_relevance=True)
