"""The Django admin on MongoDB: users, verification state, tokens as metadata only."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from tests.conftest import ADMIN_PASSWORD, OTHER_PASSWORD, STRONG_PASSWORD


def test_createsuperuser_works_on_mongodb(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-admin-passphrase")
    call_command("createsuperuser", "--noinput", username="boss", email="boss@example.org")
    boss = User.objects.get(username="boss")
    assert boss.is_superuser and boss.is_staff and boss.check_password("a-long-admin-passphrase")


def test_admin_lists_and_searches_users_with_verification_state(admin_client_logged_in, user):
    response = admin_client_logged_in.get("/admin/accounts/user/", {"q": "alice"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "alice@example.org" in html and "Email verified" in html


def test_admin_user_page_opens(admin_client_logged_in, user):
    assert admin_client_logged_in.get(f"/admin/accounts/user/{user.pk}/change/").status_code == 200


def test_admin_shows_an_accounts_sessions_without_any_digest(admin_client_logged_in, api, user):
    from accounts import documents

    api.token_for(), api.token_for()
    stored = documents.read_sessions(User, user.pk)
    page = admin_client_logged_in.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    assert "Live sessions" in page
    for document in stored:
        assert document["id"] in page and document["digest"] not in page
    assert admin_client_logged_in.get("/admin/accounts/authtoken/").status_code == 404


def test_admin_ends_one_session_then_all(admin_client_logged_in, api, user):
    from accounts.sessions import tokens as sessions

    phone, laptop, tablet = api.token_for(), api.token_for(), api.token_for()
    page = f"/admin/accounts/user/{user.pk}/change/"
    _, phone_session = sessions.authenticate(phone)
    response = admin_client_logged_in.post(page, {"_end_session": phone_session.id})
    assert response.status_code == 302
    assert api.get("me", token=phone).status_code == 401
    assert api.get("me", token=laptop).status_code == 200
    admin_client_logged_in.post(page, {"_end_all_sessions": "1"})
    assert api.get("me", token=laptop).status_code == 401
    assert api.get("me", token=tablet).status_code == 401
    user.refresh_from_db()
    assert user.username == "alice" and user.check_password(STRONG_PASSWORD)  # form not saved


def test_admin_action_ends_every_session_of_the_selected_accounts(
    admin_client_logged_in, api, user
):
    token = api.token_for()
    response = admin_client_logged_in.post(
        "/admin/accounts/user/", {"action": "end_every_session", "_selected_action": [user.pk]}
    )
    assert response.status_code == 302
    assert api.get("me", token=token).status_code == 401


def test_a_password_set_in_the_admin_ends_every_session(admin_client_logged_in, api, user):
    token = api.token_for()
    response = admin_client_logged_in.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": OTHER_PASSWORD, "password2": OTHER_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content[:2000]
    assert api.get("me", token=token).status_code == 401


def test_admin_login_is_case_insensitive_like_the_api(client, db):
    User.objects.create_superuser("Root", "root@example.org", "admin-passphrase-long-enough")
    assert client.login(username="ROOT", password="admin-passphrase-long-enough")


def test_sec29_the_admin_refuses_a_lookalike_of_another_accounts_name(user):
    from accounts.admin import UserCreationForm

    form = UserCreationForm(
        data={
            "username": "ALICE",
            "email": "ALICE@example.org",
            "password1": "admin-passphrase-long-enough",
            "password2": "admin-passphrase-long-enough",
        }
    )
    assert not form.is_valid()
    assert set(form.errors) >= {"username", "email"}
    assert User.objects.count() == 1


def test_sec29_renaming_onto_a_lookalike_is_a_validation_error_not_a_crash(user):
    from django.core.exceptions import ValidationError

    bob = User.objects.create_user("bob", "bob@example.org", "admin-passphrase-long-enough")
    bob.username = "Ａｌｉｃｅ"
    with pytest.raises(ValidationError) as excinfo:
        bob.full_clean()
    assert "username" in excinfo.value.message_dict
    bob.username = "bobby"
    bob.full_clean()  # its own name and address are no clash


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.org", ADMIN_PASSWORD)


def admin_login(client, password, username="root", **extra):
    body = {"username": username, "password": password, "next": "/admin/"}
    return client.post("/admin/login/?next=/admin/", body, **extra)


def test_sec27_the_admin_login_is_throttled_like_the_api(client, root, settings):
    # The review: 30 wrong admin passwords in a row (200 each), then the right one worked.
    settings.AUTH_THROTTLE_RATES = {"login_account": "3/900"}
    assert [admin_login(client, "wrong-wrong-wrong").status_code for _ in range(3)] == [200] * 3
    response = admin_login(client, ADMIN_PASSWORD)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 900
    assert "Too many login attempts" in response.content.decode()
    assert client.get("/admin/").status_code == 302  # not logged in


def test_sec27_api_failures_and_admin_failures_share_one_count(api, client, root, settings):
    settings.AUTH_THROTTLE_RATES = {"login_account": "3/900"}
    for _ in range(2):
        assert api.login("root", "wrong-wrong-wrong").status_code == 400
    assert admin_login(client, "wrong-wrong-wrong").status_code == 200
    assert api.login("root", ADMIN_PASSWORD).status_code == 429


def test_sec27_the_admin_login_is_throttled_per_ip(client, root, settings):
    settings.AUTH_THROTTLE_RATES = {"login_ip": "2/900"}
    for name in ["nobody1", "nobody2"]:
        admin_login(client, "wrong-wrong-wrong", username=name, REMOTE_ADDR="203.0.113.9")
    assert admin_login(client, ADMIN_PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429
    assert admin_login(client, ADMIN_PASSWORD, REMOTE_ADDR="203.0.113.10").status_code == 302


def test_sec27_admin_logins_that_succeed_use_up_nothing(client, root, settings):
    settings.AUTH_THROTTLE_RATES = {"login_account": "2/900"}
    for _ in range(5):
        assert admin_login(client, ADMIN_PASSWORD).status_code == 302
        client.logout()


def test_sec27_authenticate_itself_is_throttled(root, settings):
    from django.contrib.auth import authenticate

    from accounts.errors import Throttled

    settings.AUTH_THROTTLE_RATES = {"login_account": "2/900"}
    assert authenticate(username="ROOT", password=ADMIN_PASSWORD) == root
    assert [authenticate(username="root", password="wrong-wrong-wrong") for _ in range(2)] == [
        None,
        None,
    ]
    with pytest.raises(Throttled):
        authenticate(username="root", password=ADMIN_PASSWORD)


@pytest.mark.parametrize("weak", ["password", "rootroot", "root-root-root-root"])
def test_sec05_createsuperuser_noinput_validates_the_password(db, monkeypatch, weak):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", weak)
    with pytest.raises(CommandError):
        call_command("createsuperuser", "--noinput", username="root", email="root@example.org")
    assert not User.objects.exists()


@pytest.mark.parametrize("field", ["email_verified", "mfa_enabled", "is_active", "is_staff"])
def test_the_user_lists_yes_no_filters_work_on_both_orms(admin_client_logged_in, field):
    """djongo answered these 500 (it cannot translate Django 3.1's ``WHERE "field"``)."""
    User.objects.create_user("bob", "bob@example.org", OTHER_PASSWORD, **{field: True})
    User.objects.create_user("carol", "carol@example.org", OTHER_PASSWORD, **{field: False})
    listed = {}
    for value in ("1", "0"):
        response = admin_client_logged_in.get(f"/admin/accounts/user/?{field}__exact={value}")
        assert response.status_code == 200
        page = response.content.decode()
        listed[value] = {name for name in ("bob", "carol") if f">{name}<" in page}
    assert listed == {"1": {"bob"}, "0": {"carol"}}
