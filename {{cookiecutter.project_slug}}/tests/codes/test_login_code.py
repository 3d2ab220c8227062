"""Login by emailed code: POST login/code mails one, PUT login/code trades it (SEC-63, SEC-58)."""

import json

import pytest

from accounts import store
from accounts.codes import onetime
from accounts.mail import outbox
from accounts.models import OutboxMessage, User
from tests.conftest import kinds, login_code_from, totp_code

ALICE = "alice@example.org"


def ask(api, email=ALICE, **extra):
    return api.post("login/code", {"email": email}, **extra)


@pytest.fixture
def mailed_code(api, user, mailoutbox) -> str:
    """A code mailed to alice, read from her mail."""
    assert ask(api).status_code == 202
    return login_code_from(mailoutbox[-1])


def wrong(code: str) -> str:
    """Return a well-formed code that is not ``code``."""
    return ("3" if code[0] != "3" else "4") + code[1:]


def test_sec63_a_mailed_code_logs_in_once(api, user, mailoutbox):
    response = ask(api)
    assert response.status_code == 202
    assert response.json() == {
        "detail": "If an account has that address, a login code is on its way to it."
    }
    (message,) = mailoutbox
    assert message.to == [ALICE] and kinds([message]) == ["login_code"]
    code = login_code_from(message)

    logged_in = api.put("login/code", {"email": ALICE, "code": code})
    assert logged_in.status_code == 200 and logged_in.json().keys() == {"token", "expires_at"}
    token = logged_in.json()["token"]
    assert api.get("me", token=token).json()["username"] == "alice"

    again = api.put("login/code", {"email": ALICE, "code": code})
    assert (again.status_code, again.json()["code"]) == (400, "invalid_code")


def test_sec63_codes_are_eight_unambiguous_characters_kept_as_a_keyed_digest(
    api, user, mailed_code
):
    plain = mailed_code.replace("-", "")
    assert len(plain) == 8 and not set(plain) & set("01OILU")
    document = store.collection(User).find_one({"email_key": "alice@example.org"})
    stored = document["email_codes"]["login"]
    assert stored.keys() == {"digest", "expires_at", "failures"}
    assert plain not in json.dumps(document, default=str)
    assert len(stored["digest"]) == 64  # an HMAC keyed with SECRET_KEY, not a bare hash
    assert stored["digest"] == onetime.code_digest(user.pk, "login", user.email_key, plain)


def test_case_spaces_and_the_dash_do_not_matter(api, user, mailed_code):
    typed = " " + mailed_code.lower().replace("-", " ") + " "
    assert api.put("login/code", {"email": "ALICE@example.org", "code": typed}).status_code == 200


def test_sec63_a_code_is_dead_after_three_wrong_tries(api, user, mailed_code):
    for _ in range(onetime.MAX_TRIES):
        response = api.put("login/code", {"email": ALICE, "code": wrong(mailed_code)})
        assert (response.status_code, response.json()["code"]) == (400, "invalid_code")
    response = api.put("login/code", {"email": ALICE, "code": mailed_code})
    assert (response.status_code, response.json()["code"]) == (400, "invalid_code")


def test_sec63_a_code_lives_ten_minutes(api, user, mailoutbox, clock):
    ask(api)
    code = login_code_from(mailoutbox[-1])
    clock.advance(seconds=onetime.CODE_TTL)
    response = api.put("login/code", {"email": ALICE, "code": code})
    assert (response.status_code, response.json()["code"]) == (400, "invalid_code")


def test_a_new_code_replaces_the_last_one(api, user, mailoutbox):
    ask(api)
    ask(api)
    first, second = (login_code_from(message) for message in mailoutbox)
    assert api.put("login/code", {"email": ALICE, "code": first}).status_code == 400
    assert api.put("login/code", {"email": ALICE, "code": second}).status_code == 200


def test_sec63_a_code_sent_before_the_address_changed_stops_working(api, user, mailed_code):
    User.objects.filter(pk=user.pk).update(email="alice@example.net")
    user = User.objects.get(pk=user.pk)
    user.save()  # the keys follow the address
    for address in (ALICE, "alice@example.net"):
        assert api.put("login/code", {"email": address, "code": mailed_code}).status_code == 400


def test_the_code_counts_as_verifying_the_address(api, user, mailed_code):
    assert not user.email_verified
    token = api.put("login/code", {"email": ALICE, "code": mailed_code}).json()["token"]
    me = api.get("me", token=token).json()
    assert me["email_verified"] is True and me["email_verified_at"]


def test_an_inactive_account_gets_no_code(api, user, mailoutbox):
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert ask(api).status_code == 202 and mailoutbox == []


def test_a_browser_client_gets_the_session_as_a_cookie(api, user, mailed_code):
    response = api.put(
        "login/code", {"email": ALICE, "code": mailed_code}, HTTP_X_AUTH_CLIENT="browser"
    )
    assert response.status_code == 200 and response.json().keys() == {"expires_at"}
    assert response.cookies["__Host-auth_session"]["httponly"]


