"""Adding, listing, renaming and removing passkeys, with real attestations (SEC-55, SEC-61).

The software authenticator (``tests/webauthn_authenticator.py``) signs for real; py_webauthn
checks it as it would a phone's. Nothing in the server is mocked.
"""

import pytest

from accounts import documents
from accounts.mail.emails import PasskeyAddedEmail, PasskeyRemovedEmail
from accounts.mfa.passkeys import credentials
from accounts.models import MfaChallenge, User
from tests.conftest import STRONG_PASSWORD, renders_as
from tests.mfa.passkeys.conftest import RP_ID, new_session, register
from tests.webauthn_authenticator import unb64url


def stored(user) -> list[dict]:
    return documents.read_array(User, user.pk, "passkeys")


def refused(response, status=400, code="invalid_credential") -> bool:
    return (response.status_code, response.json()["code"]) == (status, code)


# --- Registration ---------------------------------------------------------------------
@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_sec55_adding_a_passkey_needs_a_reauthenticated_session(
    api, user, token, authenticator, method
):
    body = {"credential": {"type": "public-key"}} if method == "PUT" else {}
    assert refused(
        api.call(method, "passkeys/register", body, token=token), 403, "reauthentication_required"
    )
    assert stored(user) == []


def test_a_current_password_in_the_body_reauthenticates_the_request(
    api, user, token, authenticator
):
    body = {"current_password": STRONG_PASSWORD}
    options = api.post("passkeys/register", body, token=token).json()["options"]
    credential = authenticator.create(options)
    added = api.put("passkeys/register", {"credential": credential, **body}, token=token)
    assert added.status_code == 201, added.content


def test_the_options_ask_for_a_discoverable_passkey_user_verification_preferred(
    api, user, reauthed, authenticator, settings
):
    settings.SITE_NAME = "Acme Accounts"
    options = api.post("passkeys/register", token=reauthed).json()["options"]
    assert options["rp"] == {"id": RP_ID, "name": "Acme Accounts"}
    assert unb64url(options["user"]["id"]) == str(user.pk).encode()  # no name, no address
    assert options["user"]["name"] == "alice"
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "preferred"
    assert options["attestation"] == "none"
    assert len(unb64url(options["challenge"])) == 32
    assert options["excludeCredentials"] == []
    register(api, reauthed, authenticator)
    again = api.post("passkeys/register", token=reauthed).json()["options"]
    (excluded,) = again["excludeCredentials"]
    assert excluded["id"] == stored(user)[0]["credential_id"]  # no second passkey on one device


@pytest.mark.parametrize("attestation", ["none", "packed"])
def test_sec61_a_passkey_is_stored_with_everything_a_login_needs(
    api, user, reauthed, authenticator, clock, attestation
):
    response = register(
        api, reauthed, authenticator, name="  Work   laptop ", attestation=attestation
    )
    assert response.status_code == 201, response.content
    body = response.json()
    (element,) = stored(user)
    credential = authenticator.credential_by_id(element["credential_id"])
    assert {k: body[k] for k in ("id", "name", "created_at", "last_used_at")} == {
        "id": element["id"],
        "name": "Work laptop",
        "created_at": clock.now().isoformat(timespec="milliseconds"),
        "last_used_at": None,
    }
    assert element["public_key"] == credential.cose_public_key()
    assert element["sign_count"] == 0
    assert element["transports"] == ["internal", "hybrid"]
    assert (element["backup_eligible"], element["backed_up"]) == (False, False)
    assert element["last_used_at"] is None
    assert api.get("passkeys", token=reauthed).json() == {
        "passkeys": [{k: body[k] for k in ("id", "name", "created_at", "last_used_at")}]
    }


def test_transports_the_server_does_not_know_are_dropped_whatever_their_type(
    api, user, reauthed, authenticator
):
    options = api.post("passkeys/register", token=reauthed).json()["options"]
    credential = authenticator.create(options)
    credential["response"]["transports"] = [[], {"usb": 1}, "usb", "carrier-pigeon", "usb"]
    response = api.put("passkeys/register", {"credential": credential}, token=reauthed)
    assert response.status_code == 201, response.content  # transports are not signed
    assert stored(user)[0]["transports"] == ["usb"]


def test_a_synced_passkey_keeps_its_backup_flags(api, user, reauthed, authenticator):
    authenticator.backed_up = True
    assert register(api, reauthed, authenticator).status_code == 201
    (element,) = stored(user)
    assert (element["backup_eligible"], element["backed_up"]) == (True, True)


def test_the_first_passkey_turns_mfa_on_with_recovery_codes_and_both_are_mailed(
    api, user, reauthed, authenticator, mailoutbox
):
    first = register(api, reauthed, authenticator, name="Phone").json()
    assert len(first["recovery_codes"]) == 10
    me = api.get("me", token=reauthed).json()
    assert (me["mfa_enabled"], me["mfa_methods"]) == (True, ["passkey", "recovery_codes"])
    second = register(api, reauthed, authenticator, name="Laptop").json()
    assert "recovery_codes" not in second  # the account's codes are the first passkey's
    phone, laptop = mailoutbox  # each names its passkey; the first says MFA is now on
    assert renders_as(phone, PasskeyAddedEmail(user, "Phone", mfa_turned_on=True))
    assert renders_as(laptop, PasskeyAddedEmail(user, "Laptop", mfa_turned_on=False))
    # A password alone no longer logs in: the passkey is the second step (SEC-61).
    assert api.login().json()["mfa_required"] is True


