"""Email verification: POST /api/auth/verify sends the link, PUT completes it."""

import json

import pytest

from accounts.clock import iso
from accounts.models import LinkToken, User
from tests.conftest import STRONG_PASSWORD, http_request, link_token_from


@pytest.fixture
def verify_link(api, token, mailoutbox):
    assert api.post("verify", token=token).status_code == 201
    return link_token_from(mailoutbox[-1])


def test_post_verify_mails_a_link_to_the_stored_address(api, token, mailoutbox, settings):
    response = api.post("verify", token=token)
    assert response.status_code == 201
    (message,) = mailoutbox
    assert message.to == ["alice@example.org"]
    assert f"{settings.FRONTEND_URL}/verify?a=" in message.body


def test_post_verify_needs_a_token(api, user, mailoutbox):
    assert api.post("verify").status_code == 401
    assert mailoutbox == []


def test_put_verify_marks_the_address_verified(api, user, verify_link, clock):
    response = api.put(f"verify?a={verify_link}")
    assert response.status_code == 200
    assert response.json() == {"email_verified": True, "email_verified_at": iso(clock.now())}
    user.refresh_from_db()
    assert user.email_verified and user.email_verified_at == clock.now()


def test_sec20_put_verify_accepts_the_token_in_the_json_body(api, user, verify_link):
    assert api.put("verify/", {"a": verify_link}).status_code == 200
    assert User.objects.get(pk=user.pk).email_verified


def test_sec16_a_verify_link_works_once(api, user, verify_link):
    assert api.put(f"verify?a={verify_link}").status_code == 200
    again = api.put(f"verify?a={verify_link}")
    assert (again.status_code, again.json()["code"]) == (400, "link_used")


def test_sec17_an_expired_verify_link_says_so(api, user, token, mailoutbox, settings, clock):
    settings.AUTH_VERIFY_LINK_TTL = 600
    api.post("verify", token=token)
    link = link_token_from(mailoutbox[-1])
    clock.advance(seconds=601)
    response = api.put(f"verify?a={link}")
    assert (response.status_code, response.json()["code"]) == (400, "link_expired")
    assert not User.objects.get(pk=user.pk).email_verified


def test_sec16_a_verify_link_is_bound_to_the_address_it_was_sent_to(api, user, verify_link):
    user.email = "new-address@example.org"
    user.save()
    response = api.put(f"verify?a={verify_link}")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_link")
    assert not User.objects.get(pk=user.pk).email_verified


def test_sec16_a_reset_link_cannot_verify(api, user, mailoutbox):
    api.post("reset", {"email": "alice@example.org"})
    reset_link = link_token_from(mailoutbox[-1])
    assert api.put(f"verify?a={reset_link}").json()["code"] == "invalid_link"


def test_a_made_up_link_is_refused(api, db):
    response = api.put("verify?a=made-up-token")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_link")


def test_put_verify_without_a_token_is_a_400(api, db):
    assert api.put("verify").json()["code"] == "missing_field"


def test_verifying_twice_is_refused_once_verified(api, token, verify_link):
    api.put(f"verify?a={verify_link}")
    response = api.post("verify", token=token)
    assert (response.status_code, response.json()["code"]) == (400, "already_verified")


def test_sec08_link_tokens_are_stored_only_as_digests(api, user, verify_link):
    stored = LinkToken.objects.get(user=user)
    assert verify_link not in stored.digest and len(stored.digest) == 64


def verify_over_http(url, username, mailoutbox):
    """Log in, ask for a link, use it: each step a real HTTP request; return the statuses."""
    login = {"username": username, "password": STRONG_PASSWORD}
    status, body, _ = http_request("POST", f"{url}/api/auth/login", login)
    assert status == 200, body
    auth = {"Authorization": json.loads(body)["token"]}
    asked, _, _ = http_request("POST", f"{url}/api/auth/verify", headers=auth)
    link = link_token_from(mailoutbox[-1])
    used, body, _ = http_request("PUT", f"{url}/api/auth/verify", {"a": link})
    return asked, used, json.loads(body)


@pytest.mark.parametrize(
    "email", ["idn@bücher.example", "Idn@BÜCHER.example", "user@xn--bcher-kva.example"]
)
def test_sec16_an_internationalised_domain_verifies_end_to_end(live_server, mailoutbox, email):
    body = {"username": "idn", "email": email, "password": STRONG_PASSWORD}
    assert http_request("POST", f"{live_server.url}/api/auth/register", body)[0] == 201
    asked, used, answer = verify_over_http(live_server.url, "idn", mailoutbox)
    assert (asked, used, answer["email_verified"]) == (201, 200, True)
    assert mailoutbox[-1].to == [User.objects.get().email]


@pytest.mark.parametrize("email", ["jürgen@bücher.example", "δοκιμή@παράδειγμα.δοκιμή"])
def test_sec16_a_non_ascii_local_part_verifies_end_to_end(live_server, mailoutbox, email):
    # Registration refuses these (Django's validator, as most mail servers lack SMTPUTF8),
    # but an account imported or made in the shell may have one: its link must still work.
    body = {"username": "jurgen", "email": email, "password": STRONG_PASSWORD}
    status, answer, _ = http_request("POST", f"{live_server.url}/api/auth/register", body)
    assert (status, json.loads(answer)["code"]) == (400, "invalid_email")
    User.objects.create_user("jurgen", email, STRONG_PASSWORD)
    asked, used, answer = verify_over_http(live_server.url, "jurgen", mailoutbox)
    assert (asked, used, answer["email_verified"]) == (201, 200, True)


def test_sec16_a_verify_link_for_an_idn_address_dies_when_the_address_changes(api, mailoutbox):
    api.register(username="idn", email="idn@bücher.example")
    api.post("verify", token=api.token_for("idn"))
    link = link_token_from(mailoutbox[-1])
    user = User.objects.get()
    user.email = "idn@bücher.example.org"
    user.save()
    response = api.put(f"verify?a={link}")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_link")
