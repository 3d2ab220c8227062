"""Two-factor authentication over HTTP: set-up, the login's second step, off, renew (SEC-50, 52)."""

import base64
import urllib.parse
from datetime import timedelta

import pytest

from accounts import documents
from accounts.clock import iso
from accounts.core.digests import digest
from accounts.errors import AuthError, MfaRequired
from accounts.mail.emails import RecoveryCodeUsedEmail
from accounts.models import MfaChallenge, User
from tests.conftest import (
    OTHER_PASSWORD,
    STRONG_PASSWORD,
    kinds,
    link_token_from,
    renders_as,
    totp_code,
)


def challenge(api) -> str:
    """Log alice in with her password; return the ``mfa_token`` the answer carries."""
    response = api.login()
    assert response.status_code == 200, response.content
    return response.json()["mfa_token"]


def second_step(api, mfa_token, **factor):
    return api.post("login/mfa", {"mfa_token": mfa_token, **factor})


def wrong_code(code: str) -> str:
    """Return a code that is not ``code`` (nor, but by a 1-in-10^5 chance, its neighbours')."""
    return f"{(int(code) + 500_000) % 10**6:06d}"


# --- Set-up ----------------------------------------------------------------------
def test_setup_returns_a_160_bit_secret_its_otpauth_url_and_a_qr_code(
    api, user, reauthed, settings
):
    settings.SITE_NAME = "Acme Accounts"
    response = api.post("mfa/totp", token=reauthed)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert set(body) == {"secret", "otpauth_url", "qr_svg"}
    assert len(base64.b32decode(body["secret"])) == 20
    url = urllib.parse.urlsplit(body["otpauth_url"])
    query = urllib.parse.parse_qs(url.query)
    assert (url.scheme, url.netloc) == ("otpauth", "totp")
    assert urllib.parse.unquote(url.path) == "/Acme Accounts:alice"
    assert query["secret"] == [body["secret"]] and query["issuer"] == ["Acme Accounts"]
    assert body["qr_svg"].startswith("<svg") and body["qr_svg"].rstrip().endswith("</svg>")


def test_the_qr_code_is_a_standalone_svg_document(api, user, reauthed):
    """What the OpenAPI description promises: usable inline, as a file or as a data: URL."""
    from xml.etree import ElementTree

    svg = api.post("mfa/totp", token=reauthed).json()["qr_svg"]
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output; well-formed on its own
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert not svg.startswith("<?xml")  # no declaration: still valid inline in HTML
    assert int(root.get("width")) == int(root.get("height")) > 0


def test_setup_not_confirmed_changes_nothing(api, user, reauthed, mailoutbox):
    api.post("mfa/totp", token=reauthed)
    assert api.get("me", token=reauthed).json()["mfa_enabled"] is False
    assert "token" in api.login().json()  # still a one-step login
    assert mailoutbox == []


def test_starting_again_replaces_the_pending_secret(api, user, reauthed, clock):
    first = api.post("mfa/totp", token=reauthed).json()["secret"]
    second = api.post("mfa/totp", token=reauthed).json()["secret"]
    assert first != second
    response = api.put("mfa/totp", {"code": totp_code(first, clock)}, token=reauthed)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_code")
    response = api.put("mfa/totp", {"code": totp_code(second, clock)}, token=reauthed)
    assert response.status_code == 200


def test_confirming_turns_mfa_on_returns_ten_codes_once_and_mails_the_user(
    api, user, reauthed, clock, mailoutbox
):
    secret = api.post("mfa/totp", token=reauthed).json()["secret"]
    response = api.put("mfa/totp", {"code": totp_code(secret, clock)}, token=reauthed)
    assert response.status_code == 200
    codes = response.json()["recovery_codes"]
    assert len(codes) == len(set(codes)) == 10
    assert api.get("me", token=reauthed).json()["mfa_enabled"] is True
    assert kinds(mailoutbox) == ["mfa_enabled"]
    message = mailoutbox[0]
    assert message.to == ["alice@example.org"] and message.alternatives
    assert not any(code in message.body for code in codes) and secret not in message.body


