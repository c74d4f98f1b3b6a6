"""A forgotten password reset by an SMS code: the code's state, kept in the session.

allauth 65's password reset by code is e-mail only, so the phone's is here, built the same way
(a 6-digit code, ``ACCOUNT_PASSWORD_RESET_BY_CODE_TIMEOUT`` and ``_MAX_ATTEMPTS``) and rate-limited
by allauth's limits (``reset_password_by_sms`` in ``ACCOUNT_RATE_LIMITS``). An unregistered number
gets the same answer as a registered one and no SMS: nobody learns who has an account here.
The session keeps only a keyed digest of the code.
"""

import enum
import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import User

SESSION_KEY = "anxun_password_reset_sms"
RATE_LIMIT_ACTION = "reset_password_by_sms"


class Check(enum.Enum):
    RIGHT = "right"
    WRONG = "wrong"  # a wrong code, attempts remain
    EXHAUSTED = "exhausted"  # the last attempt failed: the code is void
    EXPIRED = "expired"  # no code, or too old: ask for a new one


def _digest(phone: str, code: str) -> str:
    return salted_hmac("anxun.password_reset_sms", f"{phone}:{code}").hexdigest()


def code_request_allowed(request, *, phone: str) -> bool:
    """Count one request for a code for ``phone`` from this client; False when over a limit."""
    return ratelimit.consume(request, action=RATE_LIMIT_ACTION, key=phone)


def code_send(request, *, phone: str) -> None:
    """Start a reset for ``phone`` (normalised, +86...): a code by SMS if an active account has
    that number, and, whichever it is, a pending reset in the session."""
    user = User.objects.filter(phone=phone, is_active=True).first()
    state: dict = {"phone": phone, "at": time.time(), "failed_attempts": 0, "user_id": None}
    if user is not None:
        adapter = get_adapter(request)
        code = adapter.generate_password_reset_code()
        state.update(user_id=user.pk, digest=_digest(phone, code))
        adapter.send_password_reset_code_sms(phone=phone, code=code)
    request.session[SESSION_KEY] = state


def pending_phone(request) -> str | None:
    """The number a live reset is for, or None (no reset, or its code expired: then forgotten)."""
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict):
        return None
    if time.time() - state.get("at", 0) > account_settings.PASSWORD_RESET_BY_CODE_TIMEOUT:
        code_forget(request)
        return None
    return state["phone"]


def code_check(request, *, code: str) -> tuple[Check, User | None]:
    """Check a typed code against the pending reset, counting a wrong one; the last allowed
    wrong code voids the reset. An unregistered number's reset takes no code at all."""
    if pending_phone(request) is None:
        return Check.EXPIRED, None
    state = request.session[SESSION_KEY]
    user = User.objects.filter(pk=state["user_id"], is_active=True).first()
    code = "".join(code.split())
    if user is not None and constant_time_compare(state["digest"], _digest(state["phone"], code)):
        return Check.RIGHT, user
    state["failed_attempts"] += 1
    if state["failed_attempts"] >= account_settings.PASSWORD_RESET_BY_CODE_MAX_ATTEMPTS:
        code_forget(request)
        return Check.EXHAUSTED, None
    request.session[SESSION_KEY] = state
    return Check.WRONG, None


def code_forget(request) -> None:
    request.session.pop(SESSION_KEY, None)
