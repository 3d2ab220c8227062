"""Logging in with a passkey: alone (passwordless), as the second step, as re-authentication.

Real signatures from the software authenticator, checked by py_webauthn (SEC-61).
"""

import pytest

from accounts import documents, store
from accounts.errors import InvalidCredential
from accounts.mail.emails import MfaDisabledEmail, PasskeyFirstUsedEmail
from accounts.mfa import flows as mfa
from accounts.mfa.passkeys import flows as passkeys
from accounts.models import User
from tests.conftest import renders_as, totp_code
from tests.mfa.passkeys.conftest import new_session, passkey_login, register


def stored(user) -> dict:
    (element,) = documents.read_array(User, user.pk, "passkeys")
    return element


def refused(response, code="invalid_credential") -> bool:
    return (response.status_code, response.json()["code"]) == (400, code)


# --- Passwordless ----------------------------------------------------------------------
def test_sec61_login_options_name_no_passkey_and_require_user_verification(api, db):
    options = api.post("login/passkey").json()["options"]
    assert options["userVerification"] == "required"
    assert options.get("allowCredentials", []) == []  # the browser offers what it holds
    assert options["rpId"] == "example.com"


def test_a_passkey_logs_in_alone_with_the_session_a_password_gives(
    api, passkey_user, authenticator, clock, mailoutbox
):
    mailoutbox.clear()
    response = passkey_login(api, authenticator)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"token", "expires_at"}  # no mfa_required: a passkey needs no other factor
    me = api.get("me", token=body["token"]).json()
    assert me["username"] == "alice"
    listed = api.get("sessions", token=body["token"]).json()["sessions"]
    assert sorted(s["current"] for s in listed) == [False, False, True]  # the fixture's two
    element = stored(passkey_user.user)
    assert element["sign_count"] == 1
    assert element["last_used_at"] is not None
    (used,) = mailoutbox
    assert renders_as(used, PasskeyFirstUsedEmail(passkey_user.user, element["name"]))
    assert passkey_login(api, authenticator).status_code == 200
    assert len(mailoutbox) == 1  # only its first use is mailed


def test_a_passkey_login_needs_no_code_even_with_totp_on(api, mfa_user, authenticator):
    register(api, api.reauthenticate(new_session(mfa_user.user)), authenticator)
    response = passkey_login(api, authenticator)
    assert response.status_code == 200 and "token" in response.json()


def test_sec61_a_passkey_login_is_one_indexed_read_and_one_update_of_the_count(
    api, passkey_user, authenticator, server_commands
):
    passkey_login(api, authenticator)  # its first use, which also queues a mail
    options = api.post("login/passkey").json()["options"]
    answer = {"credential": authenticator.get(options)}
    with server_commands() as commands:
        assert api.put("login/passkey", answer).status_code == 200
    users = User._meta.db_table
    on_users = [(name, c) for name, c in commands if c.get(name) == users]
    print("\nWhat PUT login/passkey sends to the database server:")
    for name, command in commands:
        print(f"  {name} {command[name]} {_shape(command)}")
    (read, count, sweep, push) = on_users
    assert read[0] == "find" and list(read[1]["filter"]) == ["passkeys.credential_id"]
    assert count[0] == "update"
    (update,) = count[1]["updates"]
    assert "passkeys" in update["q"] and set(update["u"]["$set"]) == {
        "passkeys.$.sign_count",
        "passkeys.$.last_used_at",
    }
    # Then the session, started exactly as every login starts it (sessions.tokens.issue).
    assert "$pull" in sweep[1]["updates"][0]["u"] and "$push" in push[1]["updates"][0]["u"]
    plan = store.collection(User).find(read[1]["filter"]).explain()
    assert "IXSCAN" in str(plan["queryPlanner"]["winningPlan"])  # the unique multikey index


def _shape(command: dict) -> str:
    """The part of a command that says what it does (its filter or update), briefly."""
    for key in ("filter", "query", "updates", "deletes", "documents"):
        if key in command:
            return f"{key}={str(command[key])[:150]}"
    return ""


