"""StreamField blocks of the demo pages in their stored (JSON) form, one helper per kind of
block an editor would add: the demo's code and its data files (through
``seeding.loaders.stream_blocks``) build bodies with the same helpers.

Images, documents and pages are model instances here (their primary keys are stored); only
their ``pk`` is read.
"""

from typing import Any

from seeding.demo.pictures import SOURCE


def heading(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def para(*paragraphs: str) -> dict:
    return {"type": "paragraph", "value": "".join(f"<p>{p}</p>" for p in paragraphs)}


def bullets(items: list[str], lead: str = "", ordered: bool = False) -> dict:
    tag = "ol" if ordered else "ul"
    html = (
        (f"<p>{lead}</p>" if lead else "")
        + f"<{tag}>"
        + "".join(f"<li>{i}</li>" for i in items)
        + f"</{tag}>"
    )
    return {"type": "paragraph", "value": html}


def picture(image: Any, caption: str, attribution: str = SOURCE) -> dict:
    return {
        "type": "image",
        "value": {"image": image.pk, "caption": caption, "attribution": attribution},
    }


def quote(text: str, who: str = "") -> dict:
    return {"type": "quote", "value": {"text": text, "attribution": who}}


def table(caption: str, rows: list[list[str]]) -> dict:
    return {
        "type": "table",
        "value": {
            "data": rows,
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_caption": caption,
        },
    }


def faq(title: str, items: list[tuple[str, str]]) -> dict:
    return {
        "type": "faq",
        "value": {
            "title": title,
            "items": [{"question": q, "answer": f"<p>{a}</p>"} for q, a in items],
        },
    }


def cta(title: str, text: str, button: str, page: Any) -> dict:
    return {
        "type": "call_to_action",
        "value": {"title": title, "text": text, "button_text": button, "page": page.pk, "url": ""},
    }


def documents(title: str, docs: list[Any]) -> dict:
    return {"type": "documents", "value": {"title": title, "documents": [d.pk for d in docs]}}


def rich(*paragraphs: str) -> str:
    return "".join(p if p.startswith("<") else f"<p>{p}</p>" for p in paragraphs)