def test_an_account_with_a_second_factor_gets_the_second_step(
    api, mfa_user, mailoutbox, clock, settings
):
    ask(api)
    first = api.put("login/code", {"email": ALICE, "code": login_code_from(mailoutbox[-1])}).json()
    assert first["mfa_required"] is True and "token" not in first
    body = {"mfa_token": first["mfa_token"], "code": totp_code(mfa_user.secret, clock)}
    assert api.post("login/mfa", body).status_code == 200

    settings.AUTH_LOGIN_CODE_SKIPS_MFA = True
    ask(api)
    response = api.put("login/code", {"email": ALICE, "code": login_code_from(mailoutbox[-1])})
    assert response.json().keys() == {"token", "expires_at"}


def test_login_by_code_answers_404_when_it_is_not_a_login_method(api, user, settings, mailoutbox):
    settings.AUTH_LOGIN_METHODS = ["username", "email"]
    for method in ("post", "put"):
        response = getattr(api, method)("login/code", {"email": ALICE, "code": "ABCD-EFGH"})
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert mailoutbox == []


@pytest.mark.parametrize(
    "body",
    [{}, {"email": ["a"]}, {"email": ALICE, "code": 12345678}, {"email": "x" * 300}],
    ids=["empty", "list", "number", "long"],
)
def test_malformed_bodies_are_400s(api, db, body):
    method = api.put if "code" in body else api.post
    assert method("login/code", body).status_code == 400


# --- The same for an address with no account (SEC-58, SEC-53) -----------------------
def test_sec58_asking_for_a_code_answers_the_same_for_an_unknown_address(api, user):
    known, unknown = ask(api), ask(api, "nobody@example.org")
    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)


def test_sec53_asking_for_a_code_does_the_same_work_for_an_unknown_address(
    api, user, queued_mail, mailoutbox, server_commands
):
    with server_commands() as known:
        ask(api)
    with server_commands() as unknown:
        ask(api, "nobody@example.org")
    assert [name for name, _ in known] == [name for name, _ in unknown]
    assert mailoutbox == []  # nothing looked up, made or sent inside the request
    first, second = store.collection(OutboxMessage).find(sort=[("created_at", 1)])
    expected = ("login_code", "login_code_task")
    assert (first["task"], first["kind"]) == (second["task"], second["kind"]) == expected
    assert outbox.deliver_due() == 3  # two tasks, one of which became an email
    assert [message.to for message in mailoutbox] == [[ALICE]]


def test_sec58_trading_a_code_costs_the_same_for_an_unknown_address(
    api, user, mailed_code, server_commands
):
    with server_commands() as known:
        response = api.put("login/code", {"email": ALICE, "code": wrong(mailed_code)})
        assert response.json()["code"] == "invalid_code"
    with server_commands() as unknown:
        response = api.put("login/code", {"email": "nobody@example.org", "code": mailed_code})
        assert response.json()["code"] == "invalid_code"
    assert [name for name, _ in known] == [name for name, _ in unknown]


# --- Throttles ----------------------------------------------------------------------
def test_sec63_asking_is_throttled_per_address_known_or_not(api, user, rates, mailoutbox):
    rates(email_account="2/3600")
    for address in (ALICE, "nobody@example.org"):
        assert [ask(api, address).status_code for _ in range(3)] == [202, 202, 429]
    assert len(mailoutbox) == 2


def test_sec63_asking_is_throttled_per_ip_across_addresses(api, user, rates):
    rates(email_ip="2/3600")
    assert ask(api, "a@example.org").status_code == 202
    assert ask(api, "b@example.org", REMOTE_ADDR="2001:db8::1").status_code == 202
    assert ask(api, "c@example.org", REMOTE_ADDR="2001:db8::2").status_code == 202
    assert ask(api, "d@example.org", REMOTE_ADDR="2001:db8::3").status_code == 429  # one /64


def test_sec63_tries_are_throttled_per_account_with_its_passwords(api, user, rates, mailoutbox):
    rates(login_account="3/900")
    assert api.login(password="not-the-password-at-all").status_code == 400
    ask(api)
    code = login_code_from(mailoutbox[-1])
    assert api.put("login/code", {"email": ALICE, "code": wrong(code)}).status_code == 400
    ask(api)
    code = login_code_from(mailoutbox[-1])
    assert api.put("login/code", {"email": ALICE, "code": wrong(code)}).status_code == 400
    # Two wrong codes and a wrong password: the account is at its limit, for the right code too.
    assert api.put("login/code", {"email": ALICE, "code": code}).status_code == 429


def test_sec63_tries_are_throttled_per_ip(api, user, rates, mailed_code):
    rates(login_ip="2/900")
    for address in ("x@example.org", "y@example.org"):
        assert api.put("login/code", {"email": address, "code": mailed_code}).status_code == 400
    assert api.put("login/code", {"email": ALICE, "code": mailed_code}).status_code == 429


def test_a_right_code_gives_its_tries_back(api, user, rates, mailoutbox):
    rates(login_account="2/900", login_ip="2/900")
    for _ in range(3):
        ask(api)
        code = login_code_from(mailoutbox[-1])
        assert api.put("login/code", {"email": ALICE, "code": code}).status_code == 200


def test_sec63_a_code_is_used_once_even_by_racing_requests(user):
    issued = onetime.issue(user, onetime.LOGIN)
    holder, stored = onetime.try_code(user.email_key, onetime.LOGIN)
    assert onetime.matches(holder, onetime.LOGIN, stored, issued.code)
    assert onetime.use(holder, onetime.LOGIN, stored).pk == user.pk
    assert onetime.use(holder, onetime.LOGIN, stored) is None  # the second request's turn