def test_sec61_user_verification_is_required_to_log_in_without_a_password(
    api, passkey_user, authenticator
):
    before = len(documents.read_sessions(User, passkey_user.user.pk))
    response = passkey_login(api, authenticator, user_verified=False)
    assert refused(response)
    assert len(documents.read_sessions(User, passkey_user.user.pk)) == before
    assert stored(passkey_user.user)["sign_count"] == 0


def test_a_deactivated_account_cannot_log_in_with_its_passkey(api, passkey_user, authenticator):
    User.objects.filter(pk=passkey_user.user.pk).update(is_active=False)
    assert refused(passkey_login(api, authenticator))


def test_sec27_passkey_logins_count_against_the_client_ip(api, passkey_user, authenticator, rates):
    rates(login_ip="2/900")
    assert refused(passkey_login(api, authenticator, user_verified=False))
    assert refused(passkey_login(api, authenticator, user_verified=False))
    throttled = passkey_login(api, authenticator)
    assert (throttled.status_code, throttled.json()["code"]) == (429, "throttled")


def test_options_without_a_session_are_throttled_per_ip(api, db, rates):
    rates(passkey_ip="2/900")
    assert [api.post("login/passkey").status_code for _ in range(3)] == [200, 200, 429]


# --- The second step of a password login ---------------------------------------------
def second_step(api, authenticator, **bend):
    mfa_token = api.login().json()["mfa_token"]
    options = api.post("login/mfa/passkey", {"mfa_token": mfa_token})
    assert options.status_code == 200, options.content
    answer = authenticator.get(options.json()["options"], **bend)
    return api.post("login/mfa", {"mfa_token": mfa_token, "passkey": answer})


def test_after_the_password_a_passkey_is_the_second_step(api, passkey_user, authenticator):
    mfa_token = api.login().json()["mfa_token"]
    options = api.post("login/mfa/passkey", {"mfa_token": mfa_token}).json()["options"]
    assert [c["id"] for c in options["allowCredentials"]] == [
        stored(passkey_user.user)["credential_id"]
    ]
    assert options["userVerification"] == "preferred"  # the password was the other factor
    answer = authenticator.get(options, user_verified=False)
    response = api.post("login/mfa", {"mfa_token": mfa_token, "passkey": answer})
    assert response.status_code == 200 and set(response.json()) == {"token", "expires_at"}
    again = api.post("login/mfa", {"mfa_token": mfa_token, "passkey": answer})
    assert (again.status_code, again.json()["code"]) == (400, "invalid_mfa_token")


def test_a_failed_passkey_counts_against_the_account_as_a_wrong_code(
    api, passkey_user, authenticator, rates
):
    rates(login_account="3/900")  # the password login counts too, and is given back
    assert refused(second_step(api, authenticator, origin="https://evil.example"))
    assert refused(second_step(api, authenticator, origin="https://evil.example"))
    assert second_step(api, authenticator).status_code == 200  # the right one is given back
    assert refused(second_step(api, authenticator, origin="https://evil.example"))
    assert api.login().status_code == 429


def test_a_recovery_code_still_works_for_a_passkey_only_account(api, passkey_user):
    mfa_token = api.login().json()["mfa_token"]
    code = passkey_user.recovery_codes[0]
    response = api.post("login/mfa", {"mfa_token": mfa_token, "recovery_code": code})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "body",
    [{"passkey": "not an object"}, {"passkey": {}, "code": "123456"}, {}],
    ids=["string", "two-proofs", "none"],
)
def test_the_second_step_takes_exactly_one_proof_of_its_type(api, passkey_user, body):
    mfa_token = api.login().json()["mfa_token"]
    response = api.post("login/mfa", {"mfa_token": mfa_token, **body})
    assert response.status_code == 400
    assert response.json()["code"] in ("missing_field", "invalid_field")


def test_passkey_options_need_a_live_mfa_token_of_an_account_with_a_passkey(api, mfa_user):
    assert refused(api.post("login/mfa/passkey", {"mfa_token": "x" * 43}), "invalid_mfa_token")
    mfa_token = api.login().json()["mfa_token"]
    assert refused(api.post("login/mfa/passkey", {"mfa_token": mfa_token}), "no_passkey")


