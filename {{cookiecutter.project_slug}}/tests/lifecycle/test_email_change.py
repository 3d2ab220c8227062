"""POST /api/auth/email asks for a new address, PUT confirms it from the new inbox (SEC-47, 48)."""

import pytest

from accounts.lifecycle import flows as lifecycle
from accounts.mail.emails import EmailChangedEmail, EmailChangeRequestedEmail
from accounts.models import LinkToken, User
from tests.conftest import OTHER_PASSWORD, STRONG_PASSWORD, kinds, link_token_from, renders_as

NEW = "alice.new@example.net"


def ask(api, token, new_email=NEW, password=STRONG_PASSWORD):
    return api.post("email", {"new_email": new_email, "current_password": password}, token=token)


@pytest.fixture
def change_link(api, token, mailoutbox):
    assert ask(api, token).status_code == 202
    (message,) = [m for m in mailoutbox if m.to == [NEW]]
    return link_token_from(message)


def test_post_email_mails_a_link_to_the_new_address_and_a_notice_to_the_old(
    api, user, token, mailoutbox, settings
):
    response = ask(api, token)
    assert response.status_code == 202
    link_mail, notice = mailoutbox
    assert link_mail.to == [NEW] and kinds([link_mail]) == ["email_change"]
    assert f"{settings.FRONTEND_URL}/email?a=" in link_mail.body
    assert renders_as(notice, EmailChangeRequestedEmail(user, NEW))  # to the old address
    assert "?a=" not in notice.body


def test_sec48_nothing_changes_until_the_link_is_opened(api, user, token, change_link):
    me = api.get("me", token=token).json()
    assert me["email"] == "alice@example.org"
    assert api.login(NEW).status_code == 400
    assert api.login("alice@example.org").status_code == 200


def test_put_email_moves_the_account_and_marks_the_address_verified(
    api, user, token, change_link, mailoutbox
):
    response = api.put(f"email?a={change_link}")
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == NEW and body["email_verified"] is True
    assert body["email_verified_at"] is not None
    assert api.get("me", token=token).json() == body  # the session lives on
    stored = User.objects.get(pk=user.pk)
    assert stored.email == NEW and stored.email_key == NEW and stored.email_verified
    assert renders_as(mailoutbox[-1], EmailChangedEmail(stored, old_email="alice@example.org"))
    assert api.login(NEW).status_code == 200


def test_sec20_put_email_accepts_the_token_in_the_body(api, user, change_link):
    assert api.put("email/", {"a": change_link}).status_code == 200


def test_confirming_revokes_every_outstanding_link(api, user, token, change_link, mailoutbox):
    api.post("verify", token=token)
    verify_link = link_token_from(mailoutbox[-1])
    api.post("reset", {"email": "alice@example.org"})
    reset_link = link_token_from(mailoutbox[-1])  # mailed to the old address
    assert api.put(f"email?a={change_link}").status_code == 200
    assert not LinkToken.objects.filter(user=user, used_at__isnull=True).exists()
    assert api.put(f"verify?a={verify_link}").json()["code"] == "invalid_link"
    reset = api.put(f"reset?a={reset_link}", {"new_password": OTHER_PASSWORD})
    assert reset.json()["code"] == "invalid_link"


def test_sec16_an_email_change_link_works_once(api, user, change_link):
    assert api.put(f"email?a={change_link}").status_code == 200
    again = api.put(f"email?a={change_link}")
    assert (again.status_code, again.json()["code"]) == (400, "link_used")


def test_sec17_an_expired_email_change_link_says_so(api, user, token, mailoutbox, settings, clock):
    settings.AUTH_VERIFY_LINK_TTL = 600
    ask(api, token)
    link = link_token_from(mailoutbox[0])
    clock.advance(seconds=601)
    response = api.put(f"email?a={link}")
    assert (response.status_code, response.json()["code"]) == (400, "link_expired")
    assert User.objects.get(pk=user.pk).email == "alice@example.org"


def test_sec48_the_link_dies_when_the_address_changes_another_way(api, user, change_link):
    user.email = "alice.admin@example.org"  # e.g. in the admin
    user.save()
    response = api.put(f"email?a={change_link}")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_link")
    assert User.objects.get(pk=user.pk).email == "alice.admin@example.org"


def test_sec48_the_link_dies_when_the_password_changes(api, user, token, change_link):
    body = {"current_password": STRONG_PASSWORD, "new_password": OTHER_PASSWORD}
    assert api.post("password", body, token=token).status_code == 200
    response = api.put(f"email?a={change_link}")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_link")
    assert User.objects.get(pk=user.pk).email == "alice@example.org"


def test_sec48_asking_again_replaces_the_first_link(api, user, token, change_link, mailoutbox):
    assert ask(api, token, "alice.third@example.net").status_code == 202
    assert api.put(f"email?a={change_link}").json()["code"] == "invalid_link"
    second = link_token_from(mailoutbox[-2])
    assert api.put(f"email?a={second}").json()["email"] == "alice.third@example.net"


def test_sec16_links_of_other_purposes_do_not_cross(api, user, token, change_link, mailoutbox):
    api.post("verify", token=token)
    verify_link = link_token_from(mailoutbox[-1])
    assert api.put(f"email?a={verify_link}").json()["code"] == "invalid_link"
    assert api.put(f"verify?a={change_link}").json()["code"] == "invalid_link"


def test_put_email_refuses_an_address_another_account_took_meanwhile(api, user, change_link):
    User.objects.create_user("bob", NEW.upper(), OTHER_PASSWORD)
    response = api.put(f"email?a={change_link}")
    assert (response.status_code, response.json()["code"]) == (400, "email_taken")
    assert User.objects.get(pk=user.pk).email == "alice@example.org"