def test_confirming_needs_a_setup_and_a_right_code(api, user, reauthed, clock):
    response = api.put("mfa/totp", {"code": "123456"}, token=reauthed)
    assert (response.status_code, response.json()["code"]) == (400, "mfa_setup_not_started")
    secret = api.post("mfa/totp", token=reauthed).json()["secret"]
    wrong = wrong_code(totp_code(secret, clock))
    response = api.put("mfa/totp", {"code": wrong}, token=reauthed)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_code")
    assert User.objects.get(pk=user.pk).mfa_enabled is False


def test_mfa_already_on_refuses_a_new_setup(api, mfa_user, clock):
    api.reauthenticate(mfa_user.token)
    for method in ("post", "put"):
        response = getattr(api, method)("mfa/totp", {"code": "123456"}, token=mfa_user.token)
        assert (response.status_code, response.json()["code"]) == (400, "mfa_already_enabled")


@pytest.mark.parametrize("path", ["mfa/totp", "mfa/recovery-codes"])
def test_mfa_endpoints_need_a_token(api, user, path):
    response = api.post(path)
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


# --- Login --------------------------------------------------------------------------
def test_login_with_mfa_on_answers_a_challenge_and_no_session(api, mfa_user, clock):
    sessions_before = len(documents.read_sessions(User, mfa_user.user.pk))
    response = api.login()
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"mfa_required", "mfa_token", "expires_at"}
    assert body["mfa_required"] is True and len(body["mfa_token"]) >= 43
    assert body["expires_at"] == iso(clock.now() + timedelta(minutes=5))
    assert len(documents.read_sessions(User, mfa_user.user.pk)) == sessions_before
    stored = MfaChallenge.objects.get(user=mfa_user.user)
    assert stored.digest == digest(body["mfa_token"])  # only the digest is kept


def test_the_whole_flow_password_then_code_gives_a_working_session(api, mfa_user, clock):
    response = second_step(api, challenge(api), code=totp_code(mfa_user.secret, clock))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    me = api.get("me", token=body["token"])
    assert me.status_code == 200 and me.json()["mfa_enabled"] is True


def test_a_wrong_password_never_reaches_the_second_step(api, mfa_user):
    response = api.login(password="not-the-password-at-all")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_credentials")
    assert not MfaChallenge.objects.exists()


def test_sec50_a_code_is_accepted_once_even_inside_its_window(api, mfa_user, clock):
    code = totp_code(mfa_user.secret, clock)
    assert second_step(api, challenge(api), code=code).status_code == 200
    replay = second_step(api, challenge(api), code=code)
    assert (replay.status_code, replay.json()["code"]) == (400, "invalid_code")


def test_sec50_an_older_code_is_refused_once_a_later_one_was_accepted(api, mfa_user, clock):
    assert (
        second_step(api, challenge(api), code=totp_code(mfa_user.secret, clock, 1)).status_code
        == 200
    )
    older = second_step(api, challenge(api), code=totp_code(mfa_user.secret, clock, 0))
    assert (older.status_code, older.json()["code"]) == (400, "invalid_code")


@pytest.mark.parametrize(("steps", "status"), [(-2, 400), (-1, 200), (0, 200), (1, 200), (2, 400)])
def test_sec50_codes_are_accepted_one_step_either_side_and_no_further(
    api, mfa_user, clock, steps, status
):
    response = second_step(api, challenge(api), code=totp_code(mfa_user.secret, clock, steps))
    assert response.status_code == status


def test_sec50_the_window_follows_the_clock_to_the_second(api, mfa_user, clock):
    step_start = clock.now().timestamp() // 30 * 30
    clock.current = clock.current.fromtimestamp(step_start + 29, tz=clock.current.tzinfo)
    code = totp_code(mfa_user.secret, clock)  # the code of this step, one second before it ends
    mfa_token = challenge(api)
    clock.advance(seconds=31)  # now the step after next: two steps late
    assert second_step(api, mfa_token, code=code).json()["code"] == "invalid_code"
    clock.advance(seconds=-1)  # one step late: still accepted
    assert second_step(api, mfa_token, code=code).status_code == 200


