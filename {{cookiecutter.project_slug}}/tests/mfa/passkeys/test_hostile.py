"""Hostile passkey answers: each a clear 400 ``invalid_credential``, and nothing stored (SEC-61).

Every answer is a real one from the software authenticator, bent one way: another origin or
relying party, a used, expired or misdirected challenge, another account's credential, a
counter that went back, malformed bytes. The challenge it answered is used up either way.
"""

import json
import logging

import cbor2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts import documents
from accounts.models import PasskeyChallenge, User
from tests.conftest import STRONG_PASSWORD
from tests.mfa.passkeys.conftest import new_session, passkey_login
from tests.webauthn_authenticator import SoftwareAuthenticator, b64url, unb64url


def stored(user) -> list[dict]:
    return documents.read_array(User, user.pk, "passkeys")


def sessions_of(user) -> int:
    return len(documents.read_sessions(User, user.pk))


def invalid(response) -> bool:
    body = response.json()
    return (response.status_code, body["code"]) == (400, "invalid_credential") and body["error"]


def add_passkey(api, token, credential):
    return api.put("passkeys/register", {"credential": credential}, token=token)


def creation_options(api, token) -> dict:
    return api.post("passkeys/register", token=token).json()["options"]


def login_options(api) -> dict:
    return api.post("login/passkey").json()["options"]


BENDS = {
    "origin": {"origin": "https://evil.example"},
    "rp_id": {"rp_id": "evil.example"},
    "http_origin": {"origin": "http://app.example.com"},
}


# --- Origin and relying party ----------------------------------------------------------
@pytest.mark.parametrize("bend", list(BENDS), ids=list(BENDS))
def test_sec61_a_registration_from_another_origin_or_rp_is_refused(
    api, user, reauthed, authenticator, bend, mailoutbox
):
    response = add_passkey(
        api, reauthed, authenticator.create(creation_options(api, reauthed), **BENDS[bend])
    )
    assert invalid(response)
    assert stored(user) == [] and User.objects.get(pk=user.pk).mfa_enabled is False
    assert mailoutbox == []
    assert not PasskeyChallenge.objects.exists()  # the challenge is used up all the same


@pytest.mark.parametrize("bend", list(BENDS), ids=list(BENDS))
def test_sec61_a_login_from_another_origin_or_rp_is_refused(api, passkey_user, authenticator, bend):
    before = sessions_of(passkey_user.user)
    assert invalid(passkey_login(api, authenticator, **BENDS[bend]))
    assert sessions_of(passkey_user.user) == before
    assert stored(passkey_user.user)[0]["sign_count"] == 0


def test_an_origin_in_auth_webauthn_origins_is_accepted(api, passkey_user, settings):
    settings.AUTH_WEBAUTHN_ORIGINS = ["android:apk-key-hash:abc123_-XYZ"]
    app = SoftwareAuthenticator(origin="android:apk-key-hash:abc123_-XYZ")
    app.credentials = {c.id: c for c in [passkey_user.credential]}
    assert passkey_login(api, app).status_code == 200


def test_sec61_a_frame_of_another_site_is_refused(api, passkey_user, authenticator):
    options = login_options(api)
    answer = authenticator.get(options)
    client_data = json.loads(unb64url(answer["response"]["clientDataJSON"]))
    answer["response"]["clientDataJSON"] = b64url(
        json.dumps({**client_data, "crossOrigin": True}).encode()
    )
    assert invalid(api.put("login/passkey", {"credential": answer}))


# --- Challenges --------------------------------------------------------------------------
def test_sec61_a_challenge_answers_once(api, passkey_user, authenticator, reauthed_passkey_user):
    options = login_options(api)
    answer = authenticator.get(options)
    assert api.put("login/passkey", {"credential": answer}).status_code == 200
    assert invalid(api.put("login/passkey", {"credential": answer}))  # the same answer again
    replay = authenticator.get(options)  # a new signature over the used challenge
    assert invalid(api.put("login/passkey", {"credential": replay}))
    token = reauthed_passkey_user
    options = creation_options(api, token)
    assert add_passkey(api, token, authenticator.create(options)).status_code == 201
    assert invalid(add_passkey(api, token, authenticator.create(options)))
    assert len(stored(passkey_user.user)) == 2


