"""Domain errors: raised by services when a rule refuses an action.

The message is translated (gettext_lazy at the raise site) and shown to the user as it is;
views turn a ``DomainError`` into a form error or a 4xx response. A service that raises has
changed nothing: services run in ``transaction.atomic``.
"""


class DomainError(Exception):
    """A rule of the domain refused the action."""

    def __init__(self, message, *, code: str = "invalid", field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


class PermissionDenied(DomainError):
    """The actor may not do this (views answer 403)."""

    def __init__(self, message, *, code: str = "forbidden") -> None:
        super().__init__(message, code=code)