def test_sec50_the_mfa_token_expires_after_five_minutes(api, mfa_user, clock):
    stale, fresh = challenge(api), None
    clock.advance(seconds=299)
    fresh = challenge(api)
    clock.advance(seconds=1)
    response = second_step(api, stale, code=totp_code(mfa_user.secret, clock))
    assert (response.status_code, response.json()["code"]) == (400, "invalid_mfa_token")
    assert second_step(api, fresh, code=totp_code(mfa_user.secret, clock)).status_code == 200


def test_sec50_the_mfa_token_works_once(api, mfa_user, clock):
    mfa_token = challenge(api)
    assert second_step(api, mfa_token, code=totp_code(mfa_user.secret, clock)).status_code == 200
    again = second_step(api, mfa_token, code=totp_code(mfa_user.secret, clock, 1))
    assert (again.status_code, again.json()["code"]) == (400, "invalid_mfa_token")


def test_sec50_the_mfa_token_dies_after_five_wrong_codes(api, mfa_user, clock):
    mfa_token = challenge(api)
    wrong = wrong_code(totp_code(mfa_user.secret, clock))
    answers = [second_step(api, mfa_token, code=wrong).json()["code"] for _ in range(5)]
    assert answers == ["invalid_code"] * 5
    right = second_step(api, mfa_token, code=totp_code(mfa_user.secret, clock))
    assert (right.status_code, right.json()["code"]) == (400, "invalid_mfa_token")
    assert not MfaChallenge.objects.filter(digest=digest(mfa_token)).exists()


def test_sec50_wrong_codes_are_throttled_per_account_with_failed_logins(
    api, mfa_user, clock, rates
):
    rates(login_account="3/900")
    for _ in range(3):
        second_step(api, challenge(api), recovery_code="aaaa-bbbb-cccc-dddd")
    response = second_step(api, _fresh_challenge(mfa_user), code=totp_code(mfa_user.secret, clock))
    assert (response.status_code, response.json()["code"]) == (429, "throttled")
    assert 1 <= int(response["Retry-After"]) <= 900
    assert api.login().status_code == 429  # the same counter as wrong passwords
    clock.advance(seconds=900)
    assert (
        second_step(api, challenge(api), code=totp_code(mfa_user.secret, clock)).status_code == 200
    )


def _fresh_challenge(mfa_user) -> str:
    """A challenge made without the login endpoint (which the throttle now refuses)."""
    from accounts.mfa import flows as mfa

    return mfa.challenge(User.objects.get(pk=mfa_user.user.pk)).mfa_token


def test_a_recovery_code_works_once_and_is_mailed(api, mfa_user, mailoutbox):
    mailoutbox.clear()
    code = mfa_user.recovery_codes[3]
    assert second_step(api, challenge(api), recovery_code=code).status_code == 200
    (notice,) = mailoutbox  # says how many codes are left, never the code
    assert renders_as(notice, RecoveryCodeUsedEmail(mfa_user.user, remaining=9))
    assert code not in notice.body
    again = second_step(api, challenge(api), recovery_code=code)
    assert (again.status_code, again.json()["code"]) == (400, "invalid_code")


def test_recovery_codes_are_read_without_case_dashes_or_spaces(api, mfa_user):
    typed = " " + mfa_user.recovery_codes[0].replace("-", " ").upper() + " "
    assert second_step(api, challenge(api), recovery_code=typed).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"code": "123456"},
        {"mfa_token": "x"},
        {"mfa_token": "x", "code": "123456", "recovery_code": "aaaa-bbbb-cccc-dddd"},
        {"mfa_token": {"$ne": None}, "code": "123456"},
        {"mfa_token": "x", "code": ["123456"]},
    ],
    ids=["no-token", "no-code", "both-codes", "operator-token", "array-code"],
)
def test_sec30_login_mfa_refuses_malformed_bodies(api, body):
    response = api.post("login/mfa", body)
    assert response.status_code == 400
    assert response.json()["code"] in {"missing_field", "invalid_field"}


