"""POST reauthenticate and what needs it: a stolen token alone cannot lock the owner out (SEC-55).

Also the per-account throttles that renaming must not reset, and renames themselves
(SEC-57), since a rename is one of the operations a re-authentication guards.
"""

from datetime import timedelta

import pytest

from accounts import documents
from accounts.clock import iso
from accounts.mail.emails import UsernameChangedEmail
from accounts.models import MfaChallenge, User
from tests.conftest import OTHER_PASSWORD, STRONG_PASSWORD, renders_as, totp_code

# (method, path, body) of every operation a session must have re-authenticated for.
SENSITIVE = [
    ("POST", "mfa/totp", {}),
    ("PUT", "mfa/totp", {"code": "123456"}),
    ("POST", "email", {"new_email": "alice.new@example.net"}),
    ("PATCH", "me", {"username": "mallory"}),
    ("DELETE", "me", {}),
]
SENSITIVE_WITH_MFA_ON = [
    ("DELETE", "mfa/totp", {"code": "123456"}),
    ("POST", "mfa/recovery-codes", {}),
]


def reauthenticate(api, token, **proof):
    return api.post("reauthenticate", proof, token=token)


def refused(response) -> bool:
    return (response.status_code, response.json()["code"]) == (403, "reauthentication_required")


@pytest.mark.parametrize(
    ("method", "path", "body"), SENSITIVE, ids=[f"{m} {p}" for m, p, _ in SENSITIVE]
)
def test_sec55_a_login_token_alone_cannot_do_a_sensitive_operation(
    api, user, token, mailoutbox, method, path, body
):
    response = api.call(method, path, body, token=token)
    assert refused(response)
    assert response.json()["methods"] == ["password"]
    stored = User.objects.get(pk=user.pk)
    assert (stored.username, stored.email, stored.mfa_pending_secret) == (
        "alice",
        "alice@example.org",
        "",
    )
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("method", "path", "body"),
    SENSITIVE_WITH_MFA_ON,
    ids=[f"{m} {p}" for m, p, _ in SENSITIVE_WITH_MFA_ON],
)
def test_sec55_with_mfa_on_the_methods_name_every_factor(api, mfa_user, method, path, body):
    response = api.call(method, path, body, token=mfa_user.token)
    assert refused(response)
    assert response.json()["methods"] == ["password", "totp", "recovery_code"]
    assert User.objects.get(pk=mfa_user.user.pk).mfa_enabled is True


def test_sec55_a_stolen_token_cannot_turn_mfa_on_then_the_owner_can(api, user, token, clock):
    assert refused(api.post("mfa/totp", token=token))
    response = reauthenticate(api, token, current_password=STRONG_PASSWORD)
    assert response.status_code == 200
    assert response.json() == {"reauthenticated_until": iso(clock.now() + timedelta(minutes=5))}
    secret = api.post("mfa/totp", token=token).json()["secret"]
    confirmed = api.put("mfa/totp", {"code": totp_code(secret, clock)}, token=token)
    assert confirmed.status_code == 200
    assert User.objects.get(pk=user.pk).mfa_enabled is True


def test_sec55_the_reauthentication_lapses_after_auth_reauth_seconds(
    api, user, token, clock, settings
):
    settings.AUTH_REAUTH_SECONDS = 60
    api.reauthenticate(token)
    clock.advance(seconds=59)
    assert api.post("mfa/totp", token=token).status_code == 200
    clock.advance(seconds=1)
    assert refused(api.post("mfa/totp", token=token))


def test_sec55_it_holds_for_its_own_session_only_and_logging_in_does_not_count(api, user):
    first, second = api.token_for(), api.token_for()
    api.reauthenticate(first)
    assert refused(api.patch("me", {"username": "alicia"}, token=second))
    third = api.token_for()  # a new login, password and all: still not a re-authentication
    assert refused(api.patch("me", {"username": "alicia"}, token=third))
    assert api.patch("me", {"username": "alicia"}, token=first).status_code == 200


def test_sec55_the_stamp_lives_on_the_session_and_the_hot_path_stays_one_read(
    api, user, token, server_commands
):
    other = api.token_for()
    api.reauthenticate(token)
    stamped = {s["id"] for s in documents.read_sessions(User, user.pk) if "reauth_at" in s}
    assert len(stamped) == 1  # this session's element, not the other's
    with server_commands() as commands:
        assert api.patch("me", {"username": "alice"}, token=token).status_code == 200
    # The one read that authenticated the request brought the stamp: no second read of users.
    users = User._meta.db_table
    reads = [c for name, c in commands if name in ("find", "aggregate") and c.get(name) == users]
    assert len(reads) == 1
    assert refused(api.patch("me", {"username": "alice"}, token=other))


def test_sec55_a_right_current_password_in_the_body_still_counts_for_its_request(
    api, user, token, mailoutbox
):
    response = api.patch(
        "me", {"username": "alicia", "current_password": STRONG_PASSWORD}, token=token
    )
    assert (response.status_code, response.json()["username"]) == (200, "alicia")
    # It re-authenticated that request only: the session has no stamp from it.
    assert refused(api.patch("me", {"username": "alice"}, token=token))
    wrong = api.patch("me", {"username": "alice", "current_password": OTHER_PASSWORD}, token=token)
    assert (wrong.status_code, wrong.json()["code"]) == (400, "invalid_credentials")


