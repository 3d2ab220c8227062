"""MFA at rest and under pressure: sealed secrets, digests, the key, rotation, races, the admin."""

import io
import json
import threading

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import CommandError, call_command

from accounts import store
from accounts.errors import MfaRequired, MfaUnavailable
from accounts.mfa import enrolment, totp
from accounts.mfa import flows as mfa
from accounts.models import User
from tests.conftest import STRONG_PASSWORD, http_request, kinds, totp_code

OLD_KEY = "old-mfa-key-0123456789abcdefghijklmnopqrstuvwxyz"
NEW_KEY = "new-mfa-key-0123456789abcdefghijklmnopqrstuvwxyz"


def database_dump() -> str:
    """Return every document of every collection of the test database, as text."""
    database = store.database()
    return repr({name: list(database[name].find()) for name in database.list_collection_names()})


def mfa_login(api, mfa_user, clock, **factor):
    mfa_token = api.login().json()["mfa_token"]
    factor = factor or {"code": totp_code(mfa_user.secret, clock)}
    return api.post("login/mfa", {"mfa_token": mfa_token, **factor})


# --- At rest (SEC-51) -----------------------------------------------------------------
def test_sec51_a_database_dump_holds_no_secret_recovery_code_or_mfa_token(api, mfa_user, clock):
    renewed = api.post(
        "mfa/recovery-codes", {"current_password": STRONG_PASSWORD}, token=mfa_user.token
    )
    codes = renewed.json()["recovery_codes"]
    mfa_token = api.login().json()["mfa_token"]
    dump = database_dump()
    assert "mfa_secret" in dump and "mfa_recovery_codes" in dump  # the scan reads the right data
    for secret in (mfa_user.secret, mfa_user.secret.lower()):
        assert secret not in dump
    for code in codes + mfa_user.recovery_codes:
        for form in (code, code.replace("-", ""), code.upper(), code.replace("-", "").upper()):
            assert form not in dump, form
    assert mfa_token not in dump


def test_sec51_the_sealed_secret_opens_only_for_its_own_user(api, mfa_user, db):
    other = User.objects.create_user("bob", "bob@example.org", STRONG_PASSWORD)
    sealed = User.objects.get(pk=mfa_user.user.pk).mfa_secret
    assert totp.open_secret(mfa_user.user, sealed) == mfa_user.secret
    with pytest.raises(MfaUnavailable):
        totp.open_secret(other, sealed)  # copied onto another account: opens nothing


# --- The key --------------------------------------------------------------------------
def test_without_the_key_mfa_answers_503_and_other_logins_still_work(api, mfa_user, settings, db):
    User.objects.create_user("bob", "bob@example.org", STRONG_PASSWORD)
    api.reauthenticate(mfa_user.token)  # past the re-authentication the set-up asks first
    settings.AUTH_MFA_KEY = ""
    answers = [
        api.post("mfa/totp", token=mfa_user.token),
        api.put("mfa/totp", {"code": "123456"}, token=mfa_user.token),
        api.login(),  # alice has MFA on
        api.post("login/mfa", {"mfa_token": "x" * 43, "code": "123456"}),
        api.post("mfa/recovery-codes", {"current_password": STRONG_PASSWORD}, token=mfa_user.token),
    ]
    assert [(r.status_code, r.json()["code"]) for r in answers] == [(503, "mfa_unavailable")] * 5
    assert "token" in api.login(username="bob").json()


def test_manage_py_check_reports_a_missing_or_weak_key(settings):
    settings.AUTH_MFA_KEY = ""
    out = io.StringIO()
    call_command("check", stdout=out, stderr=out)
    assert "accounts.W101" in out.getvalue() and "AUTH_MFA_KEY" in out.getvalue()
    settings.AUTH_MFA_KEY = "short"
    out = io.StringIO()
    call_command("check", stdout=out, stderr=out)
    assert "accounts.W102" in out.getvalue()
    settings.AUTH_MFA_KEY = NEW_KEY
    out = io.StringIO()
    call_command("check", stdout=out, stderr=out)
    assert "AUTH_MFA_KEY" not in out.getvalue()


def test_key_rotation_re_seals_every_secret_without_a_lockout(api, mfa_user, clock, settings, db):
    bob = User.objects.create_user("bob", "bob@example.org", STRONG_PASSWORD)
    enrolment.begin_setup(bob)  # a pending set-up is sealed too
    before = User.objects.get(pk=mfa_user.user.pk).mfa_secret
    settings.AUTH_MFA_KEY_PREVIOUS, settings.AUTH_MFA_KEY = settings.AUTH_MFA_KEY, NEW_KEY
    assert mfa_login(api, mfa_user, clock).status_code == 200  # the previous key still opens it
    out = io.StringIO()
    call_command("rotate_mfa_key", stdout=out)
    assert "re-sealed 2" in out.getvalue()
    assert User.objects.get(pk=mfa_user.user.pk).mfa_secret != before
    settings.AUTH_MFA_KEY_PREVIOUS = ""
    clock.advance(seconds=30)
    assert mfa_login(api, mfa_user, clock).status_code == 200  # the new key alone opens it
    out = io.StringIO()
    call_command("rotate_mfa_key", stdout=out)
    assert "re-sealed 0; already under the current key 2" in out.getvalue()


