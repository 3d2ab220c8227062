"""The admin's pending login: between its two steps, the session remembers whose password was
right, bound to that password, for ``PENDING_SECONDS``, with ``MAX_WRONG_CODES`` tries at the
second factor (``accounts.admin.login``). Nobody is logged in while it is pending.
"""

import hmac
from datetime import timedelta

from accounts import clock
from accounts.core.audit import security_event
from accounts.core.digests import password_fingerprint
from accounts.mfa import flows as mfa
from accounts.models import User

PENDING = "accounts_admin_pending_login"  # the session's key for the pending login
PENDING_SECONDS = mfa.MFA_TOKEN_TTL  # five minutes, as the API's mfa_token
MAX_WRONG_CODES = mfa.MAX_WRONG_CODES


def begin_pending_login(request, user: User) -> None:
    """Remember in the session that ``user``'s password was right; nobody is logged in yet."""
    request.session.cycle_key()  # a session key fixed before the password is worth nothing
    until = clock.now() + timedelta(seconds=PENDING_SECONDS)
    request.session[PENDING] = {
        "user": user._meta.pk.value_to_string(user),
        "binding": password_fingerprint(user),  # a new password ends the pending login
        "until": until.timestamp(),
        "wrong": 0,
    }
    security_event("admin_login_second_factor_asked", user=user.pk)


def pending_user(request) -> User | None:
    """Return the account whose second factor the session waits for, if it still may pass."""
    state = request.session.get(PENDING)
    if not isinstance(state, dict):
        return None
    user = None
    if float(state.get("until", 0)) > clock.now().timestamp():
        user = User.objects.filter(pk=User._meta.pk.to_python(state.get("user"))).first()
    if (
        user is None
        or not (user.is_active and user.is_staff and user.has_second_factor)
        or state.get("wrong", MAX_WRONG_CODES) >= MAX_WRONG_CODES
        or not hmac.compare_digest(str(state.get("binding", "")), password_fingerprint(user))
    ):
        end_pending_login(request)
        return None
    return user


def count_wrong_code(request) -> bool:
    """Count one wrong code on the pending login; tell whether it may go on."""
    state = request.session[PENDING]
    state["wrong"] = state.get("wrong", 0) + 1
    request.session[PENDING] = state  # saved: a mutated dict alone is not
    return state["wrong"] < MAX_WRONG_CODES


def end_pending_login(request) -> None:
    """Forget the pending login: a new password, a cancel, too many codes or a success."""
    request.session.pop(PENDING, None)