def test_a_passkey_added_to_a_totp_account_keeps_its_recovery_codes(api, mfa_user, authenticator):
    setup = api.reauthenticate(new_session(mfa_user.user))
    added = register(api, setup, authenticator).json()
    assert "recovery_codes" not in added
    me = api.get("me", token=setup).json()
    assert me["mfa_methods"] == ["totp", "passkey", "recovery_codes"]
    assert (
        api.post(
            "reauthenticate", {"recovery_code": mfa_user.recovery_codes[0]}, token=setup
        ).status_code
        == 200
    )


def test_past_the_limit_no_more_passkeys_are_added(api, user, reauthed, authenticator, monkeypatch):
    monkeypatch.setattr(credentials, "MAX_PASSKEYS", 2)
    for _ in range(2):
        assert register(api, reauthed, authenticator).status_code == 201
    response = api.post("passkeys/register", token=reauthed)
    assert refused(response, code="too_many_passkeys")
    assert len(stored(user)) == 2


@pytest.mark.parametrize(
    "name", ["", "x" * 65, "a\x00b", "evil\u202etxt.exe"], ids=["empty", "long", "nul", "bidi"]
)
def test_a_name_must_be_short_and_printable(api, passkey_user, name):
    passkey_id = passkey_user.passkey["id"]
    response = api.patch(f"passkeys/{passkey_id}", {"name": name}, token=passkey_user.token)
    assert response.status_code == 400
    assert response.json()["code"] in ("missing_field", "invalid_field")
    assert stored(passkey_user.user)[0]["name"] == "Laptop"


# --- List, rename, remove --------------------------------------------------------------
def test_renaming_needs_only_the_token(api, passkey_user):
    passkey_id = passkey_user.passkey["id"]
    response = api.patch(
        f"passkeys/{passkey_id}", {"name": "Old phone 📱"}, token=passkey_user.token
    )
    assert response.status_code == 200
    expected = {k: passkey_user.passkey[k] for k in ("id", "created_at", "last_used_at")}
    assert response.json() == {**expected, "name": "Old phone 📱"}
    assert [
        p["name"] for p in api.get("passkeys", token=passkey_user.token).json()["passkeys"]
    ] == ["Old phone 📱"]


def test_sec55_removing_needs_a_reauthentication_and_the_last_one_turns_mfa_off(
    api, passkey_user, authenticator, mailoutbox
):
    passkey_id = passkey_user.passkey["id"]
    token = passkey_user.token
    assert refused(
        api.delete(f"passkeys/{passkey_id}", token=token), 403, "reauthentication_required"
    )
    api.login()  # a pending second step, which must end with the last factor
    assert MfaChallenge.objects.exists()
    mailoutbox.clear()
    api.reauthenticate(token)
    assert api.delete(f"passkeys/{passkey_id}", token=token).status_code == 204
    stored_user = User.objects.get(pk=passkey_user.user.pk)
    assert stored(stored_user) == []
    assert (stored_user.mfa_enabled, stored_user.mfa_recovery_codes) == (False, [])
    assert not MfaChallenge.objects.exists()
    (notice,) = mailoutbox  # names the passkey and says MFA is now off
    name = passkey_user.passkey["name"]
    assert renders_as(notice, PasskeyRemovedEmail(stored_user, name, mfa_turned_off=True))
    assert "token" in api.login().json()  # the password alone logs in again
    gone = api.delete(f"passkeys/{passkey_id}", token=token)
    assert refused(gone, 404, "not_found")


def test_removing_one_of_two_keeps_mfa_on(api, passkey_user, authenticator):
    token = api.reauthenticate(passkey_user.token)
    register(api, token, authenticator, name="Spare")
    assert api.delete(f"passkeys/{passkey_user.passkey['id']}", token=token).status_code == 204
    assert [p["name"] for p in api.get("passkeys", token=token).json()["passkeys"]] == ["Spare"]
    assert User.objects.get(pk=passkey_user.user.pk).mfa_enabled is True
    assert (
        api.post(
            "reauthenticate", {"recovery_code": passkey_user.recovery_codes[0]}, token=token
        ).status_code
        == 200
    )


def test_sec49_another_accounts_passkey_answers_as_an_unknown_one(api, passkey_user, authenticator):
    bob = User.objects.create_user("bob", "bob@example.org", STRONG_PASSWORD)
    bob_token = api.reauthenticate(api.token_for("bob"))
    passkey_id = passkey_user.passkey["id"]
    answers = [
        api.patch(f"passkeys/{passkey_id}", {"name": "mine now"}, token=bob_token),
        api.delete(f"passkeys/{passkey_id}", token=bob_token),
        api.patch("passkeys/no-such-passkey", {"name": "x"}, token=bob_token),
    ]
    assert [(r.status_code, r.json()) for r in answers] == [
        (404, {"error": "No such passkey.", "code": "not_found"})
    ] * 3
    assert stored(passkey_user.user)[0]["name"] == "Laptop"
    assert stored(bob) == []


def test_a_passkey_only_account_needs_no_mfa_key(api, passkey_user, authenticator, settings):
    settings.AUTH_MFA_KEY = ""
    token = passkey_user.token
    assert api.login().json()["mfa_required"] is True
    assert (
        api.post(
            "mfa/recovery-codes", {"current_password": STRONG_PASSWORD}, token=token
        ).status_code
        == 200
    )
    assert (
        api.post("reauthenticate", {"code": "123456"}, token=token).json()["code"]
        == "mfa_not_enabled"
    )
    totp = api.post("mfa/totp", {"current_password": STRONG_PASSWORD}, token=token)
    assert (totp.status_code, totp.json()["code"]) == (503, "mfa_unavailable")  # TOTP needs it
