"""The admin's second step takes a passkey too (SEC-56, SEC-61), signed by a real authenticator."""

import json
import re

from accounts.models import User
from tests.conftest import STRONG_PASSWORD
from tests.mfa.passkeys.conftest import ORIGIN

USERS = "/admin/accounts/user/"
SECOND_STEP = "/admin/login/second-factor/"


def password_step(client):
    client.get("/admin/login/")
    body = {"username": "alice", "password": STRONG_PASSWORD, "next": USERS}
    return client.post(f"/admin/login/?next={USERS}", body)


def embedded_options(html: str) -> dict:
    (found,) = re.findall(
        r'<script id="passkey-options" type="application/json">(.*?)</script>', html
    )
    return json.loads(found)


def test_sec56_an_admin_whose_second_factor_is_a_passkey_passes_the_step_with_it(
    client, passkey_user, authenticator, settings
):
    settings.AUTH_WEBAUTHN_ORIGINS = [ORIGIN]  # the admin served from the front end's origin
    User.objects.filter(pk=passkey_user.user.pk).update(is_staff=True, is_superuser=True)
    assert password_step(client)["Location"].startswith(SECOND_STEP)
    page = client.get(f"{SECOND_STEP}?next={USERS}").content.decode()
    assert 'id="second-factor-passkey"' in page and 'id="second-factor-code"' not in page
    assert client.get(f"{SECOND_STEP}passkey.js")["Content-Type"] == "text/javascript"
    answer = authenticator.get(embedded_options(page))
    body = {"passkey": json.dumps(answer), "next": USERS}
    done = client.post(f"{SECOND_STEP}?next={USERS}", body)
    assert (done.status_code, done["Location"]) == (302, USERS)
    assert client.get(USERS).status_code == 200
    # The assertion was one-time: sent again in a new login it passes nothing.
    client.logout()
    password_step(client)
    replay = client.post(f"{SECOND_STEP}?next={USERS}", body)
    assert replay.status_code == 200 and "not right" in replay.content.decode()
    assert client.get(USERS).status_code == 302


def test_a_malformed_passkey_answer_is_a_wrong_code_not_a_500(client, passkey_user):
    User.objects.filter(pk=passkey_user.user.pk).update(is_staff=True)
    password_step(client)
    response = client.post(f"{SECOND_STEP}?next={USERS}", {"passkey": "{not json", "next": USERS})
    assert response.status_code == 200 and "not right" in response.content.decode()