def test_sec61_a_challenge_expires_after_five_minutes(api, passkey_user, authenticator, clock):
    options = login_options(api)
    clock.advance(seconds=300)
    assert invalid(api.put("login/passkey", {"credential": authenticator.get(options)}))
    options = login_options(api)
    clock.advance(seconds=299)
    assert api.put("login/passkey", {"credential": authenticator.get(options)}).status_code == 200


def test_sec61_a_challenge_is_bound_to_its_purpose(
    api, passkey_user, authenticator, reauthed_passkey_user
):
    token = reauthed_passkey_user
    # Options to add a passkey do not log in; a login's do not re-authenticate.
    registration = creation_options(api, token)
    wrong = authenticator.get(login_options(api), challenge=unb64url(registration["challenge"]))
    assert invalid(api.put("login/passkey", {"credential": wrong}))
    login = authenticator.get(login_options(api))
    assert invalid(api.post("reauthenticate", {"passkey": login}, token=passkey_user.token))
    # A second step's options do not serve a passwordless login either.
    mfa_token = api.login().json()["mfa_token"]
    second = api.post("login/mfa/passkey", {"mfa_token": mfa_token}).json()["options"]
    assert invalid(api.put("login/passkey", {"credential": authenticator.get(second)}))


def test_sec61_a_challenge_is_bound_to_its_account(api, passkey_user, authenticator):
    bob = User.objects.create_user("bob", "bob@example.org", STRONG_PASSWORD)
    bob_token = api.reauthenticate(api.token_for("bob"))
    bob_options = creation_options(api, bob_token)
    # Alice answers Bob's registration challenge on her own session.
    alice = api.reauthenticate(passkey_user.token)
    answer = authenticator.create(bob_options)
    assert invalid(add_passkey(api, alice, answer))
    assert len(stored(passkey_user.user)) == 1 and stored(bob) == []


def test_sec61_an_unknown_challenge_is_refused(api, passkey_user, authenticator):
    wrong = authenticator.get(login_options(api), challenge=b"\x00" * 32)
    assert invalid(api.put("login/passkey", {"credential": wrong}))


# --- Credentials ---------------------------------------------------------------------------
def test_sec61_another_accounts_passkey_is_no_second_factor(api, passkey_user, authenticator):
    User.objects.create_user("bob", "bob@example.org", STRONG_PASSWORD)
    bobs = SoftwareAuthenticator(origin=authenticator.origin)
    bob_token = api.reauthenticate(api.token_for("bob"))
    assert (
        add_passkey(api, bob_token, bobs.create(creation_options(api, bob_token))).status_code
        == 201
    )
    # Alice's password, then Bob's passkey signing Alice's second-step challenge.
    mfa_token = api.login().json()["mfa_token"]
    options = api.post("login/mfa/passkey", {"mfa_token": mfa_token}).json()["options"]
    (bob_credential,) = bobs.credentials.values()
    answer = bobs.get(options, credential=bob_credential)
    assert invalid(api.post("login/mfa", {"mfa_token": mfa_token, "passkey": answer}))
    # And for a re-authentication of Alice's session.
    options = api.post("reauthenticate/passkey", token=passkey_user.token).json()["options"]
    answer = bobs.get(options, credential=bob_credential)
    assert invalid(api.post("reauthenticate", {"passkey": answer}, token=passkey_user.token))


