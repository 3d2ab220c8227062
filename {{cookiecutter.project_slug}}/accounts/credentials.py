"""Password checks, each counted by the throttles before it runs (SEC-23, 26, 27).

Every place a password is compared goes through here: the API login, the admin
and any other ``authenticate()`` (``accounts.backends``), and the current
password asked for before a sensitive change. Each check is counted first
(``throttling.attempt``) and given back when the password is right, so at most
the limit of wrong passwords is ever evaluated per window, however many
requests race.
"""

from django.contrib.auth.hashers import make_password

from accounts import throttling
from accounts.audit import security_event
from accounts.client import client_bucket
from accounts.errors import InvalidCredentials, InvalidInput
from accounts.identifiers import USERNAME_MAX, canonical_key, normalize_username
from accounts.models import User
from accounts.passwords import check_length_cap


def _password_matches(user: User | None, password: str) -> bool:
    """Check ``password``, costing one hash whether or not there is a user (SEC-26)."""
    try:
        check_length_cap(password)
    except InvalidInput:
        return False  # over the cap: cannot be anyone's password, and is not hashed
    if user is None:
        make_password(password)  # the dummy hash: same cost as a real check
        return False
    return user.check_password(password) and user.is_active


def authenticate_user(username: str, password: str, request=None) -> User:
    """Return the active user these credentials name, or raise; throttled per account and IP.

    The username is normalised (NFKC) before its length is checked, exactly as at
    registration, so any spelling that registered can log in. Every failure is the
    same ``InvalidCredentials`` for known and unknown names alike (SEC-23).
    """
    name = normalize_username(username)
    account = canonical_key(name[: USERNAME_MAX + 1])
    counted = throttling.attempt(("login_ip", client_bucket(request)), ("login_account", account))
    user = None
    if len(name) <= USERNAME_MAX:
        user = User.objects.filter(username_key=account).first()
    if not _password_matches(user, password):
        security_event("login_failed", user=user.pk if user else "unknown")
        raise InvalidCredentials()
    counted.forgive()
    return user


def check_current_password(user: User, password: str, event: str) -> None:
    """Raise ``InvalidCredentials`` unless ``password`` is ``user``'s; counts as a login try.

    Guards changes that need the current password (SEC-06, SEC-47): a stolen
    session must not become an unthrottled password oracle.
    """
    counted = throttling.attempt(("login_account", user.username_key))
    if not _password_matches(user, password):
        security_event(event, user=user.pk)
        raise InvalidCredentials("Current password is incorrect.")
    counted.forgive()
