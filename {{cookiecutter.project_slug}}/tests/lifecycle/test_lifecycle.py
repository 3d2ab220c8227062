"""PATCH and DELETE /api/auth/me: renaming and deleting an account (accounts.lifecycle)."""

import logging

import pytest

from accounts import store
from accounts.errors import InvalidInput
from accounts.lifecycle import flows as lifecycle
from accounts.models import LinkToken, User
from tests.conftest import OTHER_PASSWORD, STRONG_PASSWORD, kinds


def events(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "accounts.security"]


# --- PATCH me -------------------------------------------------------------------------
def test_patch_me_renames_the_account(api, user, reauthed):
    response = api.patch("me", {"username": "alicia"}, token=reauthed)
    assert response.status_code == 200
    assert response.json()["username"] == "alicia"
    assert api.get("me", token=reauthed).json()["username"] == "alicia"
    assert api.login("alicia").status_code == 200
    assert api.login("alice").status_code == 400


def test_patch_me_answers_with_and_without_trailing_slash(api, user, reauthed):
    assert api.patch("me/", {"username": "alicia"}, token=reauthed).status_code == 200


def test_patch_me_needs_a_token(api, user):
    response = api.patch("me", {"username": "mallory"})
    assert response.status_code == 401
    assert User.objects.get(pk=user.pk).username == "alice"


def test_sec29_patch_me_refuses_a_lookalike_of_another_accounts_name(api, user, reauthed):
    User.objects.create_user("bob", "bob@example.org", OTHER_PASSWORD)
    response = api.patch("me", {"username": "ＢＯＢ"}, token=reauthed)
    assert response.status_code == 400
    assert response.json() == {"error": "That username is already taken.", "code": "username_taken"}
    assert User.objects.get(pk=user.pk).username == "alice"


@pytest.mark.parametrize("lookalike", ["bоb", "B0B", "ｂｏｂ"])  # Cyrillic о, digit 0, fullwidth
def test_sec29_patch_me_refuses_a_name_that_looks_like_another_accounts(
    api, user, reauthed, lookalike
):
    User.objects.create_user("bob", "bob@example.org", OTHER_PASSWORD)
    response = api.patch("me", {"username": lookalike}, token=reauthed)
    assert (response.status_code, response.json()["code"]) == (400, "username_taken")
    assert User.objects.get(pk=user.pk).username == "alice"


def test_patch_me_may_change_the_case_of_its_own_name(api, user, reauthed):
    response = api.patch("me", {"username": "Alice"}, token=reauthed)
    assert (response.status_code, response.json()["username"]) == (200, "Alice")
    assert User.objects.get(pk=user.pk).username_key == "alice"


@pytest.mark.parametrize("username", ["al ice", "alice!", "a" * 151, "<script>"])
def test_patch_me_applies_registrations_rules_to_the_name(api, user, reauthed, username):
    response = api.patch("me", {"username": username}, token=reauthed)
    body = response.json()
    assert (response.status_code, body["code"]) == (400, "invalid_username")
    assert list(body["errors"]) == ["username"]
    assert User.objects.get(pk=user.pk).username == "alice"


@pytest.mark.parametrize("field", ["email", "id", "email_verified", "password"])
def test_patch_me_names_a_read_only_field_instead_of_ignoring_it(api, user, token, field):
    response = api.patch("me", {"username": "alicia", field: "x"}, token=token)
    body = response.json()
    assert (response.status_code, body["code"]) == (400, "read_only_field")
    assert f"'{field}'" in body["error"] and list(body["errors"]) == [field]
    assert User.objects.get(pk=user.pk).username == "alice"  # nothing applied


def test_patch_me_names_unknown_fields(api, user, token):
    response = api.patch("me", {"username": "alicia", "nickname": "al", "age": 3}, token=token)
    body = response.json()
    assert (response.status_code, body["code"]) == (400, "unknown_field")
    assert "'nickname'" in body["error"] and set(body["errors"]) == {"age", "nickname"}


def test_patch_me_echoes_a_bounded_amount_of_what_was_sent(api, user, token):
    body = {f"{i:03d}" + "x" * 500: 1 for i in range(100)}  # under the 64 KiB cap
    response = api.patch("me", body, token=token)
    errors = response.json()["errors"]
    assert response.status_code == 400
    assert len(errors) == 20 and all(len(name) == 64 for name in errors)
    assert len(response.content) < 4000