def test_sec55_reauthenticate_by_totp_code_and_by_recovery_code(api, mfa_user, clock):
    from accounts.sessions import tokens as sessions

    def another_session():  # a login with MFA on takes two steps; start one directly
        return sessions.issue(User.objects.get(pk=mfa_user.user.pk)).token

    token = mfa_user.token
    code = totp_code(mfa_user.secret, clock)
    assert reauthenticate(api, token, code=code).status_code == 200
    replay = reauthenticate(api, another_session(), code=code)  # once per step, any session
    assert (replay.status_code, replay.json()["code"]) == (400, "invalid_code")
    recovery = mfa_user.recovery_codes[0]
    other = another_session()
    assert reauthenticate(api, other, recovery_code=recovery).status_code == 200
    again = reauthenticate(api, another_session(), recovery_code=recovery)
    assert (again.status_code, again.json()["code"]) == (400, "invalid_code")
    assert api.post("mfa/recovery-codes", token=other).status_code == 200


def test_sec55_wrong_proofs_count_as_failed_logins(api, user, token, rates):
    rates(login_account="2/900")
    for _ in range(2):
        wrong = reauthenticate(api, token, current_password=OTHER_PASSWORD)
        assert (wrong.status_code, wrong.json()["code"]) == (400, "invalid_credentials")
    assert reauthenticate(api, token, current_password=STRONG_PASSWORD).status_code == 429
    assert api.login().status_code == 429
    assert refused(api.post("mfa/totp", token=token))


@pytest.mark.parametrize(
    "body",
    [{}, {"current_password": STRONG_PASSWORD, "code": "123456"}, {"code": ""}],
    ids=["none", "two", "empty"],
)
def test_reauthenticate_takes_exactly_one_proof(api, user, token, body):
    response = reauthenticate(api, token, **body)
    assert (response.status_code, response.json()["code"]) == (400, "missing_field")


def test_reauthenticate_with_a_code_needs_mfa_on(api, user, token):
    response = reauthenticate(api, token, code="123456")
    assert (response.status_code, response.json()["code"]) == (400, "mfa_not_enabled")


@pytest.mark.parametrize("value", [{"$ne": None}, ["x"], 7])
def test_sec30_reauthenticate_type_checks_its_proof(api, user, token, value):
    response = reauthenticate(api, token, current_password=value)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_field")


def test_reauthenticate_needs_a_token(api, user):
    response = api.post("reauthenticate", {"current_password": STRONG_PASSWORD})
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_sec55_a_stolen_session_can_no_longer_lock_the_owner_out(api, user, token, mailoutbox):
    """The review's attack: MFA on, then every other session ended. The first step now fails."""
    owner = api.token_for()
    assert refused(api.post("mfa/totp", token=token))
    assert refused(api.delete("me", token=token))
    assert api.get("me", token=owner).json()["mfa_enabled"] is False
    assert not MfaChallenge.objects.exists()


# --- SEC-57: renames ---------------------------------------------------------------------
def test_sec57_renaming_does_not_reset_the_per_account_password_throttle(api, user, token, rates):
    from accounts.lifecycle import flows as lifecycle

    rates(login_account="3/900")
    for _ in range(3):
        api.delete("me", {"current_password": OTHER_PASSWORD}, token=token)
    assert api.delete("me", {"current_password": OTHER_PASSWORD}, token=token).status_code == 429
    lifecycle.change_username(User.objects.get(pk=user.pk), "alicia")
    assert api.delete("me", {"current_password": STRONG_PASSWORD}, token=token).status_code == 429
    assert api.login("alicia").status_code == 429
    assert User.objects.filter(pk=user.pk).exists()


def test_sec57_renames_are_throttled_per_account(api, user, reauthed, rates):
    rates(profile_account="2/3600")
    assert api.patch("me", {"username": "alicia"}, token=reauthed).status_code == 200
    assert api.patch("me", {"username": "alice"}, token=reauthed).status_code == 200
    response = api.patch("me", {"username": "alicia"}, token=reauthed)
    assert (response.status_code, response.json()["code"]) == (429, "throttled")
    assert User.objects.get(pk=user.pk).username == "alice"


def test_sec57_renames_are_throttled_per_ip(api, user, reauthed, rates):
    rates(profile_ip="1/3600")
    User.objects.create_user("bob", "bob@example.org", OTHER_PASSWORD)
    bob = api.reauthenticate(api.token_for("bob", OTHER_PASSWORD), OTHER_PASSWORD)
    assert api.patch("me", {"username": "alicia"}, token=reauthed).status_code == 200
    assert api.patch("me", {"username": "robert"}, token=bob).status_code == 429


def test_sec57_a_rename_is_mailed_to_the_account(api, user, reauthed, mailoutbox):
    api.patch("me", {"username": "alicia"}, token=reauthed)
    (notice,) = mailoutbox  # to the account's address, with the old name and the new
    assert notice.to == ["alice@example.org"]
    renamed = User.objects.get(pk=user.pk)
    assert renders_as(notice, UsernameChangedEmail(renamed, old_username="alice"))


def test_sec57_email_change_throttles_count_an_ipv6_slash_64_as_one_client(
    api, user, reauthed, rates
):
    rates(email_ip="1/3600")
    here = {"REMOTE_ADDR": "2001:db8:1:2::1"}
    same_64 = {"REMOTE_ADDR": "2001:db8:1:2:ffff::9"}
    body = {"new_email": "one@example.net"}
    assert api.post("email", body, token=reauthed, **here).status_code == 202
    body = {"new_email": "two@example.net"}
    assert api.post("email", body, token=reauthed, **same_64).status_code == 429