def test_sec61_a_credential_id_is_registered_to_one_account_only(
    api, passkey_user, authenticator, mailoutbox
):
    """With attestation ``none`` nothing signs the credential id: anyone can claim any. The
    unique index refuses a copy of Alice's on Bob's account."""
    bob = User.objects.create_user("bob", "bob@example.org", STRONG_PASSWORD)
    bob_token = api.reauthenticate(api.token_for("bob"))
    copy = SoftwareAuthenticator(origin=authenticator.origin)
    answer = copy.create(creation_options(api, bob_token), credential_id=passkey_user.credential.id)
    mailoutbox.clear()
    assert invalid(add_passkey(api, bob_token, answer))
    assert stored(bob) == [] and User.objects.get(pk=bob.pk).mfa_enabled is False
    assert mailoutbox == []
    # The same on Alice's own account: it is already hers.
    alice = api.reauthenticate(passkey_user.token)
    again = authenticator.create(
        creation_options(api, alice), credential_id=passkey_user.credential.id
    )
    assert invalid(add_passkey(api, alice, again))
    assert len(stored(passkey_user.user)) == 1


def test_sec61_an_unknown_credential_is_refused(api, passkey_user, authenticator):
    stranger = SoftwareAuthenticator(origin=authenticator.origin)
    options = {"rp": {"id": "example.com"}, "user": {"id": b64url(b"1")}, "challenge": "AA"}
    stranger.create(options)  # made, but never registered here
    assert invalid(passkey_login(api, stranger))


def test_sec61_a_user_handle_that_names_another_account_is_refused(
    api, passkey_user, authenticator
):
    passkey_user.credential.user_handle = b"not-alice"
    assert invalid(passkey_login(api, authenticator))


# --- The signature counter -------------------------------------------------------------
def test_sec61_a_sign_count_that_went_back_is_refused_and_logged(
    api, passkey_user, authenticator, caplog
):
    assert passkey_login(api, authenticator).status_code == 200
    assert passkey_login(api, authenticator).status_code == 200
    assert stored(passkey_user.user)[0]["sign_count"] == 2
    before = sessions_of(passkey_user.user)
    caplog.set_level(logging.INFO, logger="accounts.security")
    for count in (2, 1, 0):  # a cloned authenticator, or a replay, would send these
        assert invalid(passkey_login(api, authenticator, sign_count=count))
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 3 and all("event=passkey_sign_count_regressed" in w for w in warnings)
    assert "stored=2 received=1" in warnings[1]
    assert sessions_of(passkey_user.user) == before
    assert stored(passkey_user.user)[0]["sign_count"] == 2
    assert passkey_login(api, authenticator).status_code == 200  # the real one moves on: 3


def test_sec61_an_authenticator_that_keeps_no_count_may_send_zero_every_time(
    api, passkey_user, authenticator
):
    authenticator.counter_step = 0  # synced passkeys keep no counter
    for _ in range(3):
        assert passkey_login(api, authenticator).status_code == 200
    assert stored(passkey_user.user)[0]["sign_count"] == 0


# --- Malformed input -------------------------------------------------------------------------
def _with(answer: dict, path: tuple, value) -> dict:
    bent = json.loads(json.dumps(answer))
    target = bent
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return bent


MALFORMED_LOGIN = {
    "id-not-base64url": (("id",), "not*base64url"),
    "rawId-stray-characters": (("rawId",), "ab$cd"),
    "rawId-impossible-length": (("rawId",), "a"),
    "id-not-rawId": (("id",), b64url(b"another id")),
    "type": (("type",), "password"),
    "response-not-an-object": (("response",), "x"),
    "clientDataJSON-not-json": (("response", "clientDataJSON"), b64url(b"{not json")),
    "clientDataJSON-not-an-object": (("response", "clientDataJSON"), b64url(b"[1, 2]")),
    "clientDataJSON-create": (
        ("response", "clientDataJSON"),
        b64url(b'{"type":"webauthn.create","challenge":"AA","origin":"https://app.example.com"}'),
    ),
    "clientDataJSON-no-challenge": (
        ("response", "clientDataJSON"),
        b64url(b'{"type":"webauthn.get","origin":"https://app.example.com"}'),
    ),
    "authenticatorData-short": (("response", "authenticatorData"), b64url(b"\x01\x02")),
    "signature-garbage": (("response", "signature"), b64url(b"\x30\x02\x01")),
    "signature-missing": (("response", "signature"), None),
    "userHandle-not-base64url": (("response", "userHandle"), "%%%"),
    "userHandle-too-long": (("response", "userHandle"), b64url(b"x" * 65)),
}


