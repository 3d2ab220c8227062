"""POST /api/auth/register."""

import pytest

from accounts.models import LinkToken, User
from tests.conftest import STRONG_PASSWORD, link_token_from


def test_register_creates_the_user_and_answers_201_with_it(api):
    response = api.register()
    assert response.status_code == 201
    body = response.json()
    # The keys the contract names; a project adds its own profile fields beside them.
    expected = {
        "username": "alice",
        "email": "alice@example.org",
        "email_verified": False,
        "email_verified_at": None,
        "mfa_enabled": False,
        "mfa_methods": [],
    }
    assert {key: body[key] for key in expected} == expected and body["id"]
    assert response["Cache-Control"] == "no-store"
    user = User.objects.get(pk=body["id"])
    assert user.check_password(STRONG_PASSWORD)


def test_sec01_password_is_stored_as_bcrypt_sha256_not_plaintext(api):
    api.register()
    stored = User.objects.get(username="alice").password
    assert stored.startswith("bcrypt_sha256$")
    assert STRONG_PASSWORD not in stored


@pytest.mark.parametrize("path", ["register", "register/"])
def test_register_answers_with_and_without_trailing_slash(api, path):
    response = api.post(
        path, {"username": "bob", "email": "bob@example.org", "password": STRONG_PASSWORD}
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    "variant",
    ["alice", "Alice", "ALICE", "ａｌｉｃｅ"],
    ids=["same", "capital", "upper", "fullwidth"],
)
def test_sec29_lookalike_usernames_are_one_account(api, variant):
    assert api.register().status_code == 201
    response = api.register(username=variant, email="other@example.org")
    assert response.status_code == 400
    assert response.json()["code"] == "username_taken"
    assert User.objects.count() == 1


def test_sec29_email_is_one_account_whatever_its_case(api):
    api.register()
    response = api.register(username="bob", email="ALICE@Example.ORG")
    assert (response.status_code, response.json()["code"]) == (400, "email_taken")


def test_sec25_registration_says_a_name_is_taken(api):
    api.register()
    response = api.register(email="new@example.org")
    assert response.json() == {"error": "That username is already taken.", "code": "username_taken"}


@pytest.mark.parametrize(
    "username",
    ["ali ce", "alice!", "<script>", "a" * 151, "al/ice"],
    ids=["space", "bang", "markup", "too-long", "slash"],
)
def test_sec29_usernames_outside_the_allowlist_are_refused(api, username):
    response = api.register(username=username)
    assert response.status_code == 400
    assert response.json()["code"] in {"invalid_username", "invalid_field"}
    assert not User.objects.exists()


@pytest.mark.parametrize("email", ["not-an-email", "a@", "@b.org", "a@b@c.org"])
def test_malformed_email_is_refused(api, email):
    response = api.register(email=email)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_email")


@pytest.mark.parametrize("missing", ["username", "email", "password"])
def test_missing_field_is_a_400_naming_it(api, missing):
    body = {"username": "alice", "email": "alice@example.org", "password": STRONG_PASSWORD}
    del body[missing]
    response = api.post("register", body)
    assert response.status_code == 400
    assert missing in response.json()["error"]


@pytest.mark.parametrize(
    "value", [{"$ne": None}, ["alice"], 12, True], ids=["operator", "array", "number", "bool"]
)
def test_sec30_non_string_fields_never_reach_a_query(api, value):
    response = api.post(
        "register", {"username": value, "email": "a@example.org", "password": STRONG_PASSWORD}
    )
    assert (response.status_code, response.json()["code"]) == (400, "invalid_field")
    assert not User.objects.exists()


def test_register_never_echoes_the_password(api):
    response = api.register()
    assert STRONG_PASSWORD not in response.content.decode()


# --- Registration sends the verification email itself (AUTH_REGISTER_SENDS_VERIFICATION) ---
def test_register_mails_the_verification_link_by_default(api, mailoutbox, settings):
    assert api.register().status_code == 201
    (message,) = mailoutbox
    assert message.to == ["alice@example.org"]
    assert f"{settings.FRONTEND_URL}/verify?a=" in message.body
    assert api.put(f"verify?a={link_token_from(message)}").status_code == 200
    assert User.objects.get(username="alice").email_verified


def test_register_leaves_the_mail_to_post_verify_when_the_setting_is_off(api, mailoutbox, settings):
    settings.AUTH_REGISTER_SENDS_VERIFICATION = False
    assert api.register().status_code == 201
    assert mailoutbox == []
    token = api.token_for()
    assert api.post("verify", token=token).status_code == 201  # the seed's flow
    assert len(mailoutbox) == 1


def test_a_throttled_verification_mail_does_not_undo_the_sign_up(api, mailoutbox, settings):
    settings.AUTH_THROTTLE_RATES = {"email_ip": "0/3600"}
    assert api.register().status_code == 201
    assert mailoutbox == [] and User.objects.filter(username="alice").exists()


def test_sec44_registration_answers_201_when_mail_is_down(api, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    assert api.register().status_code == 201
    assert not LinkToken.objects.exists()


def test_the_seed_register_method_sends_nothing(db, mailoutbox):
    User(username="alice", email="alice@example.org", password=STRONG_PASSWORD).register()
    assert mailoutbox == []


def test_password_errors_are_also_a_list_per_field(api):
    response = api.register(username="alice", password="password")
    body = response.json()
    assert (response.status_code, body["code"]) == (400, "weak_password")
    assert body["error"]  # the one-line message stays
    (messages,) = body["errors"].values()
    assert list(body["errors"]) == ["password"]
    assert len(messages) >= 2 and all(isinstance(m, str) for m in messages)
    assert " ".join(messages) == body["error"]