def test_an_unknown_mfa_token_is_invalid(api, mfa_user, clock):
    response = second_step(api, "not-a-token", code=totp_code(mfa_user.secret, clock))
    assert (response.status_code, response.json()["code"]) == (400, "invalid_mfa_token")


def test_seed_api_user_login_raises_mfa_required_with_the_token(api, mfa_user, clock):
    with pytest.raises(AuthError) as raised:
        User.login("alice", STRONG_PASSWORD)
    error = raised.value
    assert isinstance(error, MfaRequired) and error.code == "mfa_required"
    assert error.as_dict()["mfa_token"] == error.mfa_token
    response = second_step(api, error.mfa_token, code=totp_code(mfa_user.secret, clock))
    assert response.status_code == 200


def test_hot_path_is_still_one_read_with_mfa_on(api, mfa_user, server_commands):
    with server_commands() as commands:
        assert api.get("me", token=mfa_user.token).json()["mfa_enabled"] is True
    assert [name for name, _ in commands] == ["find"]  # counted at the driver: both ORMs


# --- Password reset (SEC-52) ---------------------------------------------------------
def test_sec52_a_reset_keeps_mfa_on_logs_nobody_in_and_kills_pending_mfa_tokens(
    api, mfa_user, clock, mailoutbox
):
    pending = challenge(api)
    api.post("reset", {"email": "alice@example.org"})
    response = api.put(
        "reset", {"a": link_token_from(mailoutbox[-1]), "new_password": OTHER_PASSWORD}
    )
    assert response.status_code == 200 and "token" not in response.json()
    assert User.objects.get(pk=mfa_user.user.pk).mfa_enabled is True
    killed = second_step(api, pending, code=totp_code(mfa_user.secret, clock))
    assert (killed.status_code, killed.json()["code"]) == (400, "invalid_mfa_token")
    login = api.login(password=OTHER_PASSWORD).json()
    assert login["mfa_required"] is True and "token" not in login
    assert (
        second_step(api, login["mfa_token"], code=totp_code(mfa_user.secret, clock)).status_code
        == 200
    )


# --- Off and renew -----------------------------------------------------------------
def test_turning_off_needs_a_reauthentication_and_a_code(api, mfa_user, clock, mailoutbox):
    code = totp_code(mfa_user.secret, clock)
    answers = [
        api.call(
            "DELETE",
            "mfa/totp",
            {"current_password": "wrong-password-xyz", "code": code},
            token=mfa_user.token,
        ),
        api.call("DELETE", "mfa/totp", {"current_password": STRONG_PASSWORD}, token=mfa_user.token),
        api.call("DELETE", "mfa/totp", {"code": code}, token=mfa_user.token),
        api.call(
            "DELETE",
            "mfa/totp",
            {"current_password": STRONG_PASSWORD, "code": wrong_code(code)},
            token=mfa_user.token,
        ),
    ]
    assert [(r.status_code, r.json()["code"]) for r in answers] == [
        (400, "invalid_credentials"),
        (400, "missing_field"),
        (403, "reauthentication_required"),  # the password (or a stamp) first: SEC-52, SEC-55
        (400, "invalid_code"),
    ]
    assert User.objects.get(pk=mfa_user.user.pk).mfa_enabled is True
    mailoutbox.clear()
    body = {"current_password": STRONG_PASSWORD, "code": code}
    assert api.call("DELETE", "mfa/totp", body, token=mfa_user.token).status_code == 204
    assert kinds(mailoutbox) == ["mfa_disabled"]
    stored = User.objects.get(pk=mfa_user.user.pk)
    assert not stored.mfa_enabled and not stored.mfa_secret and not stored.mfa_recovery_codes
    assert "token" in api.login().json()
    again = api.call("DELETE", "mfa/totp", body, token=mfa_user.token)
    assert (again.status_code, again.json()["code"]) == (400, "mfa_not_enabled")


