"""The seed's flows (register, login, verify, reset) and password change.

Views and the seed-compatible ``User`` methods both call these (``logout`` is
``accounts.sessions.flows``'); each raises an ``AuthError`` subclass with a human message
on failure.
"""

import contextlib

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.db import DatabaseError

from accounts import clock, conf
from accounts.auth import links
from accounts.core.audit import security_event
from accounts.core.client import client_bucket
from accounts.core.digests import IssuedToken
from accounts.core.identifiers import canonical_key, clean_email, clean_username
from accounts.core.passwords import check_length_cap, validate_new_password
from accounts.core.payload import body_json, link_token, string_field
from accounts.documents import is_duplicate_key
from accounts.errors import AlreadyTaken, AlreadyVerified, InvalidInput, Throttled
from accounts.mail import outbox
from accounts.mail.emails import (
    EmailTypes,
    PasswordChangedEmail,
    PasswordResetEmail,
    VerificationEmail,
)
from accounts.mfa import flows as mfa
from accounts.models import LinkToken, User
from accounts.security import credentials, throttling
from accounts.sessions import tokens as sessions
from accounts.sessions.decorators import authenticate_request


def _require_str(value, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidInput(f"'{name}' must be a non-empty string.", code="invalid_field")
    return value


def _taken(user: User) -> AlreadyTaken | None:
    """Say which of the user's name (or a look-alike, SEC-29) and address another account has."""
    if User.objects.username_taken(user.username):
        return AlreadyTaken("That username is already taken.", code="username_taken")
    if User.objects.filter(email_key=canonical_key(user.email)).exists():
        message = "An account with that email address already exists."
        return AlreadyTaken(message, code="email_taken")
    return None


def register(user: User) -> User:
    """Validate ``user`` (whose ``password`` is still cleartext), hash the password and save.

    Registration says when a name or address is taken, as users expect (SEC-25);
    the unique indexes decide races, so two racing requests make one account.
    """
    throttling.hit("register_ip", client_bucket())
    password = _require_str(user.password, "password")
    user.username = clean_username(_require_str(user.username, "username"))
    user.email = clean_email(_require_str(user.email, "email"))
    check_length_cap(password)
    if (taken := _taken(user)) is not None:
        raise taken
    validate_new_password(password, user)
    user.set_password(password)
    try:
        user.save(force_insert=True)
    except DatabaseError as exc:
        if not is_duplicate_key(exc):
            raise
        user.pk = None
        raise (_taken(user) or AlreadyTaken()) from None
    security_event("register", user=user.pk)
    return user


def send_verification_after_register(user: User) -> None:
    """Mail the new account its verification link, if ``AUTH_REGISTER_SENDS_VERIFICATION``.

    The account exists by now, so a throttled or failed mail does not undo the
    sign-up: the user can ask again with ``POST verify`` (the seed's flow).
    """
    if not conf.get("AUTH_REGISTER_SENDS_VERIFICATION"):
        return
    with contextlib.suppress(Throttled):  # logged as event=throttled; POST verify sends it later
        send_verification_email(user)


def login(username, password) -> IssuedToken:
    """Check the credentials and issue a login token.

    ``username`` may be an email address when ``AUTH_LOGIN_METHODS`` allows it
    (``accounts.security.credentials.find_login_user``).
    Every failure is the same error, and every branch costs exactly one
    password hash: an unknown user is checked against a dummy (SEC-23, SEC-26).
    Each try is counted against the account name and the client IP before the
    password is checked, and refused once either is over its limit, even with
    the right password, for known and unknown names alike (SEC-27). With MFA on,
    the right password raises ``MfaRequired`` with an ``mfa_token`` instead
    (``accounts.mfa.flows``).
    """
    username = _require_str(username, "username")
    password = _require_str(password, "password")
    return mfa.finish_login(credentials.authenticate_user(username, password))


def _email_type(value) -> EmailTypes:
    try:
        return EmailTypes(value.value if isinstance(value, EmailTypes) else value)
    except ValueError:
        raise InvalidInput("Unknown email type.") from None


def send_verification_email(user: User) -> None:
    """Mail ``user`` a verification link for the address stored on the account."""
    if user.email_verified:
        raise AlreadyVerified()
    _throttle_email(user.email_key)
    _send_link(VerificationEmail, user, LinkToken.VERIFY)
    security_event("verify_requested", user=user.pk)


def send_reset_email(user: User | None, account: str) -> None:
    """Mail ``user`` a reset link; with no (or an inactive) user do nothing, visibly the same.

    ``account`` is the canonical address asked for: throttled the same whether
    or not an account has it (SEC-24, SEC-28).
    """
    _throttle_email(account)
    _mail_reset_link(user)


def request_reset(account: str) -> None:
    """Ask for a reset of whichever account has the address ``account``: the same work either way.

    The request counts the throttles and queues one task; the sender looks the account up,
    issues the link and mails it. So a reset for an existing account costs the request
    exactly what one for an unknown address does, by timing as well as by body (SEC-24, SEC-53).
    """
    _throttle_email(account)
    outbox.enqueue_task("reset", account=account)


@outbox.register_task("reset")
def complete_reset_request(account: str) -> None:
    """Mail a reset link to the account with the address ``account``, if any (run by the sender)."""
    _mail_reset_link(User.objects.filter(email_key=account).first())


def _mail_reset_link(user: User | None) -> None:
    if user is None or not user.is_active:
        security_event("reset_requested", user="unknown")
        return
    _send_link(PasswordResetEmail, user, LinkToken.RESET)
    security_event("reset_requested", user=user.pk)


def _throttle_email(account: str) -> None:
    throttling.hit("email_ip", client_bucket())
    throttling.hit("email_account", account)


def _send_link(email_class, user: User, purpose: str) -> None:
    """Issue a link and mail it; if the mail fails, withdraw the link (no half-state, SEC-44)."""
    issued = links.issue_link(user, purpose)
    if not email_class(user, issued).send():
        links.withdraw_link(issued.token)


def send_email(request, type) -> None:  # noqa: A002 - the seed's keyword
    """Send the email the request asks for: VERIFY needs a token; RESET takes a token or ``email``.

    A reset request answers the same whether or not the account exists (SEC-24),
    and mail goes only to the stored address, never to what was typed (SEC-22).
    """
    kind = _email_type(type)
    if kind is EmailTypes.VERIFY:
        send_verification_email(authenticate_request(request))
        return
    if request.META.get("HTTP_AUTHORIZATION"):
        # The token names the account, but a body that is sent is still checked (SEC-30).
        if "email" in (data := body_json(request)):
            string_field(data, "email", max_length=254)
        user = authenticate_request(request)
        send_reset_email(user, user.email_key)
        return
    request_reset(canonical_key(string_field(body_json(request), "email", max_length=254)))


def handle_email_request(request, type) -> User:  # noqa: A002 - the seed's keyword
    """Complete the flow a link token starts: verify the address, or set the new password."""
    kind = _email_type(type)
    throttling.hit("link_ip", client_bucket())
    token = link_token(request)
    if kind is EmailTypes.VERIFY:
        link = links.find_link(token, LinkToken.VERIFY)
        links.consume_link(link)
        user = link.user
        user.email_verified = True
        user.email_verified_at = clock.now()
        user.save(update_fields=["email_verified", "email_verified_at"])
        security_event("verify_done", user=user.pk)
        return user
    new_password = string_field(body_json(request), "new_password", max_length=10**6)
    link = links.find_link(token, LinkToken.RESET)
    # Checked before consuming the link, so a weak password can be retried with it.
    validate_new_password(new_password, link.user, "new_password")
    links.consume_link(link)
    set_password(link.user, new_password)
    security_event("reset_done", user=link.user.pk)
    return link.user


def set_password(user: User, new_password: str) -> None:
    """Store a new password, end every session and reset link, and tell the user (SEC-15, 21)."""
    sessions.store_password(user, make_password(new_password))  # one write: hash and sessions
    password_validation.password_changed(new_password, user)
    links.revoke_links(user, LinkToken.RESET)
    PasswordChangedEmail(user).send()


def change_password(request) -> None:
    """Change the logged-in user's password; the current one is required (SEC-06)."""
    user = authenticate_request(request)
    data = body_json(request)
    current = string_field(data, "current_password", max_length=10**6)
    new_password = string_field(data, "new_password", max_length=10**6)
    credentials.check_current_password(user, current, event="password_change_failed")
    validate_new_password(new_password, user, "new_password")
    set_password(user, new_password)
    security_event("password_changed", user=user.pk)
