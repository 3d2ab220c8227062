"""Password checks, each counted by the throttles before it runs (SEC-23, 26, 27).

Every place a password is compared goes through here: the API login, the admin
and any other ``authenticate()`` (``accounts.backends``), and the current
password asked for before a sensitive change. Each check is counted first
(``throttling.attempt``) and given back when the password is right, so at most
the limit of wrong passwords is ever evaluated per window, however many
requests race.
"""

from django.contrib.auth.hashers import make_password

from accounts import conf
from accounts.core.audit import security_event
from accounts.core.client import client_bucket
from accounts.core.identifiers import EMAIL_MAX, USERNAME_MAX, canonical_key, normalize_username
from accounts.core.passwords import check_length_cap
from accounts.errors import InvalidCredentials, InvalidInput
from accounts.models import User
from accounts.security import throttling


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


def find_login_user(name: str) -> tuple[User | None, str]:
    """Return the account ``name`` names and the key its login tries count under.

    ``name`` (already NFKC) is a username or, when ``AUTH_LOGIN_METHODS`` has
    ``"email"``, an address: usernames cannot contain ``@``, so the one query is by
    one key either way, and a method that is off finds nobody (a dummy hash follows).
    Tries count under the account's primary key however it was named, so naming it both
    ways does not double the guesses (SEC-27) and renaming it does not reset them (SEC-57),
    and under the typed key when no account has it. The price: once an account is
    throttled, a stranger who throttled it by its address can see that its username is
    throttled too.
    """
    methods = conf.get("AUTH_LOGIN_METHODS")
    typed = canonical_key(name[: EMAIL_MAX + 1])
    user = None
    if "@" in name:
        if "email" in methods and len(name) <= EMAIL_MAX:
            user = User.objects.filter(email_key=typed).first()
    elif "username" in methods and len(name) <= USERNAME_MAX:
        user = User.objects.filter(username_key=typed).first()
    return user, (throttling.account_key(user) if user is not None else typed)


def authenticate_user(username: str, password: str, request=None) -> User:
    """Return the active user these credentials name, or raise; throttled per account and IP.

    The name is normalised (NFKC) before its length is checked, exactly as at
    registration, so any spelling that registered can log in; it may be the email
    address (``find_login_user``). Every failure is the same ``InvalidCredentials``
    for known and unknown names alike (SEC-23), and costs one hash (SEC-26).
    """
    user, account = find_login_user(normalize_username(username))
    counted = throttling.attempt(("login_ip", client_bucket(request)), ("login_account", account))
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
    counted = throttling.attempt(("login_account", throttling.account_key(user)))
    if not _password_matches(user, password):
        security_event(event, user=user.pk)
        raise InvalidCredentials("Current password is incorrect.")
    counted.forgive()
