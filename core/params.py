"""Reading ids and numbers out of query strings and forms without ever raising."""


def int_param(value) -> int | None:
    """A small non-negative integer, or None for anything else: ``"²".isdigit()`` is True and
    ``int("²")`` raises, and a 30-digit id overflows the database column, so check both."""
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdecimal() and len(text) < 10 else None