@pytest.mark.parametrize("body", [{}, {"current_password": STRONG_PASSWORD}])
def test_patch_me_without_a_field_to_change_is_a_400_naming_them(api, user, token, body):
    response = api.patch("me", body, token=token)
    assert (response.status_code, response.json()["code"]) == (400, "no_fields")
    assert "'username'" in response.json()["error"]


@pytest.mark.parametrize("value", [None, ""])
def test_patch_me_with_an_empty_name_is_a_400_naming_it(api, user, token, value):
    response = api.patch("me", {"username": value}, token=token)
    assert (response.status_code, response.json()["code"]) == (400, "missing_field")
    assert "'username'" in response.json()["error"]
    assert User.objects.get(pk=user.pk).username == "alice"


def test_patch_me_judges_the_name_before_asking_who_this_is(api, user, token):
    body = {"username": "al ice", "current_password": "not-the-password-at-all"}
    response = api.patch("me", body, token=token)  # the password is not even checked
    assert (response.status_code, response.json()["code"]) == (400, "invalid_username")


@pytest.mark.parametrize("value", [{"$ne": None}, ["alice"], 7, True])
def test_sec30_patch_me_type_checks_the_name(api, user, token, value):
    response = api.patch("me", {"username": value}, token=token)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_field")


def test_change_username_is_a_plain_function(user):
    lifecycle.change_username(user, "alicia")
    assert User.objects.get(pk=user.pk).username == "alicia"


def test_update_profile_is_a_plain_function_that_checks_what_it_is_given(user):
    assert lifecycle.update_profile(user, {"username": "alicia"}).username == "alicia"
    refusals = [({"is_staff": True}, "unknown_field"), ({"username": 7}, "invalid_field")]
    for changes, code in refusals:
        with pytest.raises(InvalidInput) as refused:
            lifecycle.update_profile(user, changes)
        assert refused.value.code == code
    stored = User.objects.get(pk=user.pk)
    assert (stored.username, stored.is_staff) == ("alicia", False)


def test_patch_me_with_the_same_name_writes_and_mails_nothing(api, user, reauthed, mailoutbox):
    response = api.patch("me", {"username": "alice"}, token=reauthed)
    assert (response.status_code, response.json()["username"]) == (200, "alice")
    assert mailoutbox == []


# --- DELETE me -------------------------------------------------------------------------
def test_delete_me_deletes_the_account_its_sessions_and_links(api, user, token, mailoutbox):
    other_device = api.token_for()
    api.post("verify", token=token)
    api.post("reset", {"email": "alice@example.org"})
    assert LinkToken.objects.filter(user=user).count() == 2
    pk = user.pk

    response = api.delete("me", {"current_password": STRONG_PASSWORD}, token=token)

    assert (response.status_code, response.content) == (204, b"")
    assert not User.objects.filter(pk=pk).exists()
    assert store.collection(User).count_documents({}) == 0  # sessions lived in it
    assert not LinkToken.objects.filter(user_id=pk).exists()
    for each in (token, other_device):
        assert api.get("me", token=each).status_code == 401
    assert api.login().json()["code"] == "invalid_credentials"
    assert api.login("alice@example.org").json()["code"] == "invalid_credentials"
    notice = mailoutbox[-1]
    assert notice.to == ["alice@example.org"] and kinds([notice]) == ["account_deleted"]
    assert "?a=" not in notice.body


def test_delete_me_with_mfa_on_also_ends_pending_mfa_logins(api, mfa_user, clock):
    from accounts.models import MfaChallenge

    challenge = api.login().json()
    assert challenge["mfa_required"] and MfaChallenge.objects.exists()
    assert (
        api.delete("me", {"current_password": STRONG_PASSWORD}, token=mfa_user.token).status_code
        == 204
    )
    assert not MfaChallenge.objects.exists()
    body = {"mfa_token": challenge["mfa_token"], "recovery_code": mfa_user.recovery_codes[0]}
    assert api.post("login/mfa", body).json()["code"] == "invalid_mfa_token"


