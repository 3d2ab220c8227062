"""What a provider account does to accounts: create, never take over, link, unlink (SEC-62).

ID tokens come from the real provider (``tests/oidc_provider.py``); its users are ``ada``
(verified address), ``grace`` (unverified) and ``alan``, whose provider claims the verified
address ``alice@example.org`` that the ``user`` fixture's alice has here.
"""

import threading
import urllib.parse

import pytest
from django.test import Client

from accounts import documents
from accounts.models import SocialTicket, User
from accounts.social import identities
from accounts.social.profiles import Profile
from tests.conftest import STRONG_PASSWORD, Api, kinds, link_token_from
from tests.social.conftest import callback_path, fragment

pytestmark = pytest.mark.django_db


def sign_in(api, id_token):
    return api.post("social/oidc/token", {"id_token": id_token})


def social_token(api, provider_browser, login="ada") -> str:
    response = sign_in(api, provider_browser.id_token(login=login))
    assert response.status_code == 200, response.content
    return response.json()["token"]


def link_to(user, subject="ada", provider="oidc"):
    identities.add(user, identities.new_identity(Profile(provider, subject, f"{subject}@x.org")))


# --- Accounts made by a provider ------------------------------------------------------
def test_sec62_an_existing_address_is_never_linked_by_the_address_alone(
    api, social, provider_browser, user, mailoutbox
):
    response = sign_in(api, provider_browser.id_token(login="alan"))
    assert (response.status_code, response.json()["code"]) == (409, "account_exists")
    assert User.objects.count() == 1
    assert User.objects.get(pk=user.pk).social_identities == []
    assert mailoutbox == []


def test_sec62_the_opt_in_links_by_an_address_both_sides_verified(
    api, settings, social, provider_browser, user, mailoutbox
):
    settings.AUTH_SOCIAL_LINK_BY_VERIFIED_EMAIL = True
    id_token = provider_browser.id_token(login="alan")
    # alice never verified her address: someone may have registered with another's address.
    assert sign_in(api, id_token).json()["code"] == "account_exists"
    User.objects.filter(pk=user.pk).update(email_verified=True)
    response = sign_in(api, provider_browser.id_token(login="alan"))
    assert response.status_code == 200
    assert api.get("me", token=response.json()["token"]).json()["username"] == "alice"
    assert [i["subject"] for i in User.objects.get(pk=user.pk).social_identities] == ["alan"]
    assert kinds(mailoutbox)[-1] == "social_linked"


def test_an_unverified_provider_address_makes_an_unverified_account_and_mails_the_link(
    api, social, provider_browser, mailoutbox
):
    social_token(api, provider_browser, login="grace")
    user = User.objects.get(email="grace@example.org")
    assert not user.email_verified and user.username == "grace"
    assert link_token_from(mailoutbox[0])  # the usual verification link


def test_a_new_account_gets_a_free_name_under_the_look_alike_rules(api, social, provider_browser):
    User.objects.create_user("аda", "other@example.org", STRONG_PASSWORD)  # Cyrillic а
    social_token(api, provider_browser)
    assert User.objects.get(email="ada@example.org").username == "Ada_Lovelace"  # her name
    User.objects.filter(email="ada@example.org").delete()
    User.objects.create_user("ada_lovelace", "more@example.org", STRONG_PASSWORD)
    social_token(api, provider_browser)
    made = User.objects.get(email="ada@example.org").username
    assert made.startswith("ada-") and made[4:].isdigit()