@pytest.mark.parametrize("case", list(MALFORMED_LOGIN), ids=list(MALFORMED_LOGIN))
def test_sec61_a_malformed_login_answer_is_a_400(api, passkey_user, authenticator, case):
    path, value = MALFORMED_LOGIN[case]
    answer = _with(authenticator.get(login_options(api)), path, value)
    before = sessions_of(passkey_user.user)
    assert invalid(api.put("login/passkey", {"credential": answer}))
    assert sessions_of(passkey_user.user) == before


def _attestation(answer: dict) -> dict:
    return cbor2.loads(unb64url(answer["response"]["attestationObject"]))


def _reattested(answer: dict, **changes) -> str:
    return b64url(cbor2.dumps({**_attestation(answer), **changes}))


MALFORMED_REGISTRATION = {
    "attestationObject-not-cbor": lambda a: b64url(b"\xff\x00 not cbor"),
    "attestationObject-cbor-list": lambda a: b64url(cbor2.dumps([1, 2, 3])),
    "fmt-unknown": lambda a: _reattested(a, fmt="made-up"),
    "none-with-a-statement": lambda a: _reattested(a, attStmt={"sig": b"x"}),
    "packed-without-signature": lambda a: _reattested(a, fmt="packed", attStmt={"alg": -7}),
    "packed-wrong-signature": lambda a: _reattested(
        a, fmt="packed", attStmt={"alg": -7, "sig": b"\x30\x06\x02\x01\x01\x02\x01\x01"}
    ),
    "authData-truncated": lambda a: _reattested(a, authData=_attestation(a)["authData"][:40]),
    "authData-bad-key": lambda a: _reattested(
        a, authData=_attestation(a)["authData"][:-20] + b"\xa1\x01\x02" * 5
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED_REGISTRATION), ids=list(MALFORMED_REGISTRATION))
def test_sec61_a_malformed_attestation_is_a_400(api, user, reauthed, authenticator, case):
    answer = authenticator.create(creation_options(api, reauthed))
    answer["response"]["attestationObject"] = MALFORMED_REGISTRATION[case](answer)
    assert invalid(add_passkey(api, reauthed, answer))
    assert stored(user) == [] and User.objects.get(pk=user.pk).mfa_enabled is False


@pytest.mark.parametrize(
    "body",
    [{}, {"credential": "a string"}, {"credential": [1]}, {"credential": None}],
    ids=["missing", "string", "list", "null"],
)
def test_a_credential_that_is_not_an_object_is_a_400(api, db, body):
    response = api.put("login/passkey", body)
    assert response.status_code == 400
    assert response.json()["code"] in ("missing_field", "invalid_field")


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@given(
    field=st.sampled_from(
        [
            "id",
            "rawId",
            "type",
            "response",
            "clientDataJSON",
            "authenticatorData",
            "signature",
            "userHandle",
        ]
    ),
    value=_json,
)
def test_sec61_any_value_anywhere_in_an_answer_is_a_400_never_a_500(
    api, passkey_user, authenticator, settings, field, value
):
    settings.AUTH_THROTTLE_ENABLED = False  # every example is a failed login from one IP
    answer = authenticator.get(login_options(api))
    path = (field,) if field in ("id", "rawId", "type", "response") else ("response", field)
    response = api.put("login/passkey", {"credential": _with(answer, path, value)})
    assert response.status_code == 400 and response.json()["code"] == "invalid_credential"


@pytest.fixture
def reauthed_passkey_user(api, passkey_user):
    """The passkey user's session, re-authenticated."""
    return api.reauthenticate(new_session(passkey_user.user))