def test_a_deleted_accounts_name_and_address_can_be_registered_again(api, user, token):
    api.delete("me", {"current_password": STRONG_PASSWORD}, token=token)
    assert api.register().status_code == 201
    assert api.login().status_code == 200


def test_delete_me_logs_an_event(api, user, token, caplog):
    caplog.set_level(logging.INFO)
    api.delete("me", {"current_password": STRONG_PASSWORD}, token=token)
    (line,) = [e for e in events(caplog) if e.startswith("event=account_deleted")]
    assert f"user={user.pk}" in line and "by=user" in line


def test_sec47_delete_me_with_a_wrong_password_is_refused(api, user, token, mailoutbox):
    response = api.delete("me", {"current_password": OTHER_PASSWORD}, token=token)
    assert response.status_code == 400
    assert response.json() == {
        "error": "Current password is incorrect.",
        "code": "invalid_credentials",
    }
    assert User.objects.filter(pk=user.pk).exists()
    assert api.get("me", token=token).status_code == 200
    assert mailoutbox == []


def test_sec47_wrong_passwords_on_delete_count_as_failed_logins(api, user, token, settings):
    settings.AUTH_THROTTLE_RATES = {"login_account": "2/900"}
    for _ in range(2):
        api.delete("me", {"current_password": OTHER_PASSWORD}, token=token)
    # The account is now throttled for logins, and for deletion even with the right password.
    assert api.login().status_code == 429
    response = api.delete("me", {"current_password": STRONG_PASSWORD}, token=token)
    assert (response.status_code, response.json()["code"]) == (429, "throttled")
    assert "Retry-After" in response
    assert User.objects.filter(pk=user.pk).exists()


def test_sec47_failed_logins_throttle_deletion(api, user, token, settings):
    settings.AUTH_THROTTLE_RATES = {"login_account": "2/900"}
    for _ in range(2):
        api.login(password=OTHER_PASSWORD)
    response = api.delete("me", {"current_password": STRONG_PASSWORD}, token=token)
    assert response.status_code == 429


def test_sec55_delete_me_needs_the_current_password_or_a_reauthentication(api, user, token):
    response = api.delete("me", token=token)
    assert response.status_code == 403
    assert response.json()["code"] == "reauthentication_required"
    assert response.json()["methods"] == ["password"]
    assert User.objects.filter(pk=user.pk).exists()
    api.reauthenticate(token)
    assert api.delete("me", token=token).status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()


def test_delete_me_needs_a_token(api, user):
    response = api.delete("me", {"current_password": STRONG_PASSWORD})
    assert response.status_code == 401
    assert User.objects.filter(pk=user.pk).exists()


def test_sec30_delete_me_type_checks_the_password(api, user, token):
    response = api.delete("me", {"current_password": {"$ne": None}}, token=token)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_field")


def test_delete_me_with_an_over_long_password_is_a_plain_wrong_password(api, user, token):
    response = api.delete("me", {"current_password": "x" * 5000}, token=token)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_credentials")


# --- The admin does what the API does ---------------------------------------------
def test_admin_delete_removes_sessions_and_links_and_tells_the_user(
    admin_client_logged_in, api, user, token, mailoutbox, caplog
):
    caplog.set_level(logging.INFO)
    api.post("verify", token=token)
    pk = user.pk
    response = admin_client_logged_in.post(f"/admin/accounts/user/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=pk).exists()
    assert not LinkToken.objects.filter(user_id=pk).exists()
    assert api.get("me", token=token).status_code == 401
    assert mailoutbox[-1].to == ["alice@example.org"]
    assert kinds(mailoutbox)[-1] == "account_deleted"
    assert any("event=account_deleted" in e and "by=admin" in e for e in events(caplog))


def test_admin_bulk_delete_does_the_same_for_each(admin_client_logged_in, api, user, mailoutbox):
    bob = User.objects.create_user("bob", "bob@example.org", OTHER_PASSWORD)
    tokens = [api.token_for(), api.token_for("bob", OTHER_PASSWORD)]
    response = admin_client_logged_in.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [user.pk, bob.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk__in=[user.pk, bob.pk]).exists()
    assert all(api.get("me", token=t).status_code == 401 for t in tokens)
    assert sorted(m.to[0] for m in mailoutbox) == ["alice@example.org", "bob@example.org"]
