"""Password rules: bcrypt-SHA256, length 15..1024, no composition rules, common/context."""

import pytest

from accounts.models import User
from tests.conftest import STRONG_PASSWORD


def register(api, password, username="alice", email="alice@example.org"):
    return api.register(username=username, email=email, password=password)


def test_sec02_passwords_equal_in_their_first_72_bytes_are_different(api):
    prefix = "correct-staple-" * 5  # 75 bytes
    assert register(api, prefix + "one").status_code == 201
    assert api.login(password=prefix + "one").status_code == 200
    assert api.login(password=prefix + "two").status_code == 400


def test_sec02_a_76_byte_emoji_password_registers_and_logs_in(api):
    password = "🦊🌲🛶🏔️" * 4 + "🌙🔭"  # multibyte, over 72 bytes
    assert len(password.encode()) > 72
    assert register(api, password).status_code == 201
    assert api.login(password=password).status_code == 200


def test_sec03_fourteen_characters_is_too_short_fifteen_is_enough(api):
    response = register(api, "plum-tiger-wax")  # 14
    assert (response.status_code, response.json()["code"]) == (400, "weak_password")
    assert "at least 15" in response.json()["error"]
    assert register(api, "plum-tiger-wax9").status_code == 201


def test_sec03_sixty_four_characters_are_allowed(api):
    password = "harbor lantern velvet orbit " * 2 + "quartz!!"
    assert len(password) == 64
    assert register(api, password).status_code == 201


def test_sec03_over_1024_characters_is_refused_before_hashing(api, hash_calls):
    response = register(api, "x9" * 513)
    assert (response.status_code, response.json()["code"]) == (400, "password_too_long")
    assert hash_calls == [] and not User.objects.exists()
    assert api.login(password="x9" * 513).status_code == 400
    assert hash_calls == []


def test_sec04_no_composition_rules_any_unicode_and_no_normalisation(api):
    password = "ｆｕｌｌｗｉｄｔｈ ｂｏａｔｓ ｓａｉｌ"  # letters only, fullwidth, spaces
    assert register(api, password).status_code == 201
    # Verified exactly as received: the NFKC form is a different password.
    assert api.login(password="fullwidth boats sail").status_code == 400
    assert api.login(password=password).status_code == 200


@pytest.mark.parametrize(
    "password",
    [
        "passwordpassword",
        "password123456789",
        "123456789012345",
        "qwertyuiopasdfgh",
        "aaaaaaaaaaaaaaaa",
        "iloveyouforever!",
        "P@ssw0rdP@ssw0rd",
        "correcthorsebatterystaple",
        "monkey1234567890",
    ],
)
def test_sec05_common_passwords_are_refused_even_at_length(api, password):
    response = register(api, password)
    assert response.status_code == 400, password
    assert "too common" in response.json()["error"]


# A common word padded, repeated and leet-spelled, in each order and combination (the docs'
# promise); one pass of each layer let the first row through.
STRETCHED = [
    "passwordpassword123",  # repeated, then padded
    "123passwordpassword",  # padded in front
    "password123password123",  # padded, then repeated
    "Password123!Password123!",
    "p4ssw0rdp4ssw0rd2024",  # leet, repeated, padded
    "!!p4ssw0rd!!p4ssw0rd!!",
    "iloveyouiloveyou1",
    "dragon2024dragon2024",
    "DRAGON-dragon-DRAGON-1",
    "m0nk3y m0nk3y m0nk3y",
    "sunshine_sunshine_99",
    "2024letmeinletmein",
]


@pytest.mark.parametrize("password", STRETCHED)
def test_sec05_a_common_word_padded_repeated_or_leet_spelled_in_any_order_is_refused(api, password):
    response = register(api, password)
    assert (response.status_code, response.json()["code"]) == (400, "weak_password"), password
    assert "too common" in response.json()["error"]


@pytest.mark.parametrize(
    "password",
    ["velvet-orbit-harbor-lantern", "dragonfly meadow copper", "s3cure-but-unique-words-42"],
)
def test_sec05_a_long_password_built_of_uncommon_words_passes(api, password):
    assert register(api, password).status_code == 201, password


@pytest.mark.parametrize(
    ("password", "username", "email"),
    [
        ("alice-alice-alice-1", "alice", "alice@example.org"),
        ("zebracrossing-2024", "zebracrossing", "z@example.org"),
        ("hello.there.x@example.org", "alice", "hello.there.x@example.org"),
        ("My Auth API 2026 !!", "alice", "alice@example.org"),
    ],
    ids=["username", "username-padded", "email", "site-name"],
)
def test_sec05_context_passwords_are_refused(api, settings, password, username, email):
    settings.SITE_NAME = "My Auth API"
    response = register(api, password, username=username, email=email)
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "weak_password"


def test_sec05_a_long_passphrase_that_merely_mentions_the_name_is_fine(api):
    assert register(api, "alice rides the purple tram at dawn").status_code == 201


def test_the_minimum_length_is_a_setting(api, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 20},
        },
    ]
    assert register(api, STRONG_PASSWORD[:19]).status_code == 400
    assert register(api, STRONG_PASSWORD).status_code == 201