def test_sec62_racing_first_sign_ins_make_one_account(api, social, provider_browser, client):
    """Both requests miss the identity, both make an account; the unique index keeps one."""
    tokens = [provider_browser.id_token() for _ in range(4)]
    answers = []

    def attempt(id_token):
        from django.test import Client

        answers.append(
            Client()
            .post(
                "/api/auth/social/oidc/token",
                {"id_token": id_token},
                content_type="application/json",
            )
            .status_code
        )

    threads = [threading.Thread(target=attempt, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * 4
    assert User.objects.count() == 1
    assert len(User.objects.get().social_identities) == 1


def test_a_social_login_is_one_indexed_read_of_the_users(
    api, social, provider_browser, server_commands
):
    social_token(api, provider_browser)
    id_token = provider_browser.id_token()
    with server_commands() as commands:
        assert sign_in(api, id_token).status_code == 200
    users = [
        c
        for name, c in commands
        if name in ("find", "aggregate") and c.get(name) == "accounts_user"
    ]
    assert users[0]["filter"] == {"social_identities.key": "oidc\x00ada"}
    assert users[0].get("limit") == 1


def test_sec62_a_social_account_sets_a_password_through_post_reset(
    api, social, provider_browser, mailoutbox
):
    social_token(api, provider_browser)
    assert api.post("reset", {"email": "ada@example.org"}).status_code == 200
    link = link_token_from(mailoutbox[-1])
    assert api.put("reset", {"a": link, "new_password": STRONG_PASSWORD}).status_code == 200
    assert api.login("ada", STRONG_PASSWORD).status_code == 200
    assert social_token(api, provider_browser)  # the provider still signs in too


# --- Re-authentication by the provider ----------------------------------------------------
def test_sec55_an_account_without_a_password_re_authenticates_at_its_provider(
    api, social, provider_browser
):
    token = social_token(api, provider_browser)
    refused = api.delete("me", token=token)
    assert refused.status_code == 403 and refused.json()["methods"] == ["social"]
    proof = {"id_token": provider_browser.id_token()}
    answer = api.post("social/oidc/reauthenticate", proof, token=token)
    assert answer.status_code == 200 and "reauthenticated_until" in answer.json()
    assert api.delete("me", token=token).status_code == 204


def test_sec55_an_old_or_foreign_provider_sign_in_does_not_re_authenticate(
    api, social, provider_browser, clock
):
    token = social_token(api, provider_browser)
    stale = provider_browser.id_token()
    clock.advance(seconds=400)  # past AUTH_REAUTH_SECONDS (300) since that sign-in
    late = api.post("social/oidc/reauthenticate", {"id_token": stale}, token=token)
    assert (late.status_code, late.json()["code"]) == (400, "invalid_id_token")
    foreign = provider_browser.id_token(login="grace")  # not linked to this account
    clock.advance(seconds=-400)
    other = api.post("social/oidc/reauthenticate", {"id_token": foreign}, token=token)
    assert (other.status_code, other.json()["code"]) == (400, "invalid_credentials")
    assert api.delete("me", token=token).status_code == 403


def test_sec55_re_authentication_by_the_redirect_flow_stamps_the_session_that_asked(
    api, social, provider_browser
):
    token = social_token(api, provider_browser)
    asked = api.post("social/oidc/reauthenticate", token=token).json()["authorization_url"]
    started = api.client.get(
        urllib.parse.urlsplit(asked).path + "?" + urllib.parse.urlsplit(asked).query
    )
    assert "max_age=300" in started["Location"]
    back = provider_browser.authorize(started["Location"])
    code = fragment(api.client.get(callback_path(back)))["code"]
    other_session = social_token(api, provider_browser)
    assert api.post("social/exchange", {"code": code}, token=other_session).status_code == 400
    assert api.post("social/exchange", {"code": code}).status_code == 400  # nor without one
    done = api.post("social/exchange", {"code": code}, token=token)
    assert done.status_code == 200 and "reauthenticated_until" in done.json()
    assert api.delete("me", token=token).status_code == 204


# --- Linking and unlinking ---------------------------------------------------------------
def test_sec55_linking_needs_a_re_authenticated_session(api, social, provider_browser, token):
    response = api.post("social/oidc/link", {"id_token": provider_browser.id_token()}, token=token)
    assert response.status_code == 403 and response.json()["methods"] == ["password"]
    assert User.objects.get(username="alice").social_identities == []


def test_linking_with_an_id_token_adds_the_identity_and_mails_it(
    api, social, provider_browser, reauthed, mailoutbox
):
    body = {"id_token": provider_browser.id_token(login="grace")}
    response = api.post("social/oidc/link", body, token=reauthed)
    assert response.status_code == 201
    assert set(response.json()) == {"id", "provider", "email", "linked_at"}
    assert api.post("social/oidc/link", body, token=reauthed).status_code == 200  # already
    listed = api.get("social/identities", token=reauthed).json()["identities"]
    assert [i["id"] for i in listed] == [response.json()["id"]]
    assert mailoutbox[-1].to == ["alice@example.org"]
    # Now grace's provider account signs in to alice's account.
    assert sign_in(api, provider_browser.id_token(login="grace")).status_code == 200


def test_sec62_a_provider_account_linked_elsewhere_cannot_be_linked_again(
    api, social, provider_browser, reauthed
):
    social_token(api, provider_browser)  # ada's own account holds it
    body = {"id_token": provider_browser.id_token()}
    response = api.post("social/oidc/link", body, token=reauthed)
    assert (response.status_code, response.json()["code"]) == (409, "account_exists")


def test_linking_by_the_redirect_flow_applies_only_for_the_session_that_asked(
    api, social, provider_browser, reauthed
):
    asked = api.post("social/oidc/link", token=reauthed).json()["authorization_url"]
    path = urllib.parse.urlsplit(asked)
    started = api.client.get(f"{path.path}?{path.query}")
    back = provider_browser.authorize(started["Location"], login="grace")
    code = fragment(api.client.get(callback_path(back)))["code"]
    assert api.post("social/exchange", {"code": code}).status_code == 400  # no session
    linked = api.post("social/exchange", {"code": code}, token=reauthed)
    assert linked.status_code == 201 and linked.json()["provider"] == "oidc"
    assert SocialTicket.objects.count() == 0


def redirect_code(api, provider_browser, url: str, login: str) -> str:
    """Go from an API start URL through the provider and the callback; return the code."""
    path = urllib.parse.urlsplit(url)
    started = api.client.get(f"{path.path}?{path.query}")
    back = provider_browser.authorize(started["Location"], login=login)
    return fragment(api.client.get(callback_path(back)))["code"]


def test_a_browser_session_is_the_session_that_asked_by_its_cookie(social, provider_browser, user):
    # The reference front end's way: no token, the cookie and its CSRF header.
    browser = Api(Client(enforce_csrf_checks=True))
    login = browser.login(HTTP_X_AUTH_CLIENT="browser")
    csrf = {"HTTP_X_CSRFTOKEN": login["X-CSRFToken"]}
    body = {"current_password": STRONG_PASSWORD}
    asked = browser.post("social/oidc/link", body, **csrf).json()["authorization_url"]
    code = redirect_code(browser, provider_browser, asked, login="grace")
    refused = browser.post("social/exchange", {"code": code})
    assert refused.json()["code"] == "csrf_failed"  # a cookie without its header is no session
    linked = browser.post("social/exchange", {"code": code}, **csrf)
    assert linked.status_code == 201 and linked.json()["provider"] == "oidc"


def test_the_cookie_of_an_ended_session_does_not_stop_a_sign_in(
    api, social, provider_browser, user
):
    browser = Api(Client(enforce_csrf_checks=True))
    csrf = {"HTTP_X_CSRFTOKEN": browser.login(HTTP_X_AUTH_CLIENT="browser")["X-CSRFToken"]}
    api.post("logout-all", token=api.token_for())  # alice's cookie now names an ended session
    start = browser.get("social/oidc/start")["Location"]
    code = fragment(browser.client.get(callback_path(provider_browser.authorize(start))))["code"]
    signed_in = browser.post(
        "social/exchange", {"code": code}, HTTP_X_AUTH_CLIENT="browser", **csrf
    )
    assert signed_in.status_code == 200 and "token" not in signed_in.json()
    assert browser.get("me").json()["username"] == "ada"  # the new cookie


def test_a_start_ticket_works_once(api, social, reauthed):
    asked = api.post("social/oidc/link", token=reauthed).json()["authorization_url"]
    path = urllib.parse.urlsplit(asked)
    assert api.client.get(f"{path.path}?{path.query}").status_code == 302
    again = api.client.get(f"{path.path}?{path.query}")
    assert fragment(again) == {"error": "invalid_state"}


def test_sec55_unlinking_needs_a_re_authenticated_session(api, social, user, token):
    link_to(user)
    [identity] = User.objects.get(pk=user.pk).social_identities
    response = api.delete(f"social/identities/{identity['id']}", token=token)
    assert response.status_code == 403
    assert response.json()["methods"] == ["password", "social"]


def test_unlinking_removes_the_identity_and_mails_it(api, social, user, reauthed, mailoutbox):
    link_to(user)
    [identity] = User.objects.get(pk=user.pk).social_identities
    assert api.delete(f"social/identities/{identity['id']}", token=reauthed).status_code == 204
    assert User.objects.get(pk=user.pk).social_identities == []
    assert kinds(mailoutbox)[-1] == "social_unlinked"


def test_the_last_way_in_cannot_be_unlinked(api, social, provider_browser):
    token = social_token(api, provider_browser)
    api.post("social/oidc/reauthenticate", {"id_token": provider_browser.id_token()}, token=token)
    [identity] = api.get("social/identities", token=token).json()["identities"]
    response = api.delete(f"social/identities/{identity['id']}", token=token)
    assert (response.status_code, response.json()["code"]) == (400, "last_login_method")
    user = User.objects.get(username="ada")
    link_to(user, subject="ada-second-account")
    assert api.delete(f"social/identities/{identity['id']}", token=token).status_code == 204


def test_sec49_another_accounts_identity_is_a_404(api, social, user, reauthed):
    other = User.objects.create_user("bob", "bob@example.org", STRONG_PASSWORD)
    link_to(other, subject="bob")
    [identity] = User.objects.get(pk=other.pk).social_identities
    response = api.delete(f"social/identities/{identity['id']}", token=reauthed)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert len(User.objects.get(pk=other.pk).social_identities) == 1


def test_the_unique_index_refuses_one_provider_account_on_two_accounts(db, user):
    other = User.objects.create_user("bob", "bob@example.org", STRONG_PASSWORD)
    link_to(user)
    from accounts.social.errors import AccountExists

    with pytest.raises(AccountExists):
        link_to(other)
    # Accounts with no identity (an empty or missing array) do not collide on the index.
    assert documents.read_array(User, other.pk, "social_identities") == []
