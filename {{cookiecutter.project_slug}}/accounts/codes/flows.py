"""Login by emailed code: ask for one (``POST login/code``), trade it (``PUT login/code``).

Asking answers the same, at the same cost, whether or not an account has the address
(SEC-58, SEC-53): the request counts its throttles and queues one outbox task; the sender
looks the account up, makes the code and mails it. Trading counts every try before the code
is compared: against the client's IP (``login_ip``), against the code itself (three tries,
``accounts.codes.onetime``) and against the account (``login_account``, shared with its
passwords, SEC-27); a right code gives its tries back. An account with a second factor gets
the second step (``mfa_required``) instead of a session, unless ``AUTH_LOGIN_CODE_SKIPS_MFA``.

Login by code is on while ``AUTH_LOGIN_METHODS`` has ``"code"``; off, both answer 404.
"""

from accounts import clock, conf, documents
from accounts.codes import onetime
from accounts.core.audit import security_event
from accounts.core.client import client_bucket
from accounts.core.digests import IssuedToken
from accounts.core.identifiers import canonical_key
from accounts.errors import InvalidCode, NotFound
from accounts.mail import outbox
from accounts.mail.emails import LoginCodeEmail
from accounts.mfa import flows as mfa
from accounts.models import User
from accounts.security import throttling

METHOD = "code"  # its name in AUTH_LOGIN_METHODS
EMAIL_MAX = 254
CODE_MAX = 64  # 8 characters, with room for the dash and the spaces people type


def require_enabled() -> None:
    """Answer 404 while ``AUTH_LOGIN_METHODS`` leaves login by code out."""
    if METHOD not in conf.get("AUTH_LOGIN_METHODS"):
        raise NotFound("Login by code is not enabled on this server.")


def request_code(email: str) -> None:
    """Ask for a login code for ``email``: the same work whether or not it has an account.

    Counted against the client's IP and the address (the scopes of every email asked for, so
    a mail-bomber gains nothing by alternating with resets), then one task queued.
    """
    require_enabled()
    account = canonical_key(email)
    throttling.hit("email_ip", client_bucket())
    throttling.hit("email_account", account)
    outbox.enqueue_task("login_code", account=account)


@outbox.register_task("login_code")
def send_code(account: str) -> None:
    """Mail a login code to the active account with the address ``account``, if any (the sender)."""
    user = User.objects.filter(email_key=account).first()  # djongo: no filter on a boolean
    active = user is not None and user.is_active
    issued = onetime.issue(user, onetime.LOGIN) if active else None
    if issued is None:
        security_event("login_code_requested", user="unknown")
        return
    security_event("login_code_requested", user=user.pk)
    if not LoginCodeEmail(user, issued).send():
        onetime.kill(user, onetime.LOGIN)  # never delivered: no code outlives its mail


def log_in(email: str, typed: str) -> IssuedToken:
    """Trade ``typed``, the code mailed to ``email``, for a session; raise ``InvalidCode``.

    Raises ``MfaRequired`` (the second step's ``mfa_token``) for an account with a second
    factor, unless ``AUTH_LOGIN_CODE_SKIPS_MFA``. A wrong, used, expired or dead code, and
    an address with no account, are the same ``InvalidCode`` after the same queries.
    """
    require_enabled()
    account = canonical_key(email)
    counted = throttling.attempt(("login_ip", client_bucket()))
    code = onetime.normalise(typed)
    found = onetime.try_code(account, onetime.LOGIN) if code is not None else None
    holder, stored = found if found is not None else (None, {})
    # Counted before the comparison, under the account's key, or the address's when none.
    key = throttling.account_key(holder) if holder is not None else account
    counted.keys += throttling.attempt(("login_account", key)).keys
    if holder is None or not onetime.matches(holder, onetime.LOGIN, stored, code):
        if stored.get("failures", 0) >= onetime.MAX_TRIES:  # dead: the query skips it now
            security_event("login_code_exhausted", user=holder.pk)
        security_event("login_code_failed", user=holder.pk if holder is not None else "unknown")
        raise InvalidCode()
    user = onetime.use(holder, onetime.LOGIN, stored)
    if user is None:
        raise InvalidCode()  # a racing request with the same code got there first
    counted.forgive()
    _mark_verified(user)
    # The code stands for the password, not the second factor, unless the settings say both.
    return mfa.finish_login(
        user, "code", ask_second_factor=not conf.get("AUTH_LOGIN_CODE_SKIPS_MFA")
    )


def _mark_verified(user: User) -> None:
    """Record that the address is verified: the code that reached it proves it, as a link would.

    Conditional on the address the code was bound to, in one update.
    """
    if user.email_verified:
        return
    now = clock.now()
    where = {"email_key": user.email_key, "email_verified": False}
    if documents.update_where(
        User, user.pk, where, {"$set": {"email_verified": True, "email_verified_at": now}}
    ):
        user.email_verified, user.email_verified_at = True, now
        security_event("verify_done", user=user.pk, method="code")
