"""The Django admin on MongoDB: users, verification state, tokens as metadata only."""

import pytest
from django.core.management import call_command

from accounts.models import User


@pytest.fixture
def admin_client_logged_in(client, db):
    User.objects.create_superuser("root", "root@example.org", "admin-passphrase-long-enough")
    assert client.login(username="root", password="admin-passphrase-long-enough")
    return client


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


def test_admin_shows_tokens_without_any_digest(admin_client_logged_in, api, user):
    from accounts.models import AuthToken

    api.token_for()
    record = AuthToken.objects.get(user=user)
    page = admin_client_logged_in.get(
        f"/admin/accounts/authtoken/{record.pk}/change/"
    ).content.decode()
    listing = admin_client_logged_in.get("/admin/accounts/authtoken/").content.decode()
    assert record.digest not in page and record.digest not in listing
    assert admin_client_logged_in.get("/admin/accounts/authtoken/add/").status_code == 403


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
