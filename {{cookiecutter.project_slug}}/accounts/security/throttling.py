"""Throttles kept in MongoDB, so every worker process and server sees the same counts.

Each throttle is a fixed window: ``limit`` hits per ``period`` seconds per
identity (an account key or a client IP). A hit is one atomic
``find_one_and_update`` upsert that returns the new count; a TTL index removes
ended windows. Limits are the ``AUTH_THROTTLE_RATES`` setting, read when used.

Password checks are counted *before* the password is looked at (``attempt``):
the one atomic increment decides whether this attempt may be evaluated at all,
so however many requests race, at most ``limit`` wrong passwords are checked per
window. A right password then gives its own attempt back (``Attempt.forgive``),
so logging in often never locks anyone out; django-axes and allauth likewise
forget an account's failures on success, but by resetting the whole count,
which would let a racing guesser start over too. Giving back exactly one keeps
the bound.

Per-account counts are keyed by the account's primary key (``account_key``), never by its
name or address, so renaming an account does not start its counts over (SEC-57).

Scopes:
    login_account, login_ip   password and code checks: logins (API, admin, any
                              ``authenticate()``), current-password checks, re-authentication;
                              successes are given back (SEC-27)
    email_account, email_ip   verification, reset and login-code emails asked for (SEC-28)
    link_ip                   uses of a link token (PUT verify/reset, SEC-28)
    register_ip               registration attempts (SEC-25)
    profile_account, profile_ip  renames (PATCH me, SEC-57)
    passkey_ip                passkey options asked for without a session (each stores a
                              challenge for five minutes: login/passkey, login/mfa/passkey)
    social_ip                 social sign-ins started and ID tokens checked (SEC-62): each
                              may fetch from a provider and make an account
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from accounts import clock, conf, store
from accounts.core.audit import security_event
from accounts.errors import Throttled
from accounts.models import ThrottleCounter

DEFAULT_RATES = {
    "login_account": "10/900",
    "login_ip": "100/900",
    "email_account": "5/3600",
    "email_ip": "30/3600",
    "link_ip": "60/900",
    "register_ip": "100/600",  # a classroom behind one NAT signs up together (docs/throttling.md)
    "profile_account": "10/3600",
    "profile_ip": "60/3600",
    "passkey_ip": "100/900",
    "social_ip": "300/900",  # an office behind one NAT signing in with Google at nine
}


def account_key(user) -> str:
    """Return what per-account throttles count ``user`` under: its primary key (SEC-57)."""
    return f"pk:{user.pk}"


def rate(scope: str) -> tuple[int, int]:
    """Return ``(limit, period_seconds)`` for ``scope``."""
    rates = {**DEFAULT_RATES, **conf.get("AUTH_THROTTLE_RATES")}
    limit, _, period = str(rates[scope]).partition("/")
    return int(limit), int(period)


def _window(scope: str, ident: str):
    limit, period = rate(scope)
    now = clock.now()
    number = math.floor(now.timestamp() / period)
    ends = datetime.fromtimestamp((number + 1) * period, tz=UTC)
    key = hashlib.sha256(f"{scope}\x00{ident}\x00{number}".encode()).hexdigest()
    return key, limit, ends, max(1, math.ceil((ends - now).total_seconds()))


def _refuse(scope: str, retry_after: int):
    security_event("throttled", scope=scope, retry_after=retry_after)
    raise Throttled(retry_after)


def check(scope: str, ident: str) -> None:
    """Raise ``Throttled`` if ``ident`` has used up ``scope`` in this window (no hit counted).

    A read, then later a hit, is not atomic: racing requests all pass the read. Guard
    a password or code check with ``attempt`` instead.
    """
    if not conf.get("AUTH_THROTTLE_ENABLED"):
        return
    key, limit, _, retry_after = _window(scope, ident)
    counter = store.collection(ThrottleCounter).find_one({"key": key}, {"hits": 1})
    if counter and counter["hits"] >= limit:
        _refuse(scope, retry_after)


def hit(scope: str, ident: str, *, enforce: bool = True) -> int:
    """Count one hit for ``ident``; with ``enforce``, raise ``Throttled`` past the limit."""
    if not conf.get("AUTH_THROTTLE_ENABLED"):
        return 0
    return _hit(scope, ident, enforce)[1]


def _hit(scope: str, ident: str, enforce: bool) -> tuple[str, int]:
    key, limit, ends, retry_after = _window(scope, ident)
    on_insert = {"scope": scope, "expires_at": ends, **store.fields_for_raw_insert(ThrottleCounter)}
    update = {"$inc": {"hits": 1}, "$setOnInsert": on_insert}
    counter = _increment(store.collection(ThrottleCounter), key, update)
    if enforce and counter["hits"] > limit:
        _refuse(scope, retry_after)
    return key, counter["hits"]


@dataclass
class Attempt:
    """The window counters one attempt was counted in, to give back if it succeeds."""

    keys: list[str]

    def forgive(self) -> None:
        """Give this attempt back: it was the right password, not a guess."""
        collection = store.collection(ThrottleCounter)
        for key in self.keys:
            collection.update_one({"key": key, "hits": {"$gt": 0}}, {"$inc": {"hits": -1}})
        self.keys = []


def attempt(*scopes: tuple[str, str]) -> Attempt:
    """Count one attempt in each ``(scope, ident)``, in order, before the check it guards.

    Raises ``Throttled`` as soon as one scope is over its limit (the later ones are
    then not counted), so the check runs only while every count is within its limit.
    """
    counted = Attempt([])
    if conf.get("AUTH_THROTTLE_ENABLED"):
        for scope, ident in scopes:
            key, _ = _hit(scope, ident, enforce=True)
            counted.keys.append(key)
    return counted


def _increment(collection, key: str, update: dict) -> dict:
    """Apply ``update`` to the window ``key`` (creating it if need be); return the new document."""
    for _ in range(3):
        try:
            counter = collection.find_one_and_update(
                {"key": key}, update, upsert=True, return_document=ReturnDocument.AFTER
            )
        except DuplicateKeyError:  # two first hits raced to insert; the loser's did not apply
            continue
        # SecantusDB 0.7.0b3 answers None to some racing upserts that did apply (mongod
        # never does; docs/embedded-database.md), so read the count back.
        return counter or collection.find_one({"key": key})
    raise RuntimeError(f"could not count a hit on throttle window {key}")
