"""Password reset: POST /api/auth/reset asks, PUT sets the new password (SEC-15..18, 21, 22, 24)."""

import pytest

from accounts import documents
from accounts.models import LinkToken, User
from tests.conftest import OTHER_PASSWORD, STRONG_PASSWORD, kinds, link_token_from


@pytest.fixture
def reset_link(api, user, mailoutbox):
    assert api.post("reset", {"email": "alice@example.org"}).status_code == 200
    return link_token_from(mailoutbox[-1])


def test_post_reset_mails_a_link_to_the_stored_address(api, user, mailoutbox, settings):
    response = api.post("reset", {"email": "ALICE@example.org"})
    assert response.status_code == 200
    (message,) = mailoutbox
    assert message.to == ["alice@example.org"]  # the stored spelling, not the typed one
    assert f"{settings.FRONTEND_URL}/reset?a=" in message.body


def test_sec24_reset_answers_the_same_whether_or_not_the_account_exists(api, user, mailoutbox):
    known = api.post("reset", {"email": "alice@example.org"})
    unknown = api.post("reset", {"email": "nobody@example.org"})
    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    assert len(mailoutbox) == 1


def test_sec24_reset_answers_the_same_when_mail_fails(api, user, settings, caplog):
    ok = api.post("reset", {"email": "nobody@example.org"})
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    failed = api.post("reset", {"email": "alice@example.org"})
    assert (failed.status_code, failed.content) == (ok.status_code, ok.content)
    assert "email_failed" in caplog.text


def test_sec18_asking_for_a_reset_changes_nothing_on_the_account(api, user, token):
    before = User.objects.get(pk=user.pk)
    api.post("reset", {"email": "alice@example.org"})
    after = User.objects.get(pk=user.pk)
    assert (after.password, after.email, after.is_active) == (
        before.password,
        before.email,
        before.is_active,
    )
    assert api.get("me", token=token).status_code == 200


def test_post_reset_with_a_token_mails_that_user(api, token, mailoutbox):
    assert api.post("reset", token=token).status_code == 200
    assert mailoutbox[-1].to == ["alice@example.org"]


def test_sec22_mail_goes_only_to_the_stored_address(api, token, mailoutbox):
    api.post("reset", {"email": "attacker@evil.example"}, token=token)
    assert [m.to for m in mailoutbox] == [["alice@example.org"]]


def test_put_reset_sets_the_new_password(api, user, reset_link):
    response = api.put(f"reset?a={reset_link}", {"new_password": OTHER_PASSWORD})
    assert response.status_code == 200
    assert api.login(password=OTHER_PASSWORD).status_code == 200
    assert api.login(password=STRONG_PASSWORD).status_code == 400


def test_sec20_put_reset_accepts_the_token_in_the_body(api, user, reset_link):
    assert api.put("reset/", {"a": reset_link, "new_password": OTHER_PASSWORD}).status_code == 200


def test_sec15_reset_revokes_every_session_and_does_not_log_in(api, user, reset_link):
    phone = api.token_for()
    response = api.put(f"reset?a={reset_link}", {"new_password": OTHER_PASSWORD})
    assert "token" not in response.json()
    assert api.get("me", token=phone).status_code == 401
    assert not documents.read_sessions(User, user.pk)


def test_sec15_reset_kills_the_other_outstanding_reset_links(api, user, mailoutbox):
    api.post("reset", {"email": "alice@example.org"})
    first = link_token_from(mailoutbox[-1])
    api.post("reset", {"email": "alice@example.org"})
    second = link_token_from(mailoutbox[-1])
    assert api.put(f"reset?a={second}", {"new_password": OTHER_PASSWORD}).status_code == 200
    response = api.put(f"reset?a={first}", {"new_password": "another-fresh-passphrase"})
    assert (response.status_code, response.json()["code"]) == (400, "invalid_link")


def test_sec16_a_reset_link_dies_when_the_password_changes_another_way(api, user, reset_link):
    user.set_password("changed-by-the-admin-meanwhile")
    user.save()
    response = api.put(f"reset?a={reset_link}", {"new_password": OTHER_PASSWORD})
    assert (response.status_code, response.json()["code"]) == (400, "invalid_link")


def test_sec16_a_reset_link_works_once(api, user, reset_link):
    assert api.put(f"reset?a={reset_link}", {"new_password": OTHER_PASSWORD}).status_code == 200
    again = api.put(f"reset?a={reset_link}", {"new_password": "yet-another-passphrase"})
    assert again.status_code == 400 and again.json()["code"] in {"link_used", "invalid_link"}


def test_sec17_an_expired_reset_link_says_so(api, user, mailoutbox, settings, clock):
    settings.AUTH_RESET_LINK_TTL = 900
    api.post("reset", {"email": "alice@example.org"})
    link = link_token_from(mailoutbox[-1])
    clock.advance(seconds=900)
    response = api.put(f"reset?a={link}", {"new_password": OTHER_PASSWORD})
    assert (response.status_code, response.json()["code"]) == (400, "link_expired")
    assert api.login().status_code == 200


def test_a_weak_new_password_is_refused_and_the_link_still_works(api, user, reset_link):
    weak = api.put(f"reset?a={reset_link}", {"new_password": "short"})
    assert (weak.status_code, weak.json()["code"]) == (400, "weak_password")
    assert api.put(f"reset?a={reset_link}", {"new_password": OTHER_PASSWORD}).status_code == 200


def test_put_reset_without_new_password_is_a_400(api, user, reset_link):
    assert api.put(f"reset?a={reset_link}", {}).json()["code"] == "missing_field"


def test_sec21_the_user_is_told_by_email_after_a_reset(api, user, reset_link, mailoutbox):
    api.put(f"reset?a={reset_link}", {"new_password": OTHER_PASSWORD})
    notice = mailoutbox[-1]
    assert notice.to == ["alice@example.org"]
    assert kinds([notice]) == ["password_changed"]
    assert OTHER_PASSWORD not in notice.body and "?a=" not in notice.body


def test_reset_of_an_unknown_address_stores_nothing(api, db, mailoutbox):
    api.post("reset", {"email": "nobody@example.org"})
    assert not LinkToken.objects.exists() and mailoutbox == []


def test_sec06_changing_the_password_needs_the_current_one(api, user, token, mailoutbox):
    wrong = api.post(
        "password",
        {"current_password": "nope-not-this-one", "new_password": OTHER_PASSWORD},
        token=token,
    )
    assert (wrong.status_code, wrong.json()["code"]) == (400, "invalid_credentials")
    ok = api.post(
        "password",
        {"current_password": STRONG_PASSWORD, "new_password": OTHER_PASSWORD},
        token=token,
    )
    assert ok.status_code == 200
    assert api.get("me", token=token).status_code == 401  # SEC-15: sessions end
    assert api.login(password=OTHER_PASSWORD).status_code == 200
    assert kinds(mailoutbox)[-1] == "password_changed"


@pytest.mark.parametrize("body", [{"email": {}}, {"email": ["a"]}, {"email": ""}, {"email": 5}])
def test_sec30_a_body_sent_with_a_token_is_still_checked(api, token, body):
    response = api.post("reset", body, token=token)
    assert response.status_code == 400
    assert response.json()["code"] in {"invalid_field", "missing_field"}