# --- Re-authentication -----------------------------------------------------------------
def test_sec55_a_passkey_reauthenticates_the_session(api, passkey_user, authenticator):
    token = passkey_user.token
    denied = api.post("passkeys/register", token=token)
    assert denied.json()["methods"] == ["password", "recovery_code", "passkey"]
    options = api.post("reauthenticate/passkey", token=token).json()["options"]
    answer = authenticator.get(options, user_verified=False)
    response = api.post("reauthenticate", {"passkey": answer}, token=token)
    assert response.status_code == 200 and "reauthenticated_until" in response.json()
    assert api.post("passkeys/register", token=token).status_code == 200


def test_reauthenticating_with_a_passkey_needs_one(api, user, token):
    assert refused(api.post("reauthenticate/passkey", token=token), "no_passkey")
    response = api.post("reauthenticate", {"passkey": {"type": "public-key"}}, token=token)
    assert refused(response, "no_passkey")


def test_with_totp_and_a_passkey_every_method_is_listed(api, mfa_user, authenticator):
    register(api, api.reauthenticate(new_session(mfa_user.user)), authenticator)
    denied = api.post("mfa/recovery-codes", token=mfa_user.token)
    assert denied.json()["methods"] == ["password", "totp", "recovery_code", "passkey"]
    me = api.get("me", token=mfa_user.token).json()
    assert me["mfa_methods"] == ["totp", "passkey", "recovery_codes"]


def test_turning_totp_off_keeps_mfa_on_while_a_passkey_remains(
    api, mfa_user, authenticator, clock, mailoutbox
):
    token = api.reauthenticate(new_session(mfa_user.user))
    register(api, token, authenticator)
    mailoutbox.clear()
    off = api.delete("mfa/totp", {"code": totp_code(mfa_user.secret, clock)}, token=token)
    assert off.status_code == 204
    stored_user = User.objects.get(pk=mfa_user.user.pk)
    assert (stored_user.mfa_enabled, stored_user.mfa_secret) == (True, "")
    assert api.get("me", token=token).json()["mfa_methods"] == ["passkey", "recovery_codes"]
    (notice,) = mailoutbox  # the app is gone, two-factor stays on with the passkey
    assert renders_as(notice, MfaDisabledEmail(stored_user, passkeys_remain=True))
    assert api.login().json()["mfa_required"] is True


def test_the_hot_path_is_still_one_read_with_a_passkey(api, passkey_user, server_commands):
    with server_commands() as commands:
        me = api.get("me", token=passkey_user.token).json()
    assert me["mfa_methods"] == ["passkey", "recovery_codes"]
    assert [name for name, _ in commands] == ["find"]


# --- The admin's second step (accounts/admin/ calls these) -------------------------------
def test_the_admin_can_check_a_passkey_as_a_second_factor(api, passkey_user, authenticator):
    user = User.objects.get(pk=passkey_user.user.pk)
    options = passkeys.assertion_options(user, "admin")
    answer = authenticator.get(options)
    assert mfa.verify_second_factor(user, "", "", answer, purpose="admin") == "passkey"
    # An answer to options of another purpose is no admin proof, nor is a replay.
    with pytest.raises(InvalidCredential, match="challenge"):
        mfa.verify_second_factor(user, "", "", answer, purpose="admin")
    other = authenticator.get(passkeys.assertion_options(user, "reauth"))
    with pytest.raises(InvalidCredential, match="challenge"):
        mfa.verify_second_factor(user, "", "", other, purpose="admin")


def test_the_admin_turning_mfa_off_removes_the_passkeys(api, passkey_user, authenticator):
    from accounts.mfa import enrolment

    admin = User.objects.create_superuser(
        "root", "root@example.org", "admin-passphrase-long-enough"
    )
    user = User.objects.get(pk=passkey_user.user.pk)
    assert enrolment.admin_disable(user, admin) is True
    assert documents.read_array(User, user.pk, "passkeys") == []
    assert refused(passkey_login(api, authenticator))
    assert "token" in api.login().json()  # the password alone logs in again