def test_sec47_post_email_needs_the_current_password(api, user, token, mailoutbox):
    response = ask(api, token, password=OTHER_PASSWORD)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_credentials")
    assert mailoutbox == [] and not LinkToken.objects.exists()


def test_sec47_wrong_passwords_on_email_change_count_as_failed_logins(
    api, user, token, settings, mailoutbox
):
    settings.AUTH_THROTTLE_RATES = {"login_account": "2/900"}
    for _ in range(2):
        ask(api, token, password=OTHER_PASSWORD)
    assert api.login().status_code == 429
    assert ask(api, token).status_code == 429
    assert mailoutbox == []


def test_sec58_post_email_answers_the_same_for_a_taken_address_and_tells_its_owner(
    api, user, token, mailoutbox
):
    free = ask(api, token, "carol@example.org")
    mailoutbox.clear()
    User.objects.create_user("bob", "bob@example.org", OTHER_PASSWORD)
    taken = ask(api, token, "BOB@example.org")
    assert (taken.status_code, taken.json()) == (free.status_code, free.json())
    assert taken.status_code == 202
    notice, requested = mailoutbox
    assert notice.to == ["bob@example.org"] and "?a=" not in notice.body
    assert kinds([notice, requested]) == ["email_change_taken", "email_change_requested"]
    assert requested.to == ["alice@example.org"] and "?a=" not in requested.body
    # No link to the taken address: the only link is the one mailed to carol's.
    assert LinkToken.objects.filter(purpose=LinkToken.EMAIL_CHANGE).count() == 1
    assert User.objects.get(pk=user.pk).email == "alice@example.org"


def test_sec58_post_email_counts_its_throttles_before_looking_at_the_address(
    api, user, token, settings, mailoutbox
):
    User.objects.create_user("bob", "bob@example.org", OTHER_PASSWORD)
    settings.AUTH_THROTTLE_RATES = {"email_ip": "2/3600"}
    assert ask(api, token, "one@example.net").status_code == 202
    assert ask(api, token, "two@example.net").status_code == 202
    for address in ("bob@example.org", "three@example.net"):
        response = ask(api, token, address)
        assert (response.status_code, response.json()["code"]) == (429, "throttled")


@pytest.mark.parametrize("same", ["alice@example.org", "ALICE@Example.ORG"])
def test_post_email_refuses_the_same_address(api, user, token, mailoutbox, same):
    response = ask(api, token, same)
    assert (response.status_code, response.json()["code"]) == (400, "email_unchanged")
    assert mailoutbox == []


@pytest.mark.parametrize("bad", ["not-an-address", "a@b", "x" * 250 + "@example.org"])
def test_post_email_refuses_a_malformed_address_naming_the_field(api, user, token, bad):
    response = ask(api, token, bad)
    body = response.json()
    assert (response.status_code, body["code"]) == (400, "invalid_email")
    assert list(body["errors"]) == ["new_email"]


def test_post_email_without_the_new_address_is_a_400_naming_it(api, user, token):
    response = api.post("email", {"current_password": STRONG_PASSWORD}, token=token)
    assert (response.status_code, response.json()["code"]) == (400, "missing_field")
    assert "new_email" in response.json()["error"]


def test_sec55_post_email_without_the_password_needs_a_reauthenticated_session(
    api, user, token, mailoutbox
):
    response = api.post("email", {"new_email": NEW}, token=token)
    assert (response.status_code, response.json()["code"]) == (403, "reauthentication_required")
    assert mailoutbox == []
    api.reauthenticate(token)
    assert api.post("email", {"new_email": NEW}, token=token).status_code == 202
    assert [m.to for m in mailoutbox] == [[NEW], ["alice@example.org"]]


@pytest.mark.parametrize("value", [{"$ne": None}, [NEW], 1])
def test_sec30_post_email_type_checks_its_fields(api, user, token, value):
    response = api.post(
        "email", {"new_email": value, "current_password": STRONG_PASSWORD}, token=token
    )
    assert (response.status_code, response.json()["code"]) == (400, "invalid_field")


def test_post_email_needs_a_token(api, user, mailoutbox):
    assert ask(api, None).status_code == 401
    assert mailoutbox == []


def test_put_email_without_a_link_token_is_a_400(api, db):
    assert api.put("email").json()["code"] == "missing_field"


def test_a_made_up_email_change_link_is_refused(api, db):
    response = api.put("email?a=made-up-token")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_link")


def test_an_international_address_can_be_confirmed(api, user, token, mailoutbox):
    assert ask(api, token, "alice@bücher.example").status_code == 202
    link = link_token_from(mailoutbox[0])
    assert mailoutbox[0].to == ["alice@bücher.example"]
    response = api.put(f"email?a={link}")
    assert (response.status_code, response.json()["email"]) == (200, "alice@bücher.example")


def test_sec44_mail_down_gives_the_usual_answer_and_leaves_no_link(api, user, token, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    assert ask(api, token).status_code == 202
    assert not LinkToken.objects.exists()
    assert User.objects.get(pk=user.pk).email == "alice@example.org"


def test_sec28_email_change_mails_are_throttled_per_account(api, user, token, settings, mailoutbox):
    settings.AUTH_THROTTLE_RATES = {"email_account": "2/3600"}
    assert ask(api, token, "one@example.net").status_code == 202
    assert ask(api, token, "two@example.net").status_code == 202
    assert ask(api, token, "three@example.net").status_code == 429
    assert len(mailoutbox) == 4


def test_the_functions_work_without_http(user, mailoutbox):
    lifecycle.request_email_change(user, NEW)
    moved = lifecycle.confirm_email_change(link_token_from(mailoutbox[0]))
    assert moved.email == NEW and User.objects.get(pk=user.pk).email_verified
