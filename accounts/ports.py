"""The ports of accounts: what accounts asks of the apps above it without importing them.

Accounts sits under every app, yet two things about a worker's real-name record are known only
above it. The apps that know register a function here in their ``AppConfig.ready`` (as exams
fills ``certificates.ports``):

- **Records that use the profile** (``profile_uses_register``): a function taking a profile id
  and returning, for people, what holds the worker's name, ID number and photo (a booking, a
  certificate). A profile some record uses is *fixed*: its name and photo change only through a
  correction request, and staff deciding a request see the records (``profile_uses``).
- **A correction was approved** (``correction_listener_register``): called as
  ``listener(actor=..., holder_id=..., reason=...)`` inside the approval's transaction, after
  the profile was corrected; what it writes commits or rolls back with the correction, and an
  exception it raises refuses the approval. Certificates re-issue the holder's certificates in
  force with it (``certificates.services.certificates_reissue_for_correction``).
- **An ID number was freed** (``id_number_freed_listener_register``): called as
  ``listener(actor=..., holder_id=..., id_number=..., reason=...)`` in the same transaction when
  an approved claim takes ``id_number`` from ``holder_id`` (the account that registered someone
  else's number). Certificates revoke what that account holds under the number.

The registries are keyed by name, so a second registration under the same name replaces the
first. ``correction_listener_check`` (a system check registered by ``accounts.apps``) fails
start-up when nothing listens, so an approved correction cannot silently leave certificates
showing the old name.
"""

from collections.abc import Callable
from typing import Protocol

from django.core import checks

ProfileUses = Callable[[int], list[str]]


class CorrectionListener(Protocol):
    def __call__(self, *, actor, holder_id: int, reason: str) -> object: ...


class IdNumberFreedListener(Protocol):
    def __call__(self, *, actor, holder_id: int, id_number: str, reason: str) -> object: ...


_uses: dict[str, ProfileUses] = {}
_listeners: dict[str, CorrectionListener] = {}
_freed_listeners: dict[str, IdNumberFreedListener] = {}


def profile_uses_register(*, name: str, uses: ProfileUses) -> None:
    _uses[name] = uses


def correction_listener_register(*, name: str, listener: CorrectionListener) -> None:
    _listeners[name] = listener


def id_number_freed_listener_register(*, name: str, listener: IdNumberFreedListener) -> None:
    _freed_listeners[name] = listener


def profile_uses(profile_id: int) -> list[str]:
    """What records use the profile, for people ("Certificate AX2026…"); empty when none."""
    return [use for name in sorted(_uses) for use in _uses[name](profile_id)]


def profile_in_use(profile_id: int) -> bool:
    return any(_uses[name](profile_id) for name in sorted(_uses))


def correction_approved(*, actor, holder_id: int, reason: str) -> None:
    """Tell every listener, in the caller's transaction, that ``holder_id`` was corrected."""
    for name in sorted(_listeners):
        _listeners[name](actor=actor, holder_id=holder_id, reason=reason)


def id_number_freed(*, actor, holder_id: int, id_number: str, reason: str) -> None:
    """Tell every listener, in the caller's transaction, that ``holder_id`` lost ``id_number``
    to its real owner."""
    for name in sorted(_freed_listeners):
        _freed_listeners[name](actor=actor, holder_id=holder_id, id_number=id_number, reason=reason)


def correction_listener_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if _listeners:
        return []
    return [
        checks.Error(
            "Nothing listens for approved real-name corrections.",
            hint="The certificates app calls accounts.ports.correction_listener_register() in "
            "its AppConfig.ready(); is 'certificates' in INSTALLED_APPS?",
            id="accounts.E001",
        )
    ]