def test_a_key_changed_without_rotation_is_a_clear_503_not_a_500(api, mfa_user, clock, settings):
    settings.AUTH_MFA_KEY = NEW_KEY
    response = mfa_login(api, mfa_user, clock)
    assert (response.status_code, response.json()["code"]) == (503, "mfa_unavailable")
    with pytest.raises(CommandError, match="open with neither"):
        call_command("rotate_mfa_key", stdout=io.StringIO())


def test_rotation_without_a_key_refuses(settings, db):
    settings.AUTH_MFA_KEY = ""
    with pytest.raises(CommandError, match="AUTH_MFA_KEY is not set"):
        call_command("rotate_mfa_key")


# --- Races (SEC-42) ---------------------------------------------------------------------
RACERS = 5


def race(calls):
    """Send each ``(url, body)`` POST in its own thread, released together; return statuses."""
    barrier = threading.Barrier(len(calls))
    statuses = [None] * len(calls)

    def run(i, url, body):
        barrier.wait()
        statuses[i] = http_request("POST", url, body, timeout=30)[0]

    threads = [threading.Thread(target=run, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return sorted(statuses)


def racing_logins(live_server, api, factor):
    url = f"{live_server.url}/api/auth/login/mfa"
    tokens = [api.login().json()["mfa_token"] for _ in range(RACERS)]
    return race([(url, {"mfa_token": t, **factor}) for t in tokens])


def test_sec50_one_code_raced_through_many_logins_opens_one_session(
    live_server, api, mfa_user, clock
):
    statuses = racing_logins(live_server, api, {"code": totp_code(mfa_user.secret, clock)})
    assert statuses == [200] + [400] * (RACERS - 1)


def test_sec51_one_recovery_code_raced_through_many_logins_opens_one_session(
    live_server, api, mfa_user
):
    statuses = racing_logins(live_server, api, {"recovery_code": mfa_user.recovery_codes[0]})
    assert statuses == [200] + [400] * (RACERS - 1)
    stored = User.objects.get(pk=mfa_user.user.pk)
    assert len(stored.mfa_recovery_codes) == 9


def test_sec50_one_mfa_token_raced_with_good_codes_opens_one_session(
    live_server, api, mfa_user, clock
):
    mfa_token = api.login().json()["mfa_token"]
    url = f"{live_server.url}/api/auth/login/mfa"
    bodies = [
        {"mfa_token": mfa_token, "recovery_code": c} for c in mfa_user.recovery_codes[:RACERS]
    ]
    assert race([(url, body) for body in bodies]).count(200) == 1


# --- The admin ---------------------------------------------------------------------------
def test_the_admin_shows_mfa_status_and_turns_it_off_logged_and_mailed(
    admin_client_logged_in, api, mfa_user, mailoutbox
):
    listing = admin_client_logged_in.get("/admin/accounts/user/").content.decode()
    assert "column-mfa_enabled" in listing and "Turn off two-factor authentication" in listing
    page = admin_client_logged_in.get(f"/admin/accounts/user/{mfa_user.user.pk}/change/")
    assert "Two-factor authentication" in page.content.decode()
    mailoutbox.clear()
    response = admin_client_logged_in.post(
        "/admin/accounts/user/",
        {"action": "turn_off_mfa", "_selected_action": [str(mfa_user.user.pk)]},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=mfa_user.user.pk).mfa_enabled is False
    assert kinds(mailoutbox) == ["mfa_disabled_by_admin"]
    entry = LogEntry.objects.get(object_id=str(mfa_user.user.pk))
    assert "two-factor" in entry.get_change_message()
    assert "token" in api.login().json()


def test_the_admin_change_form_cannot_switch_mfa_on(admin_client_logged_in, user):
    page = admin_client_logged_in.get(f"/admin/accounts/user/{user.pk}/change/")
    assert 'name="mfa_enabled"' not in page.content.decode()


def test_login_mfa_answers_json_for_a_seed_style_caller(api, mfa_user):
    """An escaped ``MfaRequired`` (a view that does not catch it) still carries the token."""
    from accounts.middleware import error_response

    error = mfa.challenge(mfa_user.user)
    body = json.loads(error_response(error).content)
    assert isinstance(error, MfaRequired)
    assert body["code"] == "mfa_required" and body["mfa_token"] == error.mfa_token


def test_sec38_mfa_tokens_and_recovery_codes_are_redacted_from_logged_bodies():
    from accounts.core.audit import redact

    line = '{"mfa_token": "TopSecretMfa", "recovery_code": "abcd-efgh-ijkl-mnop"}'
    assert "TopSecretMfa" not in redact(line) and "abcd-efgh" not in redact(line)