def test_turning_off_with_a_recovery_code(api, mfa_user):
    body = {"current_password": STRONG_PASSWORD, "recovery_code": mfa_user.recovery_codes[0]}
    assert api.call("DELETE", "mfa/totp", body, token=mfa_user.token).status_code == 204


def test_turning_off_ends_pending_mfa_logins(api, mfa_user, clock):
    pending = challenge(api)
    body = {"current_password": STRONG_PASSWORD, "code": totp_code(mfa_user.secret, clock)}
    api.call("DELETE", "mfa/totp", body, token=mfa_user.token)
    response = second_step(api, pending, code=totp_code(mfa_user.secret, clock, 1))
    assert response.json()["code"] == "invalid_mfa_token"


def test_new_recovery_codes_replace_the_old_ones(api, mfa_user, mailoutbox):
    wrong = api.post(
        "mfa/recovery-codes", {"current_password": "wrong-password-xyz"}, token=mfa_user.token
    )
    assert (wrong.status_code, wrong.json()["code"]) == (400, "invalid_credentials")
    mailoutbox.clear()
    response = api.post(
        "mfa/recovery-codes", {"current_password": STRONG_PASSWORD}, token=mfa_user.token
    )
    assert response.status_code == 200
    fresh = response.json()["recovery_codes"]
    assert len(fresh) == 10 and not set(fresh) & set(mfa_user.recovery_codes)
    assert kinds(mailoutbox) == ["mfa_recovery_codes_renewed"]
    old = second_step(api, challenge(api), recovery_code=mfa_user.recovery_codes[0])
    assert old.json()["code"] == "invalid_code"
    assert second_step(api, challenge(api), recovery_code=fresh[0]).status_code == 200


def test_new_recovery_codes_need_mfa_on(api, user, token):
    response = api.post("mfa/recovery-codes", {"current_password": STRONG_PASSWORD}, token=token)
    assert (response.status_code, response.json()["code"]) == (400, "mfa_not_enabled")


def test_sec50_racing_wrong_codes_evaluate_at_most_the_limit(live_server, mfa_user, clock, rates):
    from tests.test_races import GUESSERS, race

    rates(login_account="4/900")
    wrong = wrong_code(totp_code(mfa_user.secret, clock))
    first = second_step(api_for(live_server), _fresh_challenge(mfa_user), code=wrong)
    assert first == 400  # the window's counter exists (see tests/test_races.py)
    url = f"{live_server.url}/api/auth/login/mfa"
    calls = [
        (url, "POST", {"mfa_token": _fresh_challenge(mfa_user), "code": wrong})
        for _ in range(GUESSERS)
    ]
    assert race(calls) == [400] * 3 + [429] * (GUESSERS - 3)


def test_sec50_racing_wrong_codes_on_one_mfa_token_check_at_most_five(
    live_server, mfa_user, clock, rates
):
    import json

    from accounts.mfa.flows import MAX_WRONG_CODES
    from tests.test_races import GUESSERS, race_answers

    rates(login_account="100/900", login_ip="100/900")  # only the token's own count may bite
    wrong = wrong_code(totp_code(mfa_user.secret, clock))
    body = {"mfa_token": _fresh_challenge(mfa_user), "code": wrong}
    url = f"{live_server.url}/api/auth/login/mfa"
    answers = race_answers([(url, "POST", body)] * GUESSERS)
    codes = sorted(json.loads(content)["code"] for _, content in answers)
    # Each try is counted before its code is checked: the sixth racer never gets a check.
    assert codes == ["invalid_code"] * MAX_WRONG_CODES + ["invalid_mfa_token"] * (
        GUESSERS - MAX_WRONG_CODES
    )
    assert not MfaChallenge.objects.filter(user=mfa_user.user).exists()


def api_for(live_server):
    """A tiny client of the live server: ``second_step`` over real HTTP, returning the status."""
    from types import SimpleNamespace

    from tests.conftest import http_request

    def post(path, body):
        return http_request("POST", f"{live_server.url}/api/auth/{path}", body)[0]

    return SimpleNamespace(post=post)
